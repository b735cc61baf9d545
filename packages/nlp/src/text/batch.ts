/**
 * Padding, truncation, masks and batching of variable-length token sequences. Sequences are
 * right-padded (real tokens first), so a row's real tokens are positions [0, length).
 */
import { data, tf } from '@neuralzoo/core';

/** What to do with a sequence longer than the target length. */
export type Truncation = 'error' | 'right' | 'left';

/** Options of `padSequences`. */
export interface PadOptions {
  /** Id written into padding positions. Default 0 (`<pad>` of `Vocab`). */
  padId?: number;
  /**
   * Row length: 'longest' pads to the longest sequence of the batch (at least 1, so a batch of
   * empty sequences is [B, 1] of padding with length 0), a number pads every row to exactly that.
   * Default 'longest'.
   */
  length?: 'longest' | number;
  /**
   * The model's maximum length (e.g. its positional table); rows never exceed it. With
   * `length: 'longest'` the longest row is cut to it. Default unlimited.
   */
  maxLength?: number;
  /**
   * A sequence longer than the row length (fixed `length` or `maxLength`): 'error' throws (naming the
   * sequence, its length and the limit), 'right' keeps the first tokens, 'left' keeps the last. Default 'error'.
   */
  truncation?: Truncation;
}

/** A padded batch as plain typed arrays (row-major [batchSize, length]). */
export interface PaddedBatch {
  /** Token ids [batchSize, length], int32. */
  ids: Int32Array;
  /** 1 at real tokens, 0 at padding, [batchSize, length]. */
  mask: Uint8Array;
  /** Real tokens per row (after truncation), [batchSize]. */
  lengths: Int32Array;
  batchSize: number;
  length: number;
}

/** Pads (and truncates, per `truncation`) sequences of ids into one rectangular batch. */
export function padSequences(seqs: readonly ArrayLike<number>[], opts: PadOptions = {}): PaddedBatch {
  const { padId = 0, length = 'longest', maxLength = Infinity, truncation = 'error' } = opts;
  if (truncation !== 'error' && truncation !== 'right' && truncation !== 'left')
    throw new Error(`padSequences: truncation must be 'error', 'right' or 'left', got '${truncation}'`);
  if (maxLength !== Infinity && (!Number.isInteger(maxLength) || maxLength < 1)) throw new Error(`padSequences: maxLength must be a positive integer, got ${maxLength}`);
  if (length !== 'longest' && (!Number.isInteger(length) || length < 1)) throw new Error(`padSequences: length must be 'longest' or a positive integer, got ${length}`);
  if (typeof length === 'number' && length > maxLength) throw new Error(`padSequences: length (${length}) is over maxLength (${maxLength})`);
  const longest = seqs.reduce((m, s) => Math.max(m, s.length), 0);
  const T = length === 'longest' ? Math.max(1, Math.min(longest, maxLength)) : length;
  const B = seqs.length;
  const ids = new Int32Array(B * T).fill(padId);
  const mask = new Uint8Array(B * T);
  const lengths = new Int32Array(B);
  seqs.forEach((s, b) => {
    let start = 0;
    let n = s.length;
    if (n > T) {
      if (truncation === 'error') {
        const limit = length === 'longest' ? `maxLength ${maxLength}` : `length ${T}`;
        throw new Error(`padSequences: sequence ${b} has ${n} tokens, over ${limit}; pass truncation: 'right' or 'left' to cut it`);
      }
      if (truncation === 'left') start = n - T;
      n = T;
    }
    for (let t = 0; t < n; t++) {
      ids[b * T + t] = s[start + t];
      mask[b * T + t] = 1;
    }
    lengths[b] = n;
  });
  return { ids, mask, lengths, batchSize: B, length: T };
}

/** A padded batch as tensors. */
export interface BatchTensors {
  /** [B, T] int32 token ids. */
  ids: tf.Tensor2D;
  /** [B, T] float32, 1 at real tokens and 0 at padding (multiply or mask with it). */
  mask: tf.Tensor2D;
  /** [B] int32 real lengths. */
  lengths: tf.Tensor1D;
}

/** `padSequences` as tensors: ids int32 [B, T], mask float32 [B, T], lengths int32 [B]. */
export function padBatch(seqs: readonly ArrayLike<number>[], opts: PadOptions = {}): BatchTensors {
  const p = padSequences(seqs, opts);
  return {
    ids: tf.tensor2d(p.ids, [p.batchSize, p.length], 'int32'),
    mask: tf.tensor2d(Float32Array.from(p.mask), [p.batchSize, p.length], 'float32'),
    lengths: tf.tensor1d(p.lengths, 'int32'),
  };
}

/** float32 [B, T] mask: 1 where position t < lengths[b], else 0 (right padding). */
export function sequenceMask(lengths: tf.Tensor1D | ArrayLike<number>, T: number): tf.Tensor2D {
  return tf.tidy(() => {
    const len = lengths instanceof tf.Tensor ? lengths.toInt() : tf.tensor1d(Array.from(lengths), 'int32');
    const pos = tf.range(0, T, 1, 'int32').reshape([1, T]); // [1, T]
    return tf.less(pos, len.reshape([-1, 1])).toFloat() as tf.Tensor2D; // [B, T]
  });
}

/** float32 [B, T] mask of the non-padding ids of `ids` [B, T]. */
export function paddingMask(ids: tf.Tensor, padId = 0): tf.Tensor2D {
  return tf.tidy(() => tf.notEqual(ids, tf.scalar(padId, ids.dtype)).toFloat() as tf.Tensor2D);
}

/** Bool [B, T] mask, true at padding: the `keyPaddingMask` of core's `MultiheadAttention`. */
export function keyPaddingMask(ids: tf.Tensor, padId = 0): tf.Tensor2D {
  return tf.tidy(() => tf.equal(ids, tf.scalar(padId, ids.dtype)) as tf.Tensor2D);
}

/** Real lengths (number of non-padding ids per row) of right-padded `ids` [B, T], as numbers. */
export function lengthsOf(ids: tf.Tensor, padId = 0): number[] {
  const [B, T] = ids.shape;
  const v = ids.dataSync();
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = 0; t < T; t++) if (v[b * T + t] !== padId) n = t + 1;
    out.push(n);
  }
  return out;
}

/** Options of `TextClassificationDataset`. */
export interface TextClassificationOptions extends Omit<PadOptions, 'length'> {
  /** Row length of each batch: 'longest' (batch max, less padding) or a fixed number. Default 'longest'. */
  length?: 'longest' | number;
}

/**
 * Encoded texts with integer labels for `data.DataLoader` / `train.fit`: `getBatch` pads each
 * batch with `padSequences` and returns `[ids [B, T] int32, labels [B] int32]`.
 */
export class TextClassificationDataset extends data.Dataset<tf.Tensor[]> {
  constructor(
    readonly sequences: readonly (readonly number[])[],
    readonly labels: ArrayLike<number>,
    readonly options: TextClassificationOptions = {},
  ) {
    super();
    if (sequences.length !== labels.length) throw new Error(`TextClassificationDataset: ${sequences.length} sequences but ${labels.length} labels`);
  }

  get length(): number {
    return this.sequences.length;
  }

  /** Sample `index` alone: [ids [T] int32 (T = its padded length), label scalar int32]. */
  get(index: number): tf.Tensor[] {
    const [ids, labels] = this.getBatch([index]);
    const out = [ids.reshape([-1]), labels.reshape([])];
    tf.dispose([ids, labels]);
    return out;
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const seqs: (readonly number[])[] = [];
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`TextClassificationDataset: index ${i} is out of range for length ${this.length}`);
      seqs.push(this.sequences[i]);
      labels[k] = this.labels[i];
    }
    const p = padSequences(seqs, this.options);
    return [tf.tensor2d(p.ids, [p.batchSize, p.length], 'int32'), tf.tensor1d(labels, 'int32')];
  }
}

/** Options of `padDocuments`. */
export interface PadDocumentOptions {
  /** Id written into padding positions. Default 0. */
  padId?: number;
  /** Sentences per document: extra sentences are dropped (the first ones are kept). Required. */
  maxSentences: number;
  /** Words per sentence: extra words are dropped (the first ones are kept). Required. */
  maxWords: number;
  /** Pad to the longest document / sentence of the batch (true) or to exactly maxSentences × maxWords. Default true. */
  toLongest?: boolean;
}

/**
 * Documents (lists of sentences of ids) -> ids [B, S, W] right-padded at both levels, truncated to
 * maxSentences × maxWords (hierarchical models read documents whole, so they cut rather than throw).
 * Empty sentences are dropped first; an empty document is one all-padding sentence.
 */
export function padDocuments(docs: readonly (readonly ArrayLike<number>[])[], opts: PadDocumentOptions): { ids: Int32Array; shape: [number, number, number] } {
  const { padId = 0, maxSentences, maxWords, toLongest = true } = opts;
  if (!Number.isInteger(maxSentences) || maxSentences < 1 || !Number.isInteger(maxWords) || maxWords < 1)
    throw new Error(`padDocuments: maxSentences and maxWords must be positive integers, got ${maxSentences} and ${maxWords}`);
  const kept = docs.map((d) => d.filter((s) => s.length > 0).slice(0, maxSentences));
  const S = toLongest ? Math.max(1, ...kept.map((d) => d.length)) : maxSentences;
  const W = toLongest ? Math.max(1, ...kept.flatMap((d) => d.map((sent) => Math.min(sent.length, maxWords)))) : maxWords;
  const ids = new Int32Array(docs.length * S * W).fill(padId);
  kept.forEach((d, b) =>
    d.forEach((sent, s) => {
      const n = Math.min(sent.length, W);
      for (let w = 0; w < n; w++) ids[(b * S + s) * W + w] = sent[w];
    }),
  );
  return { ids, shape: [docs.length, S, W] };
}

/** Documents (sentences of ids) with labels for `data.DataLoader`: batches `[ids [B, S, W] int32, labels [B] int32]`. */
export class DocumentClassificationDataset extends data.Dataset<tf.Tensor[]> {
  constructor(
    readonly documents: readonly (readonly (readonly number[])[])[],
    readonly labels: ArrayLike<number>,
    readonly options: PadDocumentOptions,
  ) {
    super();
    if (documents.length !== labels.length) throw new Error(`DocumentClassificationDataset: ${documents.length} documents but ${labels.length} labels`);
  }

  get length(): number {
    return this.documents.length;
  }

  get(index: number): tf.Tensor[] {
    const [ids, labels] = this.getBatch([index]);
    const out = [ids.reshape(ids.shape.slice(1)), labels.reshape([])];
    tf.dispose([ids, labels]);
    return out;
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const docs: (readonly (readonly number[])[])[] = [];
    const labels = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`DocumentClassificationDataset: index ${i} is out of range for length ${this.length}`);
      docs.push(this.documents[i]);
      labels[k] = this.labels[i];
    }
    const p = padDocuments(docs, this.options);
    return [tf.tensor3d(p.ids, p.shape, 'int32'), tf.tensor1d(labels, 'int32')];
  }
}
