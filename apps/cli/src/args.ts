/** Dependency-free argument parsing for `neuralzoo <command> [positionals] [--flag value]`. */

export interface FlagSpec {
  /** 'int' values must be positive integers (or >= 0 for `min: 0`); 'string' values are taken as is. */
  type: 'int' | 'string';
  min?: number;
  description: string;
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | number>;
}

/** Parses `argv` against `spec` (flag names without `--`); `--flag=value` and `--flag value` both work. */
export function parseFlags(command: string, argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const out: Parsed = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) throw new Error(`neuralzoo ${command}: unknown option '${arg}' (options: ${known(spec)})`);
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const s = spec[name];
    if (!s) throw new Error(`neuralzoo ${command}: unknown option '--${name}' (options: ${known(spec)})`);
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new Error(`neuralzoo ${command}: --${name} needs a value`);
    if (name in out.flags) throw new Error(`neuralzoo ${command}: --${name} given twice`);
    if (s.type === 'int') {
      const n = Number(raw);
      const min = s.min ?? 1;
      if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min)
        throw new Error(`neuralzoo ${command}: --${name} must be an integer >= ${min}, got '${raw}'`);
      out.flags[name] = n;
    } else out.flags[name] = raw;
  }
  return out;
}

function known(spec: Record<string, FlagSpec>): string {
  const names = Object.keys(spec);
  return names.length ? names.map((n) => `--${n}`).join(', ') : 'none';
}

/** Usage lines of a flag spec. */
export function describeFlags(spec: Record<string, FlagSpec>): string {
  return Object.entries(spec)
    .map(([n, s]) => `      --${`${n} ${s.type === 'int' ? 'N' : 'VALUE'}`.padEnd(18)} ${s.description}`)
    .join('\n');
}
