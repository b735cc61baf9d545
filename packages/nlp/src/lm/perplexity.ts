/**
 * Perplexity of language models over id streams: exp(mean negative log-likelihood per token).
 * One evaluator per way a model sees context: fixed windows (n-gram neural models), carried
 * recurrent state (RNN/LSTM) and non-overlapping blocks (Transformers).
 */
import { noGrad, tf } from '@neuralzoo/core';
import { batchify, bpttWindows, ngramContexts } from './batching';

/** exp(nll / count); the perplexity of a total negative log-likelihood (nats) over `count` tokens. */
export function perplexity(nll: number, count: number): number {
  if (!(count > 0)) throw new Error(`perplexity: count must be > 0, got ${count}`);
  return Math.exp(nll / count);
}

/**
 * Sum over tokens of -log softmax(logits)[target] = logsumexp(logits) - logits[target]:
 * logits [..., V], int32 targets [...] -> scalar (nats). The target logits are gathered by flat
 * index instead of a one-hot mask (F.crossEntropy builds an [N, V] comparison, 10× slower here).
 */
export function sumNll(logits: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const V = logits.shape[logits.rank - 1];
    const flat = logits.reshape([-1, V]); // [N, V]
    const N = flat.shape[0];
    if (targets.size !== N) throw new Error(`sumNll: ${targets.size} targets for ${N} rows of logits [${logits.shape}]`);
    const y = targets.dataSync();
    const at = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      if (!(y[i] >= 0 && y[i] < V)) throw new Error(`sumNll: target ${y[i]} at ${i} is outside [0, ${V})`);
      at[i] = i * V + y[i];
    }
    const picked = tf.gather(flat.reshape([-1]), tf.tensor1d(at, 'int32')); // [N]
    // logsumexp with a constant shift: tf.logSumExp's max gradient costs an [N, V] Equal.
    const m = noGrad(() => tf.max(flat, -1, true)); // [N, 1]
    const lse = tf.add(tf.log(tf.sum(tf.exp(tf.sub(flat, m)), -1)), m.reshape([-1])); // [N]
    return tf.sub(tf.sum(lse), tf.sum(picked)) as tf.Scalar;
  });
}

/** The result of an evaluation: perplexity, total nll (nats) and the number of predicted tokens. */
export interface PerplexityResult {
  perplexity: number;
  nll: number;
  tokens: number;
}

/** A model that scores the next token from the `context` ids before it: [N, context] -> logits [N, V]. */
export interface WindowLm {
  forward(contexts: tf.Tensor): tf.Tensor;
}

/** Perplexity of a fixed-window model over every position of `stream` (contexts padded with `padId`). */
export function windowPerplexity(model: WindowLm, stream: Int32Array, context: number, opts: { padId: number; batchSize?: number }): PerplexityResult {
  const batch = opts.batchSize ?? 512;
  let nll = 0;
  for (let s = 0; s < stream.length; s += batch) {
    const positions = Int32Array.from({ length: Math.min(batch, stream.length - s) }, (_, i) => s + i);
    const { contexts, targets } = ngramContexts(stream, context, positions, opts.padId);
    nll += tf.tidy(() => sumNll(model.forward(tf.tensor2d(contexts, [positions.length, context], 'int32')), tf.tensor1d(targets, 'int32')).dataSync()[0]);
  }
  return { perplexity: perplexity(nll, stream.length), nll, tokens: stream.length };
}

/** A recurrent model: ids [B, T] and a state (null at the start) -> [logits [B, T, V], next state]. */
export interface RecurrentLm<S> {
  forward(ids: tf.Tensor, state: S | null): [tf.Tensor, S];
}

/**
 * Perplexity of a recurrent model reading `stream` as `batchSize` contiguous rows in windows of
 * `bptt` tokens with the state carried over (every token but each row's first is predicted).
 * `disposeState` frees a state that is no longer needed.
 */
export function recurrentPerplexity<S>(model: RecurrentLm<S>, stream: Int32Array, opts: { batchSize?: number; bptt?: number; disposeState: (s: S) => void }): PerplexityResult {
  const batched = batchify(stream, opts.batchSize ?? 8);
  let state: S | null = null;
  let nll = 0;
  let tokens = 0;
  for (const w of bpttWindows(batched, opts.bptt ?? 64)) {
    const prev: S | null = state;
    nll += tf.tidy(() => {
      const [logits, next] = model.forward(tf.tensor2d(w.x, [w.rows, w.len], 'int32'), prev);
      state = next;
      keepState(next);
      return sumNll(logits, tf.tensor2d(w.y, [w.rows, w.len], 'int32')).dataSync()[0];
    });
    if (prev) opts.disposeState(prev);
    tokens += w.x.length;
  }
  if (state) opts.disposeState(state);
  return { perplexity: perplexity(nll, tokens), nll, tokens };
}

function keepState(s: unknown): void {
  if (s instanceof tf.Tensor) tf.keep(s);
  else if (Array.isArray(s)) s.forEach(keepState);
}

/** A causal model: ids [B, T] -> logits [B, T, V], position t seeing tokens 0..t only. */
export interface CausalLm {
  forward(ids: tf.Tensor): tf.Tensor;
}

/**
 * Perplexity of a causal model over `stream` cut into non-overlapping blocks of `blockSize + 1`
 * tokens (each block predicts its last blockSize tokens from the ones before them in the block;
 * the context restarts at every block), `batchSize` blocks at a time. The tail shorter than a
 * block is scored as one shorter block.
 */
export function blockPerplexity(model: CausalLm, stream: Int32Array, opts: { blockSize: number; batchSize?: number }): PerplexityResult {
  const T = opts.blockSize;
  const batch = opts.batchSize ?? 16;
  const starts: number[] = [];
  for (let s = 0; s + 1 < stream.length; s += T) starts.push(s);
  let nll = 0;
  let tokens = 0;
  for (let i = 0; i < starts.length; i += batch) {
    const group = starts.slice(i, i + batch);
    // Blocks of one group share a length: the tail block runs alone.
    const full = group.filter((s) => s + T + 1 <= stream.length);
    const parts = full.length === group.length ? [group] : [full, group.filter((s) => s + T + 1 > stream.length)];
    for (const part of parts) {
      if (!part.length) continue;
      const len = Math.min(T, stream.length - 1 - part[0]);
      const x = new Int32Array(part.length * len);
      const y = new Int32Array(part.length * len);
      part.forEach((s, b) => {
        x.set(stream.subarray(s, s + len), b * len);
        y.set(stream.subarray(s + 1, s + len + 1), b * len);
      });
      nll += tf.tidy(() => sumNll(model.forward(tf.tensor2d(x, [part.length, len], 'int32')), tf.tensor2d(y, [part.length, len], 'int32')).dataSync()[0]);
      tokens += x.length;
    }
  }
  return { perplexity: perplexity(nll, tokens), nll, tokens };
}
