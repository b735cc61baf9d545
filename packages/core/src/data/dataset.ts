import { tf } from '../tf';
import { Generator, defaultGenerator } from '../autograd/random';

/**
 * A map-style data set (PyTorch's `torch.utils.data.Dataset`): `length` samples, `get(i)` returns
 * sample i. Tensors that `get` returns are fresh and belong to the caller (a `DataLoader`
 * disposes them once they are collated). A data set may also implement `getBatch(indices)`
 * returning an already collated batch; `DataLoader` uses it when no custom `collate` is given.
 */
export abstract class Dataset<T = unknown> {
  abstract get length(): number;
  abstract get(index: number): T;
  /** Optional fast path: the collated batch of `indices` (tensors owned by the caller). */
  getBatch?(indices: ArrayLike<number>): T;
}

function checkIndex(i: number, n: number, what: string): void {
  if (!Number.isInteger(i) || i < 0 || i >= n) throw new Error(`${what}: index ${i} is out of range for length ${n}`);
}

/**
 * Samples are rows of the given tensors along their first dimension (PyTorch's TensorDataset):
 * `get(i)` returns `[t0[i], t1[i], …]`. The data set keeps the tensors it is given (call
 * `dispose()` when done); returned rows are new tensors owned by the caller.
 */
export class TensorDataset extends Dataset<tf.Tensor[]> {
  readonly tensors: tf.Tensor[];

  constructor(...tensors: tf.Tensor[]) {
    super();
    if (!tensors.length) throw new Error('TensorDataset: needs at least one tensor');
    tensors.forEach((t, k) => {
      if (!(t instanceof tf.Tensor)) throw new Error(`TensorDataset: argument ${k} is not a tf.Tensor`);
      if (t.rank === 0) throw new Error(`TensorDataset: tensor ${k} is a scalar; it needs a first (sample) dimension`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) throw new Error(`TensorDataset: size mismatch in the first dimension: tensor 0 has ${n} rows, tensor ${bad} [${tensors[bad].shape}] has ${tensors[bad].shape[0]}`);
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  get(index: number): tf.Tensor[] {
    checkIndex(index, this.length, 'TensorDataset.get');
    return this.tensors.map((t) => tf.tidy(() => t.slice(index, 1).squeeze([0])));
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    for (let k = 0; k < indices.length; k++) checkIndex(indices[k], this.length, 'TensorDataset.getBatch');
    return tf.tidy(() => {
      const idx = tf.tensor1d(Int32Array.from(indices), 'int32');
      return this.tensors.map((t) => tf.gather(t, idx));
    });
  }

  dispose(): void {
    for (const t of this.tensors) t.dispose();
  }
}

/** A data set of plain values held in an array (`get(i)` returns `items[i]`). */
export class ArrayDataset<T> extends Dataset<T> {
  constructor(readonly items: readonly T[]) {
    super();
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): T {
    checkIndex(index, this.items.length, 'ArrayDataset.get');
    return this.items[index];
  }
}

/** The samples of `dataset` at `indices`, in that order (PyTorch's Subset). */
export class Subset<T> extends Dataset<T> {
  readonly indices: Int32Array;

  constructor(readonly dataset: Dataset<T>, indices: ArrayLike<number>) {
    super();
    for (let k = 0; k < indices.length; k++) checkIndex(indices[k], dataset.length, 'Subset');
    this.indices = Int32Array.from(indices);
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex(index, this.indices.length, 'Subset.get');
    return this.dataset.get(this.indices[index]);
  }

  override getBatch(indices: ArrayLike<number>): T {
    if (!this.dataset.getBatch) throw new Error('Subset.getBatch: the underlying data set has no getBatch');
    return this.dataset.getBatch(Array.from(indices, (i) => {
      checkIndex(i, this.indices.length, 'Subset.getBatch');
      return this.indices[i];
    }));
  }
}

/**
 * Splits `dataset` into non-overlapping random subsets of the given lengths (PyTorch's
 * random_split). Lengths are counts summing to `dataset.length`, or fractions summing to 1 (the
 * remainder is dealt round-robin, like PyTorch). Uses `generator` (default: the default one).
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: number[], generator: Generator = defaultGenerator): Subset<T>[] {
  const n = dataset.length;
  let counts = lengths;
  const total = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9 && lengths.some((l) => l < 1 || !Number.isInteger(l))) {
    counts = lengths.map((f) => Math.floor(n * f));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]++;
  } else if (total !== n || lengths.some((l) => !Number.isInteger(l) || l < 0)) {
    throw new Error(`randomSplit: lengths [${lengths}] must be counts summing to the data set's length (${n}) or fractions summing to 1`);
  }
  const perm = generator.permutation(n);
  const out: Subset<T>[] = [];
  let start = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.subarray(start, start + c)));
    start += c;
  }
  return out;
}
