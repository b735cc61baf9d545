import * as path from 'path';
import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { LENET5_MNIST_RECIPE, LENET_DEFAULTS, LeNet5, lenet5 } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/lenet');

/** torch's usual LeNet-5 state dict: names and shapes. */
const TORCH_SHAPES: Record<string, number[]> = {
  'conv1.weight': [6, 1, 5, 5],
  'conv1.bias': [6],
  'conv2.weight': [16, 6, 5, 5],
  'conv2.bias': [16],
  'fc1.weight': [120, 400],
  'fc1.bias': [120],
  'fc2.weight': [84, 120],
  'fc2.bias': [84],
  'fc3.weight': [10, 84],
  'fc3.bias': [10],
};

describe('LeNet5', () => {
  let model: LeNet5;
  beforeAll(() => {
    manualSeed(0);
    model = lenet5();
  });
  afterAll(() => model.dispose());

  it('maps [B, 28, 28, 1] to [B, 10] logits', () => {
    const x = tf.randomUniform([3, 28, 28, 1]);
    const y = model.forward(x);
    expect(y.shape).toEqual([3, 10]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([x, y]);
  });

  it('has the state dict of torch LeNet-5: names, shapes, 61,706 parameters', () => {
    const sd = model.stateDict();
    expect(Object.keys(sd)).toEqual(Object.keys(TORCH_SHAPES));
    for (const [k, shape] of Object.entries(TORCH_SHAPES)) expect([k, sd[k].shape]).toEqual([k, shape]);
    expect(model.numParameters()).toBe(61706);
  });

  it('names both shapes when given NCHW input', () => {
    const x = tf.zeros([2, 1, 28, 28]);
    expect(() => model.forward(x)).toThrow(
      'LeNet5: expected NHWC input [batch, 28, 28, 1], got shape [2,1,28,28]; this looks like NCHW [batch, 1, 28, 28]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const wrong = tf.zeros([2, 32, 32, 1]);
    expect(() => model.forward(wrong)).toThrow('LeNet5: expected NHWC input [batch, 28, 28, 1], got shape [2,32,32,1]');
    tf.dispose([x, wrong]);
  });

  it('leaks no tensor in forward or backward', () => {
    const x = tf.randomUniform([2, 28, 28, 1]);
    const y = tf.tensor1d([1, 4], 'int32');
    expectNoLeak(() => tf.tidy(() => model.forward(x).dataSync()));
    model.zeroGrad();
    // backward keeps exactly one gradient tensor per parameter.
    expectNoLeak(() => backward(() => F.crossEntropy(model.forward(x), y), model), 10);
    model.zeroGrad();
    tf.dispose([x, y]);
  });

  it('gives every parameter a finite, non-zero gradient', () => {
    const x = tf.randomUniform([4, 28, 28, 1]);
    const y = tf.tensor1d([0, 3, 7, 9], 'int32');
    model.zeroGrad();
    const loss = backward(() => F.crossEntropy(model.forward(x), y), model);
    expect(loss).toBeGreaterThan(1.5); // ≈ ln 10 at init
    expect(loss).toBeLessThan(3.5);
    for (const [name, p] of model.namedParameters()) {
      expect([name, p.grad?.shape]).toEqual([name, p.shape]);
      const g = p.grad!.dataSync();
      expect([name, Array.from(g).every(Number.isFinite)]).toEqual([name, true]);
      expect([name, g.some((v) => v !== 0)]).toEqual([name, true]);
    }
    model.zeroGrad();
    tf.dispose([x, y]);
  });

  it('is deterministic under manualSeed', () => {
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
    manualSeed(42);
    const a = lenet5();
    manualSeed(42);
    const b = lenet5();
    manualSeed(43);
    const c = lenet5();
    expectClose(a.stateDict()['fc1.weight'], b.stateDict()['fc1.weight'], { rtol: 0, atol: 0 });
    const ya = a.forward(x);
    const yb = b.forward(x);
    const yc = c.forward(x);
    expectClose(ya, yb, { rtol: 0, atol: 0 });
    expect(Math.abs(ya.dataSync()[0] - yc.dataSync()[0])).toBeGreaterThan(1e-6);
    tf.dispose([x, ya, yb, yc]);
    [a, b, c].forEach((m) => m.dispose());
  });

  for (const [activation, pooling, grads] of [
    ['relu', 'max', ['conv1.weight', 'fc1.weight']],
    ['tanh', 'avg', ['conv1.weight']],
  ] as const) {
    it(`matches PyTorch (${activation}, ${pooling} pooling): logits and gradients from a torch state dict`, () => {
      const fx = loadFixture(FIXTURES, `lenet5_${activation}_${pooling}`);
      const m = lenet5({ activation, pooling });
      const sd = Object.fromEntries(Object.keys(TORCH_SHAPES).map((k) => [k, fx.tensors[k]]));
      m.loadStateDict(sd);
      const out = m.forward(fx.tensors.x);
      expectClose(out, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: 'logits' });
      backward(() => F.crossEntropy(m.forward(fx.tensors.x), fx.tensors.y), m);
      const params = Object.fromEntries(m.namedParameters());
      for (const k of grads) expectClose(params[k].grad!, fx.tensors[`grad.${k}`], { rtol: 1e-3, atol: 1e-6, what: `grad ${k}` });
      out.dispose();
      m.dispose();
      fx.dispose();
    });
  }

  it('validates its config without touching the caller object', () => {
    const cfg = { activation: 'tanh' as const };
    const m = lenet5(cfg);
    expect(cfg).toEqual({ activation: 'tanh' });
    expect(m.config).toEqual({ ...LENET_DEFAULTS, activation: 'tanh' });
    m.dispose();
    expect(() => lenet5({ activation: 'gelu' as 'relu' })).toThrow("LeNet5: activation must be 'relu' or 'tanh', got 'gelu'");
    expect(() => lenet5({ pooling: 'lp' as 'max' })).toThrow("LeNet5: pooling must be 'max' or 'avg', got 'lp'");
    expect(() => lenet5({ inputSize: 12, padding: 0 })).toThrow('LeNet5: inputSize (12) with padding (0) is too small');
    expect(() => lenet5({ numClasses: 0 })).toThrow('LeNet5: numClasses must be a positive integer, got 0');
  });

  it('adapts fc1 to 32×32 RGB input without padding', () => {
    const m = lenet5({ inChannels: 3, inputSize: 32, padding: 0, numClasses: 100 });
    expect(m.stateDict()['conv1.weight'].shape).toEqual([6, 3, 5, 5]);
    expect(m.stateDict()['fc1.weight'].shape).toEqual([120, 400]);
    const x = tf.zeros([1, 32, 32, 3]);
    const y = m.forward(x);
    expect(y.shape).toEqual([1, 100]);
    tf.dispose([x, y]);
    m.dispose();
  });

  it('is registered as lenet5 with its MNIST recipe', () => {
    const entry = registry.get('lenet5');
    expect([entry.task, entry.domain]).toEqual(['image-classification', 'vision']);
    expect(entry.recipe).toBe(LENET5_MNIST_RECIPE);
    expect(entry.recipe!.dataset).toBe('mnist');
    expect(entry.recipe!.target).toBeGreaterThanOrEqual(0.985);
    const m = registry.create<LeNet5>('lenet5', { pooling: 'avg' });
    expect(m).toBeInstanceOf(LeNet5);
    expect(m.config.pooling).toBe('avg');
    m.dispose();
  });
});
