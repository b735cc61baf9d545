import { DEFAULT_DEMO, DEMOS, parseArgs } from './main';

describe('pnpm demo arguments', () => {
  it('runs mnist-lenet by default and takes a name, --epochs and --backend', () => {
    expect(DEFAULT_DEMO).toBe('mnist-lenet');
    expect(Object.keys(DEMOS)).toEqual(['mnist-lenet', 'sentiment', 'translate', 'gpt', 'fill-mask', 'bert', 'detect', 'fashion-resnet']);
    expect(parseArgs([])).toEqual({ name: 'mnist-lenet', list: false });
    expect(parseArgs(['mnist-lenet', '--epochs', '2', '--backend', 'cpu'])).toEqual({ name: 'mnist-lenet', epochs: 2, backend: 'cpu', list: false });
    expect(parseArgs(['--', '--list'])).toEqual({ name: 'mnist-lenet', list: true });
  });

  it('names the known demos for an unknown one and rejects bad options', () => {
    expect(() => parseArgs(['cifar'])).toThrow("unknown demo 'cifar'; demos: mnist-lenet, sentiment");
    expect(() => parseArgs(['--epochs', '0'])).toThrow("--epochs must be a positive integer, got '0'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'");
    expect(() => parseArgs(['mnist-lenet', 'mnist-lenet'])).toThrow('one demo at a time');
  });

  it('passes free text after a demo that takes it (sentiment)', () => {
    expect(parseArgs(['sentiment', 'I loved it', '--epochs', '3'])).toEqual({ name: 'sentiment', epochs: 3, list: false, texts: ['I loved it'] });
    expect(parseArgs(['sentiment'])).toEqual({ name: 'sentiment', list: false });
    expect(parseArgs(['sentiment', 'good', 'bad'])).toEqual({ name: 'sentiment', list: false, texts: ['good', 'bad'] });
  });
});
