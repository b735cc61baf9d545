/**
 * Batching of token-id streams for language models: contiguous column streams for truncated
 * backpropagation through time, random windows for Transformers, fixed-size contexts for n-gram
 * neural models. All return plain typed arrays; callers make tensors.
 */
import { defaultGenerator, Generator } from '@neuralzoo/core';

/**
 * Cuts `stream` into `batchSize` contiguous pieces of equal length (the tail that does not fill a
 * row is dropped), one per row: row b holds stream[b·L, (b+1)·L). Returns the [batchSize, L] ids.
 */
export function batchify(stream: Int32Array, batchSize: number): { ids: Int32Array; rows: number; cols: number } {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchify: batchSize must be a positive integer, got ${batchSize}`);
  const cols = Math.floor(stream.length / batchSize);
  if (cols < 2) throw new Error(`batchify: a stream of ${stream.length} tokens is too short for ${batchSize} rows of at least 2 tokens`);
  return { ids: stream.slice(0, cols * batchSize), rows: batchSize, cols };
}

/** One truncated-BPTT window: inputs x and next-token targets y, both [rows, len] row-major. */
export interface BpttWindow {
  x: Int32Array;
  y: Int32Array;
  rows: number;
  len: number;
}

/**
 * The truncated-BPTT windows of a batchified stream, in order: window k covers columns
 * [k·bptt, k·bptt + len) with targets shifted by one (len = bptt except for the last window).
 * Carrying the recurrent state from one window to the next (detached) continues each row's text.
 */
export function* bpttWindows(batched: { ids: Int32Array; rows: number; cols: number }, bptt: number): IterableIterator<BpttWindow> {
  if (!Number.isInteger(bptt) || bptt < 1) throw new Error(`bpttWindows: bptt must be a positive integer, got ${bptt}`);
  const { ids, rows, cols } = batched;
  for (let start = 0; start < cols - 1; start += bptt) {
    const len = Math.min(bptt, cols - 1 - start);
    const x = new Int32Array(rows * len);
    const y = new Int32Array(rows * len);
    for (let r = 0; r < rows; r++)
      for (let t = 0; t < len; t++) {
        x[r * len + t] = ids[r * cols + start + t];
        y[r * len + t] = ids[r * cols + start + t + 1];
      }
    yield { x, y, rows, len };
  }
}

/** `batchSize` windows of `len` tokens at uniformly random starts, with next-token targets. */
export function randomWindows(stream: Int32Array, batchSize: number, len: number, gen: Generator = defaultGenerator): BpttWindow {
  if (stream.length < len + 1) throw new Error(`randomWindows: a stream of ${stream.length} tokens is shorter than len + 1 (${len + 1})`);
  const x = new Int32Array(batchSize * len);
  const y = new Int32Array(batchSize * len);
  for (let b = 0; b < batchSize; b++) {
    const s = gen.randint(stream.length - len);
    x.set(stream.subarray(s, s + len), b * len);
    y.set(stream.subarray(s + 1, s + len + 1), b * len);
  }
  return { x, y, rows: batchSize, len };
}

/**
 * Fixed-size contexts for n-gram neural models: for each position p in `positions`, the `context`
 * ids before it (stream[p - context .. p - 1], `padId` before the stream's start) and the target
 * stream[p]. Returns contexts [positions.length, context] and targets [positions.length].
 */
export function ngramContexts(stream: Int32Array, context: number, positions: ArrayLike<number>, padId: number): { contexts: Int32Array; targets: Int32Array } {
  const n = positions.length;
  const contexts = new Int32Array(n * context);
  const targets = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = positions[i];
    if (p < 0 || p >= stream.length) throw new Error(`ngramContexts: position ${p} is outside the stream [0, ${stream.length})`);
    targets[i] = stream[p];
    for (let k = 0; k < context; k++) {
      const q = p - context + k;
      contexts[i * context + k] = q >= 0 ? stream[q] : padId;
    }
  }
  return { contexts, targets };
}

/** `count` uniformly random positions in [from, to) (with replacement). */
export function randomPositions(count: number, from: number, to: number, gen: Generator = defaultGenerator): Int32Array {
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = from + gen.randint(to - from);
  return out;
}
