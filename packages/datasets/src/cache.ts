/**
 * A cache of parsed data sets under ~/.cache/neuralzoo, so that slow parses (SWORD modules…)
 * run once per machine. An entry `<name>.json` is two lines: a header
 * `{"format":1,"sources":[[path,size,mtimeMs]…],"sha256":…,"bytes":…}` and the payload (JSON).
 * It is used only while its source files are unchanged (same size and mtime) and its payload
 * matches the checksum; otherwise the data are parsed again and the entry rewritten. Writes are
 * atomic (a temporary file renamed over the entry), so concurrent loaders never see a partial
 * file. A cache that cannot be written (read-only home) is skipped silently: it only saves time.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The default cache folder: ~/.cache/neuralzoo. */
export function defaultCacheDir(): string {
  return path.join(os.homedir(), '.cache', 'neuralzoo');
}

type Fingerprint = [string, number, number][];

function fingerprint(sources: string[]): Fingerprint {
  return sources.map((s) => {
    const st = fs.statSync(s);
    return [path.resolve(s), st.size, Math.round(st.mtimeMs)];
  });
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Returns `build()`'s result, from `<dir>/<name>.json` when a valid entry for the current
 * `sources` exists, else building it and storing it. `encode`/`decode` map the value to and
 * from JSON-safe data (default: identity). `dir: false` disables the cache.
 */
export function cached<T, J = T>(
  name: string,
  sources: string[],
  build: () => T,
  opts: { dir?: string | false; encode?: (v: T) => J; decode?: (j: J) => T } = {},
): T {
  if (opts.dir === false) return build();
  if (!/^[\w.-]+$/.test(name)) throw new Error(`cached: entry name ${JSON.stringify(name)} must be letters, digits, '.', '_' or '-'`);
  const file = path.join(opts.dir ?? defaultCacheDir(), `${name}.json`);
  const fp = fingerprint(sources);
  const encode = opts.encode ?? ((v: T) => v as unknown as J);
  const decode = opts.decode ?? ((j: J) => j as unknown as T);
  try {
    const text = fs.readFileSync(file, 'utf8');
    const nl = text.indexOf('\n');
    const head = JSON.parse(text.slice(0, nl)) as { format: number; sources: Fingerprint; sha256: string; bytes: number };
    const body = text.slice(nl + 1);
    if (head.format === 1 && JSON.stringify(head.sources) === JSON.stringify(fp) && body.length === head.bytes && sha256(body) === head.sha256)
      return decode(JSON.parse(body) as J);
  } catch {
    // missing, unreadable or corrupt: parse again below
  }
  const value = build();
  try {
    const body = JSON.stringify(encode(value));
    const head = JSON.stringify({ format: 1, sources: fp, sha256: sha256(body), bytes: body.length });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${head}\n${body}`);
    fs.renameSync(tmp, file);
  } catch {
    // not writable: the cache is an optimisation only
  }
  return value;
}
