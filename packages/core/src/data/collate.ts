import { tf } from '../tf';

/** The batch type `defaultCollate` makes from samples of type T. */
export type Collated<T> = T extends tf.Tensor | number | boolean | ArrayBufferView
  ? tf.Tensor
  : T extends string
    ? string[]
    : T extends readonly unknown[]
      ? { [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { [K in keyof T]: Collated<T[K]> }
        : never;

const FLOAT_ARRAYS = [Float32Array, Float64Array];

function describe(v: unknown): string {
  if (v instanceof tf.Tensor) return `tensor [${v.shape}] ${v.dtype}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `array(${v.length})`;
  return v === null ? 'null' : typeof v;
}

/**
 * Stacks a list of samples into a batch, like PyTorch's default_collate:
 * - tensors of one shape → `tf.stack` ([B, ...shape], dtype kept);
 * - numbers → a [B] tensor, int32 when every value is an integer (class labels), else float32;
 * - booleans → a [B] bool tensor;
 * - typed arrays of one length → [B, length]: float32 from Float32/Float64Array, int32 otherwise;
 * - arrays (tuples) and plain objects → the same structure with each field collated;
 * - strings → a string[].
 * The returned tensors are new; the samples are not disposed here (`DataLoader` does that).
 */
export function defaultCollate<T>(samples: T[]): Collated<T> {
  return collate(samples as unknown[], 'batch') as Collated<T>;
}

function collate(samples: unknown[], path: string): unknown {
  if (!samples.length) throw new Error('defaultCollate: cannot collate an empty list of samples');
  const first = samples[0];
  const mismatch = (i: number) => new Error(`defaultCollate: ${path}: sample 0 is ${describe(first)} but sample ${i} is ${describe(samples[i])}`);
  if (first instanceof tf.Tensor) {
    samples.forEach((s, i) => {
      if (!(s instanceof tf.Tensor) || !tf.util.arraysEqual(s.shape, first.shape) || s.dtype !== first.dtype) throw mismatch(i);
    });
    return tf.stack(samples as tf.Tensor[]);
  }
  if (typeof first === 'number') {
    let ints = true;
    samples.forEach((s, i) => {
      if (typeof s !== 'number') throw mismatch(i);
      if (!Number.isInteger(s)) ints = false;
    });
    return ints ? tf.tensor1d(samples as number[], 'int32') : tf.tensor1d(samples as number[], 'float32');
  }
  if (typeof first === 'boolean') {
    samples.forEach((s, i) => {
      if (typeof s !== 'boolean') throw mismatch(i);
    });
    return tf.tensor1d(samples as boolean[], 'bool');
  }
  if (ArrayBuffer.isView(first) && !(first instanceof DataView)) {
    const len = (first as unknown as ArrayLike<number>).length;
    const isFloat = FLOAT_ARRAYS.some((C) => first instanceof C);
    const out = isFloat ? new Float32Array(samples.length * len) : new Int32Array(samples.length * len);
    samples.forEach((s, i) => {
      if (!ArrayBuffer.isView(s) || s.constructor !== first.constructor || (s as unknown as ArrayLike<number>).length !== len) throw mismatch(i);
      out.set(s as unknown as ArrayLike<number>, i * len);
    });
    return tf.tensor2d(out, [samples.length, len], isFloat ? 'float32' : 'int32');
  }
  if (typeof first === 'string') {
    samples.forEach((s, i) => {
      if (typeof s !== 'string') throw mismatch(i);
    });
    return samples.slice();
  }
  if (Array.isArray(first)) {
    samples.forEach((s, i) => {
      if (!Array.isArray(s) || s.length !== first.length) throw mismatch(i);
    });
    return withCleanup(first.map((_, k) => () => collate(samples.map((s) => (s as unknown[])[k]), `${path}[${k}]`)));
  }
  if (first !== null && typeof first === 'object' && Object.getPrototypeOf(first) === Object.prototype) {
    const keys = Object.keys(first);
    samples.forEach((s, i) => {
      if (s === null || typeof s !== 'object' || Object.keys(s).length !== keys.length || keys.some((k) => !(k in (s as object)))) throw mismatch(i);
    });
    const values = withCleanup(keys.map((k) => () => collate(samples.map((s) => (s as Record<string, unknown>)[k]), `${path}.${k}`)));
    return Object.fromEntries(keys.map((k, i) => [k, values[i]]));
  }
  throw new Error(`defaultCollate: ${path}: cannot collate ${describe(first)} (expected tensors, numbers, booleans, typed arrays, strings, arrays or plain objects of those)`);
}

/** Runs each field's collation; if one throws, disposes the tensors already made. */
function withCleanup(fields: Array<() => unknown>): unknown[] {
  const out: unknown[] = [];
  try {
    for (const f of fields) out.push(f());
    return out;
  } catch (e) {
    for (const t of collectTensors(out)) t.dispose();
    throw e;
  }
}

/** Every tensor inside a (nested) batch, each once. */
export function collectTensors(value: unknown, out: Set<tf.Tensor> = new Set()): Set<tf.Tensor> {
  if (value instanceof tf.Tensor) out.add(value);
  else if (Array.isArray(value)) for (const v of value) collectTensors(v, out);
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collectTensors(v, out);
  return out;
}

/** Disposes every tensor inside a (nested) batch: arrays, tuples and plain objects of tensors. */
export function disposeBatch(batch: unknown): void {
  for (const t of collectTensors(batch)) if (!t.isDisposed) t.dispose();
}
