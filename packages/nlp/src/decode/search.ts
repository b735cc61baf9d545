/**
 * Greedy and beam search for encoder–decoder models. A model exposes `encode` (sources ->
 * decoder state) and `decodeStep` (previous tokens + state -> log-probabilities of the next
 * token + new state); every state tensor has the batch (or hypothesis) on axis 0 so that beams can
 * be reordered with one gather. Beam scores use the length penalty of Wu et al. (2016, GNMT):
 * score = log P / ((5 + |y|) / 6)^α (α = 0: raw log-probability).
 */
import { tf } from '@neuralzoo/core';

/** Tensors whose axis 0 is the batch or hypothesis index. */
export type DecoderState = tf.Tensor[];

/** What greedy and beam search need from a model. B=batch, S=source length, V=target vocabulary. */
export interface StepDecoder {
  /** src [B, S] int32 token ids (right-padded with `padId`) -> the initial decoder state. */
  encode(src: tf.Tensor2D): DecoderState;
  /**
   * prev [B] int32 (the previous token; `bos` at the first step), state, step index t ->
   * [logProbs [B, V] (log-softmax of the next token), new state]. Must not dispose `state`.
   */
  decodeStep(prev: tf.Tensor1D, state: DecoderState, t: number): [tf.Tensor2D, DecoderState];
}

/** Options of `greedyDecode` and `beamSearch`. */
export interface DecodeOptions {
  /** Start token id. */
  bos: number;
  /** End token id; a hypothesis stops after emitting it (it is not part of the output). */
  eos: number;
  /** Largest number of generated tokens (without eos). */
  maxLength: number;
  /** eos is not allowed before this many tokens (an under-trained model may prefer an empty output). Default 0. */
  minLength?: number;
}

/** Options of `beamSearch`. */
export interface BeamSearchOptions extends DecodeOptions {
  /** Hypotheses kept per source. Default 4. */
  beamSize?: number;
  /** GNMT length-penalty exponent α (0 = none; 0.6–1 favours longer outputs). Default 0.6. */
  lengthPenalty?: number;
  /** Finished hypotheses returned per source, best first. Default 1. */
  numReturn?: number;
}

/** One finished hypothesis. */
export interface Hypothesis {
  /** Token ids without bos and eos. */
  tokens: number[];
  /** Sum of token log-probabilities (eos included when emitted). */
  logProb: number;
  /** logProb with the length penalty: what beams are ranked by. */
  score: number;
}

function checkOptions(who: string, o: DecodeOptions): void {
  for (const k of ['bos', 'eos', 'maxLength'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 0) throw new Error(`${who}: ${k} must be a non-negative integer, got ${o[k]}`);
}

/** GNMT length penalty ((5 + len) / 6)^α. */
export function lengthPenalty(length: number, alpha: number): number {
  return Math.pow((5 + length) / 6, alpha);
}

/** Greedy decoding of a batch: src [B, S] -> B token lists (the arg-max at every step). */
export function greedyDecode(model: StepDecoder, src: tf.Tensor2D, opts: DecodeOptions): number[][] {
  checkOptions('greedyDecode', opts);
  const B = src.shape[0];
  const out: number[][] = Array.from({ length: B }, () => []);
  const done = new Array(B).fill(false);
  let state = model.encode(src);
  let prev = tf.fill([B], opts.bos, 'int32') as tf.Tensor1D;
  for (let t = 0; t < opts.maxLength && done.includes(false); t++) {
    const [logp, next] = model.decodeStep(prev, state, t);
    const early = t < (opts.minLength ?? 0);
    const ids = tf.tidy(() => (early ? tf.where(tf.equal(tf.range(0, logp.shape[1], 1, 'int32'), opts.eos), tf.fill(logp.shape, -Infinity), logp) : logp).argMax(-1).toInt()) as tf.Tensor1D;
    const v = ids.dataSync();
    for (let b = 0; b < B; b++) {
      if (done[b]) continue;
      if (v[b] === opts.eos) done[b] = true;
      else out[b].push(v[b]);
    }
    tf.dispose([logp, prev, ...state.filter((s) => !next.includes(s))]);
    state = next;
    prev = ids;
  }
  tf.dispose([prev, ...state]);
  return out;
}

/**
 * Beam search, one source at a time: src [B, S] -> for each source, `numReturn` hypotheses best
 * first. Finished hypotheses compete by length-penalised score; the search stops when no live
 * beam can still beat the best finished one (or at maxLength, where live beams count as finished).
 */
export function beamSearch(model: StepDecoder, src: tf.Tensor2D, opts: BeamSearchOptions): Hypothesis[][] {
  checkOptions('beamSearch', opts);
  const K = opts.beamSize ?? 4;
  const alpha = opts.lengthPenalty ?? 0.6;
  const numReturn = opts.numReturn ?? 1;
  if (!Number.isInteger(K) || K < 1) throw new Error(`beamSearch: beamSize must be a positive integer, got ${K}`);
  if (!Number.isInteger(numReturn) || numReturn < 1 || numReturn > K) throw new Error(`beamSearch: numReturn must be in [1, beamSize (${K})], got ${numReturn}`);
  const results: Hypothesis[][] = [];
  for (let b = 0; b < src.shape[0]; b++) {
    const one = tf.tidy(() => src.slice([b, 0], [1, src.shape[1]])) as tf.Tensor2D;
    results.push(beamOne(model, one, opts, K, alpha, numReturn));
    one.dispose();
  }
  return results;
}

function beamOne(model: StepDecoder, src: tf.Tensor2D, opts: DecodeOptions, K: number, alpha: number, numReturn: number): Hypothesis[] {
  let beams = [{ tokens: [] as number[], logProb: 0 }];
  let state = model.encode(src); // batch 1, grows to the live beams after the first step
  const finished: Hypothesis[] = [];
  const best = () => (finished.length >= numReturn ? [...finished].sort((a, c) => c.score - a.score)[numReturn - 1].score : -Infinity);
  for (let t = 0; t < opts.maxLength && beams.length > 0; t++) {
    const prev = tf.tensor1d(beams.map((h) => (h.tokens.length ? h.tokens[h.tokens.length - 1] : opts.bos)), 'int32');
    const [logp, next] = model.decodeStep(prev, state, t);
    const lp = logp.arraySync() as number[][];
    tf.dispose([prev, logp, ...state.filter((s) => !next.includes(s))]);
    // Candidates: every live beam extended by every token, ranked by raw log-probability.
    const cands: { from: number; token: number; logProb: number }[] = [];
    beams.forEach((h, i) => lp[i].forEach((l, token) => cands.push({ from: i, token, logProb: h.logProb + l })));
    cands.sort((a, c) => c.logProb - a.logProb);
    const live: { from: number; tokens: number[]; logProb: number }[] = [];
    for (const c of cands) {
      if (live.length >= K) break;
      if (c.token === opts.eos && t < (opts.minLength ?? 0)) continue;
      const tokens = [...beams[c.from].tokens, c.token];
      if (c.token === opts.eos) {
        const len = tokens.length - 1;
        finished.push({ tokens: tokens.slice(0, -1), logProb: c.logProb, score: c.logProb / lengthPenalty(len + 1, alpha) });
      } else live.push({ from: c.from, tokens, logProb: c.logProb });
    }
    // Keep the live beams' states (gather on axis 0), drop the rest.
    const idx = tf.tensor1d(live.map((h) => h.from), 'int32');
    const gathered = live.length ? next.map((s) => tf.gather(s, idx)) : [];
    tf.dispose([idx, ...next]);
    state = gathered;
    beams = live.map(({ tokens, logProb }) => ({ tokens, logProb }));
    // Stop when the best a live beam could still reach (its log-probability can only fall; the
    // penalty's divisor is at most that of maxLength) cannot beat the numReturn-th finished one.
    const bound = Math.max(...beams.map((h) => h.logProb / lengthPenalty(opts.maxLength + 1, alpha)), -Infinity);
    if (finished.length >= numReturn && bound < best()) beams = [];
  }
  for (const h of beams) finished.push({ tokens: h.tokens, logProb: h.logProb, score: h.logProb / lengthPenalty(h.tokens.length, alpha) });
  tf.dispose(state);
  return finished.sort((a, c) => c.score - a.score).slice(0, numReturn);
}
