import { describeFlags, FlagSpec, parseFlags } from './args';
import { formatTable } from './table';

const SPEC: Record<string, FlagSpec> = {
  epochs: { type: 'int', description: 'epochs' },
  seed: { type: 'int', min: 0, description: 'seed' },
  backend: { type: 'string', description: 'backend' },
};

describe('parseFlags', () => {
  it('reads positionals, --flag value and --flag=value', () => {
    expect(parseFlags('train', ['lenet5', '--epochs', '3', '--seed=0', '--backend', 'wasm'], SPEC)).toEqual({
      positionals: ['lenet5'],
      flags: { epochs: 3, seed: 0, backend: 'wasm' },
    });
  });

  it('rejects unknown, repeated, valueless and malformed flags with the command name', () => {
    expect(() => parseFlags('train', ['--epoch', '3'], SPEC)).toThrow("neuralzoo train: unknown option '--epoch' (options: --epochs, --seed, --backend)");
    expect(() => parseFlags('train', ['-e', '3'], SPEC)).toThrow("neuralzoo train: unknown option '-e'");
    expect(() => parseFlags('train', ['--epochs', '1', '--epochs', '2'], SPEC)).toThrow('neuralzoo train: --epochs given twice');
    expect(() => parseFlags('train', ['--epochs'], SPEC)).toThrow('neuralzoo train: --epochs needs a value');
    expect(() => parseFlags('train', ['--epochs', '--seed', '1'], SPEC)).toThrow('neuralzoo train: --epochs needs a value');
    expect(() => parseFlags('train', ['--epochs', '2.5'], SPEC)).toThrow("neuralzoo train: --epochs must be an integer >= 1, got '2.5'");
    expect(() => parseFlags('train', ['--epochs', '0'], SPEC)).toThrow("--epochs must be an integer >= 1, got '0'");
    expect(() => parseFlags('train', ['--seed', '-1'], SPEC)).toThrow("--seed must be an integer >= 0, got '-1'");
    expect(() => parseFlags('list', ['--all'], {})).toThrow("neuralzoo list: unknown option '--all' (options: none)");
  });

  it('describes flags one per line', () => {
    const text = describeFlags(SPEC).split('\n');
    expect(text).toHaveLength(3);
    expect(text[0].trim()).toMatch(/^--epochs N\s+epochs$/);
    expect(text[2].trim()).toMatch(/^--backend VALUE\s+backend$/);
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell under a rule', () => {
    expect(formatTable([['A', 'BB', 'C'], ['xxx', 'y', 'z']])).toBe(['A    BB  C', '---  --  -', 'xxx  y   z'].join('\n'));
  });
});
