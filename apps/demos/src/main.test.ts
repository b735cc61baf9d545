import { DEFAULT_DEMO, DEMOS, parseArgs } from './main';

describe('pnpm demo arguments', () => {
  it('runs mnist-lenet by default and takes a name, --epochs and --backend', () => {
    expect(DEFAULT_DEMO).toBe('mnist-lenet');
    expect(Object.keys(DEMOS)).toEqual(['mnist-lenet']);
    expect(parseArgs([])).toEqual({ name: 'mnist-lenet', list: false });
    expect(parseArgs(['mnist-lenet', '--epochs', '2', '--backend', 'cpu'])).toEqual({ name: 'mnist-lenet', epochs: 2, backend: 'cpu', list: false });
    expect(parseArgs(['--', '--list'])).toEqual({ name: 'mnist-lenet', list: true });
  });

  it('names the known demos for an unknown one and rejects bad options', () => {
    expect(() => parseArgs(['cifar'])).toThrow("unknown demo 'cifar'; demos: mnist-lenet");
    expect(() => parseArgs(['--epochs', '0'])).toThrow("--epochs must be a positive integer, got '0'");
    expect(() => parseArgs(['--fast'])).toThrow("unknown option '--fast'");
    expect(() => parseArgs(['mnist-lenet', 'mnist-lenet'])).toThrow('one demo at a time');
  });
});
