/**
 * Interpolated Kneser-Ney bigram language model (Kneser & Ney, 1995; Chen & Goodman, 1998), the
 * count-based baseline of the LM table:
 *   P(w | v) = max(c(v, w) - D, 0) / c(v) + D · N1+(v ·) / c(v) · Pcont(w)
 *   Pcont(w) = (N1+(· w) + 1) / (N1+(· ·) + V)      (continuation counts, add-one so no word is 0)
 * and P(w | v) = Pcont(w) for a history v never seen. Counts live in sparse maps (no parameters);
 * `forward` returns dense log-probabilities for a batch of histories.
 */
import { nn, tf } from '@neuralzoo/core';
import { NgramConfig, resolveNgramConfig } from './config';

export class KneserNeyBigram extends nn.Module {
  readonly config: Readonly<NgramConfig>;
  /** c(v, w) per history v. */
  private follow: Map<number, Map<number, number>> = new Map();
  /** c(v) as a history. */
  private historyCount = new Float64Array(0);
  /** Pcont(w). */
  private cont = new Float64Array(0);
  /** The discount in use (estimated by `fit` unless configured). */
  discount = 0.75;
  private fitted = false;

  constructor(config: Partial<NgramConfig> = {}) {
    super();
    this.config = Object.freeze(resolveNgramConfig(config));
  }

  /** Counts the bigrams of a token-id stream (replacing earlier counts). Returns this. */
  fit(stream: Int32Array): this {
    const V = this.config.vocabSize;
    this.follow = new Map();
    this.historyCount = new Float64Array(V);
    for (let i = 1; i < stream.length; i++) {
      const v = stream[i - 1];
      const w = stream[i];
      if (v < 0 || v >= V || w < 0 || w >= V) throw new Error(`KneserNeyBigram.fit: id ${v < 0 || v >= V ? v : w} at ${i} is outside [0, ${V})`);
      let row = this.follow.get(v);
      if (!row) this.follow.set(v, (row = new Map()));
      row.set(w, (row.get(w) ?? 0) + 1);
      this.historyCount[v]++;
    }
    const contCount = new Float64Array(V);
    let types = 0;
    let n1 = 0;
    let n2 = 0;
    for (const row of this.follow.values())
      for (const [w, c] of row) {
        contCount[w]++;
        types++;
        if (c === 1) n1++;
        else if (c === 2) n2++;
      }
    this.cont = Float64Array.from(contCount, (n) => (n + 1) / (types + V));
    this.discount = this.config.discount ?? (n1 > 0 ? n1 / (n1 + 2 * n2) : 0.75);
    this.fitted = true;
    return this;
  }

  /** P(· | v) as a Float64Array of vocabSize probabilities (sums to 1). */
  distribution(v: number): Float64Array {
    if (!this.fitted) throw new Error('KneserNeyBigram: call fit(stream) before scoring');
    const V = this.config.vocabSize;
    if (!Number.isInteger(v) || v < 0 || v >= V) throw new Error(`KneserNeyBigram: history id ${v} is outside [0, ${V})`);
    const row = this.follow.get(v);
    const cv = this.historyCount[v];
    if (!row || cv === 0) return Float64Array.from(this.cont);
    const D = this.discount;
    const lambda = (D * row.size) / cv;
    const p = Float64Array.from(this.cont, (q) => lambda * q);
    for (const [w, c] of row) p[w] += Math.max(c - D, 0) / cv;
    return p;
  }

  /** int32 histories [N] -> log P(w | history) [N, vocabSize]. */
  forward(history: tf.Tensor): tf.Tensor2D {
    if (history.rank !== 1 || history.dtype !== 'int32') throw new Error(`KneserNeyBigram: expected int32 histories [N], got ${history.dtype} [${history.shape}]`);
    const V = this.config.vocabSize;
    const h = history.dataSync();
    const out = new Float32Array(h.length * V);
    for (let i = 0; i < h.length; i++) {
      const p = this.distribution(h[i]);
      for (let w = 0; w < V; w++) out[i * V + w] = Math.log(p[w]);
    }
    return tf.tensor2d(out, [h.length, V]);
  }

  /** Total negative log-likelihood (nats) of every token after the first of `stream`, and the count. */
  nll(stream: Int32Array): { nll: number; tokens: number } {
    let nll = 0;
    const cache = new Map<number, Float64Array>();
    for (let i = 1; i < stream.length; i++) {
      const v = stream[i - 1];
      let p = cache.get(v);
      if (!p) {
        p = this.distribution(v);
        if (cache.size < 4096) cache.set(v, p);
      }
      nll -= Math.log(p[stream[i]]);
    }
    return { nll, tokens: stream.length - 1 };
  }
}

/** An unfitted Kneser-Ney bigram with `config` over the defaults. */
export function kneserNeyBigram(config: Partial<NgramConfig> = {}): KneserNeyBigram {
  return new KneserNeyBigram(config);
}
