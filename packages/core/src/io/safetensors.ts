/**
 * The safetensors format, in memory (browser-safe): 8-byte little-endian header length N, N bytes
 * of JSON header `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {…} }`, then
 * raw little-endian tensor bytes. Reads F32, F16, BF16, F64, I64, I32, I16, I8, U8 and BOOL (to
 * TF.js float32/int32/bool); writes F32, I32 and BOOL (what TF.js holds).
 */
import { tf } from '../tf';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export interface SafetensorsFile {
  tensors: Record<string, tf.Tensor>;
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: SafetensorsDtype;
  shape: number[];
  data_offsets: [number, number];
}

/** Serialises tensors (and string metadata) to safetensors bytes. Keys are written sorted. */
export function serializeSafetensors(tensors: Record<string, tf.Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length) {
    for (const [k, v] of Object.entries(metadata))
      if (typeof v !== 'string') throw new Error(`serializeSafetensors: metadata '${k}' must be a string, got ${typeof v}`);
    header.__metadata__ = metadata;
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (!(t instanceof tf.Tensor)) throw new Error(`serializeSafetensors: '${name}' is not a tf.Tensor`);
    if (t.isDisposed) throw new Error(`serializeSafetensors: '${name}' is disposed`);
    let bytes: Uint8Array;
    let dtype: SafetensorsDtype;
    if (t.dtype === 'float32') {
      dtype = 'F32';
      bytes = toLittleEndian(new Uint8Array(Float32Array.from(t.dataSync() as Float32Array).buffer), 4);
    } else if (t.dtype === 'int32') {
      dtype = 'I32';
      bytes = toLittleEndian(new Uint8Array(Int32Array.from(t.dataSync() as Int32Array).buffer), 4);
    } else if (t.dtype === 'bool') {
      dtype = 'BOOL';
      bytes = Uint8Array.from(t.dataSync() as Uint8Array);
    } else {
      throw new Error(`serializeSafetensors: '${name}' has dtype ${t.dtype}, which safetensors cannot hold`);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned (as the Rust writer does).
  json += ' '.repeat((8 - ((8 + utf8Length(json)) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * Parses safetensors bytes into tensors. Validates everything before creating any tensor, so a
 * truncated or corrupt file throws (naming `source` and the problem) and allocates nothing.
 */
export function parseSafetensors(bytes: Uint8Array, source = 'safetensors data'): SafetensorsFile {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid safetensors file: ${why}`);
  };
  if (bytes.length < 8) fail(`${bytes.length} bytes is shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  if (n > bytes.length - 8) fail(`header length ${n} exceeds the ${bytes.length - 8} bytes after it (truncated?)`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    return fail(`header is not JSON (${(e as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return fail('header is not a JSON object');
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const entries: Array<[string, HeaderEntry]> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const e = raw as HeaderEntry;
    if (!e || typeof e !== 'object' || !(e.dtype in BYTES)) fail(`tensor '${name}' has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`tensor '${name}' has a bad shape`);
    const [begin, end] = e.data_offsets ?? [];
    const expected = e.shape.reduce((a, b) => a * b, 1) * BYTES[e.dtype];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin)
      fail(`tensor '${name}' has bad data_offsets ${JSON.stringify(e.data_offsets)}`);
    if (end - begin !== expected) fail(`tensor '${name}' [${e.shape}] ${e.dtype} needs ${expected} bytes, offsets span ${end - begin}`);
    if (end > dataLength) fail(`tensor '${name}' ends at byte ${end} but the data section has ${dataLength} bytes (truncated?)`);
    entries.push([name, e]);
  }
  const decoded = entries.map(([name, e]) => {
    const [begin, end] = e.data_offsets;
    const raw = bytes.slice(dataStart + begin, dataStart + end); // copy: aligned, owned
    return [name, decode(raw, e.dtype), e.shape] as const;
  });
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, { values, dtype }, shape] of decoded) tensors[name] = tf.tensor(values, shape, dtype);
  return { tensors, metadata };
}

function decode(raw: Uint8Array, dtype: SafetensorsDtype): { values: Float32Array | Int32Array | Uint8Array; dtype: 'float32' | 'int32' | 'bool' } {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = raw.length / BYTES[dtype];
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return { values: out, dtype: 'float32' };
    }
    case 'F64': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
      return { values: out, dtype: 'float32' };
    }
    case 'F16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return { values: out, dtype: 'float32' };
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const u32 = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) u32[i] = view.getUint16(2 * i, true) << 16;
      return { values: out, dtype: 'float32' };
    }
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(8 * i, true);
        if (v > 2147483647n || v < -2147483648n) throw new Error(`I64 value ${v} does not fit TF.js int32`);
        out[i] = Number(v);
      }
      return { values: out, dtype: 'int32' };
    }
    case 'I32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
      return { values: out, dtype: 'int32' };
    }
    case 'I16': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, true);
      return { values: out, dtype: 'int32' };
    }
    case 'I8':
      return { values: Int32Array.from(new Int8Array(raw.buffer, raw.byteOffset, n)), dtype: 'int32' };
    case 'U8':
      return { values: Int32Array.from(raw), dtype: 'int32' };
    case 'BOOL':
      return { values: Uint8Array.from(raw, (b) => (b ? 1 : 0)), dtype: 'bool' };
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function toLittleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (LITTLE_ENDIAN) return bytes;
  for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
  return bytes;
}

function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}
