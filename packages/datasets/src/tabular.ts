import { data, tf } from '@neuralzoo/core';

/**
 * A tabular classification set: row i of `features` (`shape[1]` float32 values, row-major) has
 * class `labels[i]`, an index into `classes`.
 */
export interface TabularSet {
  /** N*D feature values, row-major. */
  features: Float32Array;
  /** Class index of each row. */
  labels: Int32Array;
  /** [N, D]. */
  shape: [number, number];
  /** Names of the D columns. */
  featureNames: string[];
  /** Class names; `classes[labels[i]]` names row i. */
  classes: string[];
}

/**
 * A `TabularSet` as core's `data.Dataset`: sample i is `[features [D] float32, label int32
 * scalar]`, `getBatch` gives `[features [B, D], labels [B]]`; the set holds no tensor.
 */
export class TabularDataset extends data.Dataset<tf.Tensor[]> {
  constructor(readonly set: TabularSet) {
    super();
    const [n, d] = set.shape;
    if (set.features.length !== n * d || set.labels.length !== n)
      throw new Error(`toTabularDataset: shape [${set.shape}] needs ${n * d} values and ${n} labels, got ${set.features.length} and ${set.labels.length}`);
  }

  get length(): number {
    return this.set.shape[0];
  }

  get(index: number): tf.Tensor[] {
    this.check(index, 'get');
    const d = this.set.shape[1];
    return [tf.tensor1d(this.set.features.slice(index * d, (index + 1) * d)), tf.scalar(this.set.labels[index], 'int32')];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const d = this.set.shape[1];
    const b = indices.length;
    const x = new Float32Array(b * d);
    const y = new Int32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      this.check(i, 'getBatch');
      x.set(this.set.features.subarray(i * d, (i + 1) * d), k * d);
      y[k] = this.set.labels[i];
    }
    return [tf.tensor2d(x, [b, d]), tf.tensor1d(y, 'int32')];
  }

  private check(i: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`TabularDataset.${what}: index ${i} is out of range for length ${this.length}`);
  }
}

/** Wraps a loaded tabular set for `data.DataLoader` / `train.fit`. */
export function toTabularDataset(set: TabularSet): TabularDataset {
  return new TabularDataset(set);
}

/**
 * Per-column mean and standard deviation (population) of a set, e.g. of its train split, to
 * standardise every split the same way with `standardize`.
 */
export function columnStats(set: TabularSet): { mean: Float32Array; std: Float32Array } {
  const [n, d] = set.shape;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += set.features[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sq[j] += (set.features[i * d + j] - mean[j]) ** 2 / n;
  return { mean: Float32Array.from(mean), std: Float32Array.from(sq, Math.sqrt) };
}

/** A copy of `set` with each column mapped to (x - mean) / std (std 0 leaves x - mean). */
export function standardize(set: TabularSet, stats: { mean: Float32Array; std: Float32Array }): TabularSet {
  const d = set.shape[1];
  if (stats.mean.length !== d || stats.std.length !== d) throw new Error(`standardize: stats have ${stats.mean.length} columns, the set ${d}`);
  const features = Float32Array.from(set.features, (v, k) => (v - stats.mean[k % d]) / (stats.std[k % d] || 1));
  return { ...set, features, labels: set.labels.slice(), featureNames: [...set.featureNames], classes: [...set.classes] };
}
