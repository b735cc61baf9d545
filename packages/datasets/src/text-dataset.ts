import { data, tf } from '@neuralzoo/core';
import type { TextSet } from './common';

export interface TextDatasetOptions {
  /** Length every sample is truncated or padded to (tokens). */
  maxLength: number;
  /** Token id used for padding (default 0). */
  padId?: number;
}

/**
 * A `TextSet` as core's `data.Dataset`: every text is encoded once by `encode` (a tokenizer
 * returning token ids), truncated or right-padded to `maxLength`; sample i is
 * `[ids [maxLength] int32, label int32 scalar]` and `getBatch` gives `[ids [B, maxLength], labels [B]]`.
 * The set holds typed arrays only (nothing to dispose).
 */
export class TextSetDataset extends data.Dataset<tf.Tensor[]> {
  /** Token ids, row-major [N, maxLength]. */
  readonly ids: Int32Array;
  /** Number of real (unpadded) tokens per sample, at most maxLength. */
  readonly lengths: Int32Array;
  private readonly maxLength: number;

  constructor(readonly set: TextSet, encode: (text: string) => ArrayLike<number>, opts: TextDatasetOptions) {
    super();
    const { maxLength, padId = 0 } = opts;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error(`toTextDataset: maxLength must be a positive integer, got ${maxLength}`);
    if (set.texts.length !== set.labels.length)
      throw new Error(`toTextDataset: ${set.texts.length} texts but ${set.labels.length} labels`);
    this.maxLength = maxLength;
    this.ids = new Int32Array(set.texts.length * maxLength).fill(padId);
    this.lengths = new Int32Array(set.texts.length);
    set.texts.forEach((t, i) => {
      const tokens = encode(t);
      const n = Math.min(tokens.length, maxLength);
      for (let k = 0; k < n; k++) this.ids[i * maxLength + k] = tokens[k];
      this.lengths[i] = n;
    });
  }

  get length(): number {
    return this.set.labels.length;
  }

  get(index: number): tf.Tensor[] {
    this.check(index, 'get');
    const T = this.maxLength;
    return [tf.tensor1d(this.ids.slice(index * T, (index + 1) * T), 'int32'), tf.scalar(this.set.labels[index], 'int32')];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const T = this.maxLength;
    const b = indices.length;
    const ids = new Int32Array(b * T);
    const labels = new Int32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      this.check(i, 'getBatch');
      ids.set(this.ids.subarray(i * T, (i + 1) * T), k * T);
      labels[k] = this.set.labels[i];
    }
    return [tf.tensor2d(ids, [b, T], 'int32'), tf.tensor1d(labels, 'int32')];
  }

  private check(i: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`TextSetDataset.${what}: index ${i} is out of range for length ${this.length}`);
  }
}

/** Wraps a loaded text set for `data.DataLoader` / `train.fit`, encoding each text with `encode`. */
export function toTextDataset(set: TextSet, encode: (text: string) => ArrayLike<number>, opts: TextDatasetOptions): TextSetDataset {
  return new TextSetDataset(set, encode, opts);
}
