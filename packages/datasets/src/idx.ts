/**
 * The IDX format of MNIST-style files (LeCun's MNIST page): a big-endian header of two zero
 * bytes, a type code, the rank, then one uint32 per dimension, followed by the values row-major.
 * Files may be gzip-compressed (detected by the 0x1f8b magic).
 */
import * as zlib from 'zlib';

/** IDX type codes and the typed array each decodes to. */
const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'uint8', bytes: 1 },
  0x09: { name: 'int8', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
};

export interface IdxArray {
  /** Element type, e.g. `uint8`. */
  dtype: string;
  /** Dimensions from the header. */
  shape: number[];
  /** The values, converted to host byte order. */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Parses an IDX file's bytes (gzip-compressed or not). `what` names the source in errors. */
export function parseIdx(bytes: Uint8Array, what = 'IDX data'): IdxArray {
  let buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0)
    throw new Error(`parseIdx: ${what} is not an IDX file (expected two zero bytes, got ${[...buf.subarray(0, 2)]})`);
  const type = TYPES[buf[2]];
  if (!type) throw new Error(`parseIdx: ${what} has unknown IDX type code 0x${buf[2].toString(16)}`);
  const rank = buf[3];
  const headerBytes = 4 + 4 * rank;
  if (buf.length < headerBytes) throw new Error(`parseIdx: ${what} is truncated inside its header`);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(buf.readUInt32BE(4 + 4 * i));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (buf.length !== expected)
    throw new Error(`parseIdx: ${what} has ${buf.length} bytes; header [${shape}] of ${type.name} needs ${expected}`);
  const body = buf.subarray(headerBytes);
  let data: IdxArray['data'];
  switch (type.name) {
    case 'uint8':
      data = new Uint8Array(body);
      break;
    case 'int8':
      data = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      break;
    default: {
      // Multi-byte values are big-endian in the file.
      const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
      const read = {
        int16: (i: number) => view.getInt16(2 * i),
        int32: (i: number) => view.getInt32(4 * i),
        float32: (i: number) => view.getFloat32(4 * i),
        float64: (i: number) => view.getFloat64(8 * i),
      }[type.name as 'int16' | 'int32' | 'float32' | 'float64'];
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type.name as 'int16'];
      const out = new Ctor(count) as Int16Array | Int32Array | Float32Array | Float64Array;
      for (let i = 0; i < count; i++) out[i] = read(i);
      data = out;
    }
  }
  return { dtype: type.name, shape, data };
}
