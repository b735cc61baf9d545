/**
 * Text generation from a causal LM: greedy decoding, temperature sampling and top-k sampling,
 * reproducible with a seed (core's Generator; the global RNG is not touched).
 */
import { Generator, tf } from '@neuralzoo/core';

/** Options of `generate`. */
export interface GenerateOptions {
  /** Tokens to add after the prompt. */
  maxNewTokens: number;
  /** 'greedy' takes the arg-max; 'sample' draws from softmax(logits / temperature), optionally top-k. Default 'sample'. */
  strategy?: 'greedy' | 'sample';
  /** Softmax temperature (> 0) when sampling. Default 1. */
  temperature?: number;
  /** Sample only among the k most likely tokens (>= 1). Default all. */
  topK?: number;
  /** Seed of the sampler. Default 0. */
  seed?: number;
  /** Stop after emitting this id (it is included). Default none. */
  stopId?: number;
}

/** What `generate` needs: next-token logits [B, T, V] from ids [B, T], at most `maxLength` tokens of context. */
export interface GenerativeLm {
  forward(ids: tf.Tensor): tf.Tensor;
}

/** Picks the next id from a logits row (Float32Array of V values). */
export function pickNext(logits: ArrayLike<number>, opts: Omit<GenerateOptions, 'maxNewTokens' | 'seed' | 'stopId'>, gen: Generator): number {
  const V = logits.length;
  if ((opts.strategy ?? 'sample') === 'greedy') {
    let best = 0;
    for (let i = 1; i < V; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }
  const temperature = opts.temperature ?? 1;
  if (!(temperature > 0)) throw new Error(`generate: temperature must be > 0, got ${temperature}`);
  const k = opts.topK ?? V;
  if (!Number.isInteger(k) || k < 1) throw new Error(`generate: topK must be a positive integer, got ${k}`);
  let order = Array.from({ length: V }, (_, i) => i);
  if (k < V) order = order.sort((a, b) => logits[b] - logits[a] || a - b).slice(0, k);
  let max = -Infinity;
  for (const i of order) max = Math.max(max, logits[i] / temperature);
  const w = order.map((i) => Math.exp(logits[i] / temperature - max));
  const total = w.reduce((a, b) => a + b, 0);
  let u = gen.random() * total;
  for (let j = 0; j < order.length; j++) {
    u -= w[j];
    if (u < 0) return order[j];
  }
  return order[order.length - 1];
}

/** Extends `prompt` (ids) by up to maxNewTokens ids, feeding the last `maxLength` ids each step. Returns the new ids only. */
export function generate(model: GenerativeLm, prompt: readonly number[], maxLength: number, opts: GenerateOptions): number[] {
  if (!prompt.length) throw new Error('generate: the prompt must hold at least one token (e.g. <bos> or <eos>)');
  if (!Number.isInteger(opts.maxNewTokens) || opts.maxNewTokens < 0) throw new Error(`generate: maxNewTokens must be a non-negative integer, got ${opts.maxNewTokens}`);
  const gen = new Generator(opts.seed ?? 0);
  const ids = [...prompt];
  const out: number[] = [];
  for (let n = 0; n < opts.maxNewTokens; n++) {
    const ctx = ids.slice(-maxLength);
    const row = tf.tidy(() => {
      const logits = model.forward(tf.tensor2d(ctx, [1, ctx.length], 'int32')); // [1, T, V]
      const V = logits.shape[2]!;
      return logits.slice([0, ctx.length - 1, 0], [1, 1, V]).dataSync() as Float32Array; // last position
    });
    const next = pickNext(row, opts, gen);
    ids.push(next);
    out.push(next);
    if (next === opts.stopId) break;
  }
  return out;
}
