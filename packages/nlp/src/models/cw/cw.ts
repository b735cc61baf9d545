/**
 * C&W word embeddings (Collobert & Weston, 2008): a window scorer f(x) = w₂ · hardtanh(W₁ [e(x₁); …; e(x_n)] + b₁) + b₂
 * trained with the pairwise ranking loss max(0, 1 - f(x) + f(x̃)), where x̃ is the window with its
 * centre word replaced by a random word. B = batch, n = windowSize, D = embeddingDim, H = hiddenSize.
 */
import { Generator, nn, tf } from '@neuralzoo/core';
import { sampleCdf } from '../word2vec/word2vec';
import { CwConfig, resolveCwConfig } from './config';

export class CW extends nn.Module {
  readonly config: Readonly<CwConfig>;
  readonly embedding: nn.Embedding;
  readonly hidden: nn.Linear;
  readonly output: nn.Linear;

  constructor(config: Partial<CwConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveCwConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim));
    tf.tidy(() => this.embedding.weight.data.assign(tf.mul(this.embedding.weight.data, cfg.embeddingInitStd))); // N(0, 1) -> N(0, σ²)
    this.hidden = this.registerModule('hidden', new nn.Linear(cfg.windowSize * cfg.embeddingDim, cfg.hiddenSize));
    this.output = this.registerModule('output', new nn.Linear(cfg.hiddenSize, 1));
  }

  /** int32 windows [B, n] -> scores [B] (higher = more plausible text). */
  forward(windows: tf.Tensor): tf.Tensor1D {
    const { windowSize: n, embeddingDim: D } = this.config;
    if (windows.rank !== 2 || windows.shape[1] !== n) throw new Error(`CW: expected int32 windows [batch, ${n}], got [${windows.shape}]`);
    return tf.tidy(() => {
      const x = this.embedding.forward(windows).reshape([-1, n * D]); // [B, n·D]
      const h = tf.clipByValue(this.hidden.forward(x), -1, 1); // hardtanh [B, H]
      return this.output.forward(h).reshape([-1]) as tf.Tensor1D; // [B]
    });
  }

  /**
   * Ranking loss of windows [B, n] against copies whose centre is replaced by a different word:
   * mean max(0, 1 - f(x) + f(x̃)). The replacement is uniform over ids [from, to), or drawn from
   * `cdf` (cumulative probabilities over all ids, e.g. of the unigram distribution) when given.
   * With `negatives` k > 1 each window is ranked against k independent corruptions and the hinge
   * is averaged over all B·k pairs (f(x) is computed once per window).
   */
  rankingLoss(windows: Int32Array, batch: number, corrupt: { from: number; to: number; gen: Generator; cdf?: Float64Array; negatives?: number }): tf.Scalar {
    const n = this.config.windowSize;
    const k = corrupt.negatives ?? 1;
    if (windows.length !== batch * n) throw new Error(`CW.rankingLoss: expected ${batch} × ${n} = ${batch * n} ids, got ${windows.length}`);
    if (!Number.isInteger(k) || k < 1) throw new Error(`CW.rankingLoss: negatives must be a positive integer, got ${k}`);
    const bad = new Int32Array(k * batch * n);
    for (let j = 0; j < k; j++) bad.set(corruptCentres(windows, n, corrupt), j * batch * n); // corruption j of window b at row j·B + b
    return tf.tidy(() => {
      const good = this.forward(tf.tensor2d(windows, [batch, n], 'int32')); // [B]
      const worse = this.forward(tf.tensor2d(bad, [k * batch, n], 'int32')).reshape([k, batch]); // [k, B]
      return tf.mean(tf.relu(tf.add(tf.sub(1, good), worse))) as tf.Scalar;
    });
  }

  /** Word vectors [V, D] as a Float32Array (row-major). */
  vectors(): Float32Array {
    return this.embedding.weight.data.dataSync() as Float32Array;
  }
}

/**
 * Copies of windows (row-major [B, n]) whose centre word is replaced by a different word drawn
 * uniformly from [from, to) or from `cdf`; the input is not changed.
 */
export function corruptCentres(windows: Int32Array, windowSize: number, corrupt: { from: number; to: number; gen: Generator; cdf?: Float64Array }): Int32Array {
  const bad = windows.slice();
  const c = (windowSize - 1) / 2;
  const { gen, cdf } = corrupt;
  for (let i = c; i < windows.length; i += windowSize) {
    let r = windows[i];
    for (let tries = 0; r === windows[i]; tries++) {
      if (tries === 1000) throw new Error(`CW: no corrupting word other than ${windows[i]} in 1000 draws (degenerate corruption distribution)`);
      r = cdf ? sampleCdf(cdf, gen.random()) : corrupt.from + gen.randint(corrupt.to - corrupt.from);
    }
    bad[i] = r;
  }
  return bad;
}

export function cw(config: Partial<CwConfig> = {}): CW {
  return new CW(config);
}
