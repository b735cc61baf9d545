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

export interface Seq2SeqDatasetOptions {
  /** Length every source is truncated or padded to. */
  maxSourceLength: number;
  /** Length every target is truncated or padded to. */
  maxTargetLength: number;
  /** Token id used for padding (default 0). */
  padId?: number;
}

function encodeAll<T>(items: readonly T[], encode: (item: T) => ArrayLike<number>, maxLength: number, padId: number, what: string): { ids: Int32Array; lengths: Int32Array } {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new Error(`toSeq2SeqDataset: ${what} must be a positive integer, got ${maxLength}`);
  const ids = new Int32Array(items.length * maxLength).fill(padId);
  const lengths = new Int32Array(items.length);
  items.forEach((item, i) => {
    const tokens = encode(item);
    const n = Math.min(tokens.length, maxLength);
    for (let k = 0; k < n; k++) ids[i * maxLength + k] = tokens[k];
    lengths[i] = n;
  });
  return { ids, lengths };
}

/**
 * Aligned sequence pairs (a `ParallelSet`'s source/target sentences, a `PronunciationSet`'s
 * words/phonemes) as core's `data.Dataset`: each side is encoded once (`encodeSource`,
 * `encodeTarget` return token ids), truncated or right-padded; sample i is
 * `[source [S] int32, target [T] int32]`, `getBatch` gives `[sources [B, S], targets [B, T]]`.
 */
export class Seq2SeqDataset extends data.Dataset<tf.Tensor[]> {
  readonly source: { ids: Int32Array; lengths: Int32Array };
  readonly target: { ids: Int32Array; lengths: Int32Array };
  private readonly S: number;
  private readonly T: number;

  constructor(sources: readonly unknown[], targets: readonly unknown[], encodeSource: (s: never) => ArrayLike<number>, encodeTarget: (t: never) => ArrayLike<number>, opts: Seq2SeqDatasetOptions) {
    super();
    if (sources.length !== targets.length) throw new Error(`toSeq2SeqDataset: ${sources.length} sources but ${targets.length} targets`);
    const pad = opts.padId ?? 0;
    this.S = opts.maxSourceLength;
    this.T = opts.maxTargetLength;
    this.source = encodeAll(sources as never[], encodeSource, this.S, pad, 'maxSourceLength');
    this.target = encodeAll(targets as never[], encodeTarget, this.T, pad, 'maxTargetLength');
  }

  get length(): number {
    return this.source.lengths.length;
  }

  get(index: number): tf.Tensor[] {
    const [s, t] = this.getBatch([index]);
    const out = [s.reshape([this.S]), t.reshape([this.T])];
    tf.dispose([s, t]);
    return out;
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const b = indices.length;
    const s = new Int32Array(b * this.S);
    const t = new Int32Array(b * this.T);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`Seq2SeqDataset: index ${i} is out of range for length ${this.length}`);
      s.set(this.source.ids.subarray(i * this.S, (i + 1) * this.S), k * this.S);
      t.set(this.target.ids.subarray(i * this.T, (i + 1) * this.T), k * this.T);
    }
    return [tf.tensor2d(s, [b, this.S], 'int32'), tf.tensor2d(t, [b, this.T], 'int32')];
  }
}

/** Wraps aligned pairs for `data.DataLoader` / `train.fit` (see `Seq2SeqDataset`). */
export function toSeq2SeqDataset<S, T>(
  sources: readonly S[],
  targets: readonly T[],
  encodeSource: (s: S) => ArrayLike<number>,
  encodeTarget: (t: T) => ArrayLike<number>,
  opts: Seq2SeqDatasetOptions,
): Seq2SeqDataset {
  return new Seq2SeqDataset(sources, targets, encodeSource as (s: never) => ArrayLike<number>, encodeTarget as (t: never) => ArrayLike<number>, opts);
}
