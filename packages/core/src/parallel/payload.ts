import { tf } from '../tf';

/** A tensor as plain data that structured clone (postMessage) can carry. */
export interface TensorPayload {
  data: Float32Array | Int32Array | Uint8Array;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
}

/** A copy of `t`'s values as a payload (strings are not supported). */
export function toPayload(t: tf.Tensor): TensorPayload {
  if (t.dtype === 'string' || t.dtype === 'complex64') throw new Error(`cannot send a ${t.dtype} tensor to a replica`);
  const values = t.dataSync();
  const data = t.dtype === 'float32' ? Float32Array.from(values as Float32Array) : t.dtype === 'int32' ? Int32Array.from(values as Int32Array) : Uint8Array.from(values as Uint8Array);
  return { data, shape: t.shape.slice(), dtype: t.dtype as TensorPayload['dtype'] };
}

export function fromPayload(p: TensorPayload): tf.Tensor {
  return tf.tensor(p.data, p.shape, p.dtype);
}

/** Rows [start, end) of a payload (dim 0), as a new payload with its own buffer. */
export function slicePayload(p: TensorPayload, start: number, end: number): TensorPayload {
  if (p.shape.length === 0) throw new Error('cannot shard a scalar: every batch element needs a first (sample) dimension');
  const row = p.shape.slice(1).reduce((a, b) => a * b, 1);
  return { data: p.data.slice(start * row, end * row), shape: [end - start, ...p.shape.slice(1)], dtype: p.dtype };
}

/** A nested structure (arrays, plain objects) with tensors replaced by payloads. */
export type Packed = TensorPayload | number | string | boolean | null | Packed[] | { [key: string]: Packed };

const PAYLOAD = '__tensor';

/** Replaces every tensor in `value` by `{ __tensor: payload }`. */
export function pack(value: unknown, map: (t: tf.Tensor) => TensorPayload = toPayload): Packed {
  if (value instanceof tf.Tensor) return { [PAYLOAD]: map(value) } as unknown as Packed;
  if (Array.isArray(value)) return value.map((v) => pack(v, map));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v, map)]));
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return (value ?? null) as Packed;
  throw new Error(`cannot send ${typeof value} ${(value as object).constructor?.name ?? ''} to a replica: batches hold tensors, numbers, strings, arrays and plain objects`);
}

/** Inverse of `pack`: makes new tensors (the caller disposes them). */
export function unpack(value: Packed): unknown {
  if (Array.isArray(value)) return value.map(unpack);
  if (value !== null && typeof value === 'object') {
    if (PAYLOAD in value) return fromPayload((value as unknown as Record<string, TensorPayload>)[PAYLOAD]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unpack(v as Packed)]));
  }
  return value;
}

/** Every ArrayBuffer inside a packed value (to transfer rather than copy). */
export function transferables(value: Packed, out: ArrayBuffer[] = []): ArrayBuffer[] {
  if (Array.isArray(value)) for (const v of value) transferables(v, out);
  else if (value !== null && typeof value === 'object') {
    if (PAYLOAD in value) out.push((value as unknown as Record<string, TensorPayload>)[PAYLOAD].data.buffer as ArrayBuffer);
    else for (const v of Object.values(value)) transferables(v as Packed, out);
  }
  return out;
}
