import { nn, registry } from '../index';
import { ModelRegistry, Recipe } from './index';

describe('registry', () => {
  const recipe: Recipe = { dataset: 'mnist', epochs: 2, batchSize: 64, optimizer: { name: 'SGD', lr: 0.1 }, metric: 'accuracy', target: 0.98 };

  it('registers, lists by domain, gets and creates', () => {
    const r = new ModelRegistry();
    r.register({ name: 'tiny_mlp', task: 'classification', domain: 'vision', create: (c?: { hidden?: number }) => new nn.Linear(4, c?.hidden ?? 3), recipe });
    r.register({ name: 'bigram', task: 'language-modeling', domain: 'nlp', create: () => new nn.Linear(2, 2), description: 'bigram LM' });
    expect(r.list().map((e) => e.name)).toEqual(['bigram', 'tiny_mlp']);
    expect(r.list({ domain: 'vision' }).map((e) => e.name)).toEqual(['tiny_mlp']);
    expect(r.list({ domain: 'audio' })).toEqual([]);
    expect(r.get('tiny_mlp').recipe).toEqual(recipe);
    const m = r.create<nn.Linear>('tiny_mlp', { hidden: 5 });
    expect(m.weight.shape).toEqual([5, 4]);
    expect(m.numParameters()).toBe(25);
    m.dispose();
  });

  it('rejects duplicates and non-snake_case names', () => {
    const r = new ModelRegistry();
    const create = () => new nn.Linear(1, 1);
    r.register({ name: 'lenet5', task: 'classification', domain: 'vision', create });
    expect(() => r.register({ name: 'lenet5', task: 'x', domain: 'nlp', create })).toThrow(/'lenet5' is already registered \(domain 'vision'/);
    expect(() => r.register({ name: 'LeNet5', task: 'x', domain: 'vision', create })).toThrow(/snake_case/);
    expect(() => r.register({ name: 'faster-rcnn', task: 'x', domain: 'vision', create })).toThrow(/snake_case/);
    expect(() => r.register({ name: 'ok_name', task: '', domain: 'vision', create })).toThrow(/'task'/);
    expect(r.list()).toHaveLength(1);
  });

  it('names close matches for an unknown model', () => {
    const r = new ModelRegistry();
    expect(() => r.get('resnet18')).toThrow(/no model is registered/);
    for (const name of ['resnet18', 'resnet34', 'resnet50', 'lenet5', 'bert_base'])
      r.register({ name, task: 'classification', domain: 'vision', create: () => new nn.Linear(1, 1) });
    expect(() => r.get('resnet19')).toThrow(/unknown model 'resnet19'; did you mean 'resnet18', 'resnet34', 'resnet50'\?/);
    expect(() => r.get('lenet')).toThrow(/did you mean 'lenet5'\?/);
    expect(() => r.create('transformer_xl')).toThrow(/registered: bert_base, lenet5, resnet18, resnet34, resnet50/);
  });

  it('the global registry is exported from the main entry', () => {
    expect(registry).toBeInstanceOf(ModelRegistry);
    expect(registry.has('no_such_model')).toBe(false);
  });
});
