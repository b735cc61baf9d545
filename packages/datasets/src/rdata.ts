/**
 * Readers for R's data files, enough to load data frames that R packages ship:
 *
 *  - R serialization, XDR format (`X\n`, versions 2 and 3; R Internals, "Serialization
 *    formats"): a stream of items, each a 32-bit big-endian flags word (type in the low byte,
 *    bit 8 "is object", bit 9 "has attributes", bit 10 "has tag") followed by its payload.
 *  - Lazy-load databases (`<name>.rdx` + `<name>.rdb`, what `R CMD INSTALL` makes of a
 *    package's data/): the .rdx is a gzip-compressed serialized list whose `variables` maps each
 *    object's name to `c(offset, length)` in the .rdb; each .rdb record is a 4-byte big-endian
 *    uncompressed length and a zlib stream (or, with a type byte after the length, `Z` zlib,
 *    `0` none; bzip2/xz records are reported as unsupported) holding the serialized object.
 *  - `.rda` / `.RData` files (`save()`): `RDX2\n` or `RDX3\n` and a serialized pairlist of
 *    name → object, compressed with gzip or xz (our `./xz`; bzip2 is reported as unsupported).
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { xzDecompress } from './xz';

/** An R object: its SEXP type name, its payload and its attributes (names, class, levels…). */
export interface RObject {
  type: 'NULL' | 'symbol' | 'pairlist' | 'logical' | 'integer' | 'double' | 'complex' | 'character' | 'list' | 'expression' | 'environment' | 'language' | 'closure' | 'special';
  /**
   * logical/integer: Int32Array (NA = -2^31); double: Float64Array (NA is a NaN); character:
   * (string | null)[] (null = NA); list/expression: RObject[]; symbol: the name; pairlist:
   * `{ tag, value }[]`; others: undefined.
   */
  value: unknown;
  attributes: Record<string, RObject>;
}

/** R's NA_integer_. */
export const R_NA_INTEGER = -2147483648;

const NULL: RObject = { type: 'NULL', value: undefined, attributes: {} };
const TYPES: Record<number, RObject['type']> = { 10: 'logical', 13: 'integer', 14: 'double', 15: 'complex', 16: 'character', 19: 'list', 20: 'expression' };

class Reader {
  private at = 0;
  private readonly view: DataView;
  private readonly refs: RObject[] = [];

  constructor(private readonly buf: Uint8Array, private readonly what: string) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(msg: string): never {
    throw new Error(`parseRSerialized: ${this.what} ${msg} (at byte ${this.at})`);
  }

  int(): number {
    if (this.at + 4 > this.buf.length) this.fail('is truncated');
    const v = this.view.getInt32(this.at);
    this.at += 4;
    return v;
  }

  length(): number {
    const n = this.int();
    if (n !== -1) return n;
    const hi = this.int();
    const lo = this.int();
    return hi * 2 ** 32 + (lo >>> 0);
  }

  bytes(n: number): Uint8Array {
    if (this.at + n > this.buf.length) this.fail('is truncated');
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  header(): void {
    const magic = String.fromCharCode(...this.bytes(2));
    if (magic !== 'X\n') this.fail(`is not XDR-serialized R data (starts with ${JSON.stringify(magic)}; only format X is supported)`);
    const version = this.int();
    this.int(); // writer's R version
    this.int(); // minimal reader version
    if (version === 3) this.bytes(this.int()); // native encoding name
    else if (version !== 2) this.fail(`uses serialization version ${version}`);
  }

  charsxp(): string | null {
    const n = this.int();
    return n === -1 ? null : Buffer.from(this.bytes(n)).toString('utf8');
  }

  item(): RObject {
    const flags = this.int();
    const type = flags & 0xff;
    const hasAttr = (flags & (1 << 9)) !== 0;
    const hasTag = (flags & (1 << 10)) !== 0;
    switch (type) {
      case 254: // NILVALUE_SXP
        return NULL;
      case 253: case 242: case 241: case 250: case 251: case 252: // global/empty/base env, base namespace, missing arg, unbound
        return { type: 'environment', value: undefined, attributes: {} };
      case 255: { // REFSXP
        const index = (flags >> 8) || this.int();
        return this.refs[index - 1] ?? this.fail(`refers to unknown reference ${index}`);
      }
      case 247: case 249: case 248: { // PERSISTSXP, NAMESPACESXP, PACKAGESXP: a string vector
        if (this.int() !== 0) this.fail('has a persistent-name vector with a non-zero flag');
        const n = this.int();
        const names = Array.from({ length: n }, () => (this.int(), this.charsxp()));
        const env: RObject = { type: 'environment', value: names, attributes: {} };
        this.refs.push(env);
        return env;
      }
      case 1: { // SYMSXP
        const name = this.item().value as (string | null)[] | string;
        const sym: RObject = { type: 'symbol', value: typeof name === 'string' ? name : name?.[0] ?? '', attributes: {} };
        this.refs.push(sym);
        return sym;
      }
      case 9: // CHARSXP (as an item: only inside SYMSXP)
        return { type: 'character', value: this.charsxp(), attributes: {} };
      case 2: case 6: case 3: case 5: case 17: case 239: case 240: { // pairlist-like
        const cells: { tag: string | null; value: RObject }[] = [];
        let attributes: Record<string, RObject> = {};
        let f = flags;
        for (;;) {
          const t = f & 0xff;
          if (t === 254) break;
          if (![2, 6, 3, 5, 17, 239, 240].includes(t)) {
            // A dotted pair ending in a non-NULL CDR: keep it as an untagged cell.
            this.at -= 4;
            cells.push({ tag: null, value: this.item() });
            break;
          }
          if (f & (1 << 9)) attributes = { ...attributes, ...this.attributes() };
          const tag = f & (1 << 10) ? (this.item().value as string) : null;
          cells.push({ tag, value: this.item() });
          f = this.int();
        }
        const kind = type === 6 || type === 240 ? 'language' : type === 3 ? 'closure' : 'pairlist';
        return { type: kind, value: cells, attributes };
      }
      case 4: { // ENVSXP
        const env: RObject = { type: 'environment', value: undefined, attributes: {} };
        this.refs.push(env);
        this.int(); // locked
        this.item(); // enclosure
        this.item(); // frame
        this.item(); // hash table
        env.attributes = this.pairlistToRecord(this.item());
        return env;
      }
      case 10: case 13: case 14: case 15: case 16: case 19: case 20: {
        const n = this.length();
        let value: unknown;
        if (type === 10 || type === 13) {
          const out = new Int32Array(n);
          for (let i = 0; i < n; i++) out[i] = this.int();
          value = out;
        } else if (type === 14 || type === 15) {
          const m = type === 15 ? 2 * n : n;
          const raw = this.bytes(8 * m);
          const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
          const out = new Float64Array(m);
          for (let i = 0; i < m; i++) out[i] = dv.getFloat64(8 * i);
          value = out;
        } else if (type === 16) {
          value = Array.from({ length: n }, () => (this.int(), this.charsxp()));
        } else {
          value = Array.from({ length: n }, () => this.item());
        }
        return { type: TYPES[type], value, attributes: hasAttr ? this.attributes() : {} };
      }
      case 238: { // ALTREP_SXP: class info, state, attributes
        const info = this.item().value as { value: RObject }[];
        const cls = info?.[0]?.value.value as string;
        const state = this.item();
        const attributes = this.pairlistToRecord(this.item());
        return { ...this.expandAltrep(cls, state), attributes };
      }
      default:
        if (hasTag) this.fail(`holds unsupported tagged SEXP type ${type}`);
        return this.fail(`holds unsupported SEXP type ${type}`);
    }
  }

  private expandAltrep(cls: string, state: RObject): RObject {
    if (cls === 'compact_intseq' || cls === 'compact_realseq') {
      const [n, start, step] = Array.from(state.value as Float64Array | Int32Array);
      const out = cls === 'compact_intseq' ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = start + i * step;
      return { type: cls === 'compact_intseq' ? 'integer' : 'double', value: out, attributes: {} };
    }
    if (cls.startsWith('wrap_')) return (state.value as RObject[])[0];
    if (cls === 'deferred_string') {
      const arg = (state.value as { value: RObject }[])[0].value;
      const v = arg.value as ArrayLike<number>;
      return { type: 'character', value: Array.from(v, (x) => (arg.type === 'integer' && x === R_NA_INTEGER) || Number.isNaN(x) ? null : String(x)), attributes: {} };
    }
    return this.fail(`holds ALTREP class ${cls}, which is not supported`);
  }

  private attributes(): Record<string, RObject> {
    return this.pairlistToRecord(this.item());
  }

  private pairlistToRecord(list: RObject): Record<string, RObject> {
    const out: Record<string, RObject> = {};
    if (list.type === 'pairlist') for (const c of list.value as { tag: string | null; value: RObject }[]) if (c.tag) out[c.tag] = c.value;
    return out;
  }
}

/** Parses R's XDR serialization (the payload of .rds files and lazy-load records). */
export function parseRSerialized(bytes: Uint8Array, what = 'R data'): RObject {
  const r = new Reader(bytes, what);
  r.header();
  return r.item();
}

/** Reads an .rds file (gzip-compressed or plain). */
export function readRds(file: string): RObject {
  let bytes: Uint8Array = fs.readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  return parseRSerialized(bytes, file);
}

/** A lazy-load database: the names it holds and a reader for each. */
export interface LazyLoadDb {
  names: string[];
  get(name: string): RObject;
}

/** Opens `<base>.rdx` / `<base>.rdb` (e.g. `<pkg>/data/Rdata`). */
export function openLazyLoadDb(base: string): LazyLoadDb {
  const index = readRds(`${base}.rdx`);
  const parts = index.value as RObject[];
  const names = (index.attributes.names?.value ?? []) as string[];
  const variables = parts[names.indexOf('variables')];
  if (!variables || variables.type !== 'list') throw new Error(`openLazyLoadDb: ${base}.rdx has no 'variables' list`);
  const varNames = variables.attributes.names.value as string[];
  const rdb = `${base}.rdb`;
  return {
    names: [...varNames],
    get(name: string): RObject {
      const k = varNames.indexOf(name);
      if (k < 0) throw new Error(`openLazyLoadDb: ${base} has no object ${JSON.stringify(name)}; it has ${varNames.join(', ')}`);
      const [offset, length] = Array.from((variables.value as RObject[])[k].value as Int32Array | Float64Array);
      const fd = fs.openSync(rdb, 'r');
      const rec = Buffer.alloc(length);
      try {
        if (fs.readSync(fd, rec, 0, length, offset) !== length) throw new Error(`openLazyLoadDb: ${rdb} is truncated at object ${name}`);
      } finally {
        fs.closeSync(fd);
      }
      const outLen = rec.readUInt32BE(0);
      let payload: Buffer;
      const kind = String.fromCharCode(rec[4]);
      if (rec[4] === 0x78) payload = zlib.inflateSync(rec.subarray(4));
      else if (kind === 'Z') payload = zlib.inflateSync(rec.subarray(5));
      else if (kind === '0') payload = rec.subarray(5);
      else throw new Error(`openLazyLoadDb: ${rdb} object ${name} uses compression ${JSON.stringify(kind)} (only zlib is supported)`);
      if (payload.length !== outLen) throw new Error(`openLazyLoadDb: ${rdb} object ${name} inflates to ${payload.length} bytes, its header says ${outLen}`);
      return parseRSerialized(payload, `${rdb} object ${name}`);
    },
  };
}

/** A data frame's columns: factors as `{ levels, codes }` (codes 0-based, -1 for NA). */
export type RColumn = Int32Array | Float64Array | (string | null)[] | { levels: string[]; codes: Int32Array };

/** Converts an R data.frame object to named columns (checks every column has the frame's length). */
export function dataFrameColumns(df: RObject, what = 'data frame'): Record<string, RColumn> {
  const cls = (df.attributes.class?.value ?? []) as string[];
  if (df.type !== 'list' || !cls.includes('data.frame')) throw new Error(`dataFrameColumns: ${what} is not a data.frame (type ${df.type}, class ${cls.join('/') || 'none'})`);
  const names = df.attributes.names.value as string[];
  const out: Record<string, RColumn> = {};
  let n = -1;
  (df.value as RObject[]).forEach((col, k) => {
    let c: RColumn;
    const colClass = (col.attributes.class?.value ?? []) as string[];
    if (colClass.includes('factor')) {
      const codes = Int32Array.from(col.value as Int32Array, (v) => (v === R_NA_INTEGER ? -1 : v - 1));
      c = { levels: col.attributes.levels.value as string[], codes };
    } else if (col.type === 'integer' || col.type === 'logical' || col.type === 'double' || col.type === 'character') {
      c = col.value as RColumn;
    } else {
      throw new Error(`dataFrameColumns: column ${names[k]} of ${what} has unsupported type ${col.type}`);
    }
    const len = 'codes' in c ? c.codes.length : c.length;
    if (n >= 0 && len !== n) throw new Error(`dataFrameColumns: column ${names[k]} of ${what} has ${len} rows, the others ${n}`);
    n = len;
    out[names[k]] = c;
  });
  return out;
}

/** Reads an `.rda`/`.RData` file: its objects by name. */
export function readRData(file: string): Record<string, RObject> {
  let bytes: Uint8Array = fs.readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = zlib.gunzipSync(bytes);
  else if (bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a) bytes = xzDecompress(bytes);
  else if (bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68) throw new Error(`readRData: ${file} is bzip2-compressed, which is not supported`);
  const magic = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (magic !== 'RDX2\n' && magic !== 'RDX3\n') throw new Error(`readRData: ${file} is not an R data file (starts with ${JSON.stringify(magic)})`);
  const list = parseRSerialized(bytes.subarray(5), file);
  const out: Record<string, RObject> = {};
  if (list.type === 'pairlist') for (const c of list.value as { tag: string | null; value: RObject }[]) if (c.tag) out[c.tag] = c.value;
  return out;
}
