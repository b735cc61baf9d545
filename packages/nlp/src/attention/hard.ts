/**
 * Hard (stochastic) attention (Xu et al., 2015, "Show, attend and tell"): a location s is sampled
 * from the attention distribution α and the context is the value at s alone. Sampling has no
 * gradient, so the scorer is trained with REINFORCE (Williams, 1992): ∇E[R] = E[(R - b) ∇log α_s],
 * which `reinforceLoss` turns into a surrogate loss whose gradient is that estimate.
 */
import { Generator, defaultGenerator, nn, tf } from '@neuralzoo/core';
import { vScore } from './additive';
import { AttentionForwardOptions, checkKeyPaddingMask, checkQueryKeys, maskedSoftmax } from './masking';

/** What `HardAttention.sample` returns; B=batch, S=keys, Dv=value features. */
export interface HardAttentionSample {
  /** The value at the chosen location [B, Dv]. */
  context: tf.Tensor2D;
  /** The attention distribution α [B, S] (masked keys 0). */
  probs: tf.Tensor2D;
  /** Chosen location per row [B] int32. */
  index: tf.Tensor1D;
  /** log α at the chosen location [B]: differentiable, feed it to `reinforceLoss`. */
  logProb: tf.Tensor1D;
}

/** Hard attention with an additive (Bahdanau) scorer: children `query_proj`, `key_proj`, `v`. */
export class HardAttention extends nn.Module {
  readonly query_proj: nn.Linear;
  readonly key_proj: nn.Linear;
  readonly v: nn.Linear;

  constructor(
    readonly queryDim: number,
    readonly keyDim: number,
    readonly hiddenDim: number = queryDim,
  ) {
    super();
    this.query_proj = this.registerModule('query_proj', new nn.Linear(queryDim, hiddenDim, { bias: false }));
    this.key_proj = this.registerModule('key_proj', new nn.Linear(keyDim, hiddenDim));
    this.v = this.registerModule('v', new nn.Linear(hiddenDim, 1, { bias: false }));
  }

  /** query [B, Dq], keys [B, S, Dk] -> α [B, S]. */
  probs(query: tf.Tensor, keys: tf.Tensor, opts: AttentionForwardOptions = {}): tf.Tensor2D {
    checkQueryKeys(this.typeName, query, keys, this.queryDim, this.keyDim);
    if (query.rank !== 2) throw new Error(`${this.typeName}: query must be [batch, features], got [${query.shape}]`);
    checkKeyPaddingMask(this.typeName, opts.keyPaddingMask, keys);
    return tf.tidy(() => {
      const e = tf.tanh(tf.add(this.query_proj.forward(query).expandDims(1), this.key_proj.forward(keys))); // [B, S, A]
      return maskedSoftmax(vScore(e, this.v), opts.keyPaddingMask) as tf.Tensor2D; // [B, S]
    });
  }

  /**
   * Samples a location per row from α (with `generator`, default core's seeded one) and returns
   * its value, α, the index and its log-probability.
   */
  sample(query: tf.Tensor, keys: tf.Tensor, values?: tf.Tensor | null, opts: AttentionForwardOptions & { generator?: Generator } = {}): HardAttentionSample {
    const v = values ?? keys;
    const gen = opts.generator ?? defaultGenerator;
    const probs = this.probs(query, keys, opts);
    const p = probs.arraySync();
    const idx = p.map((row) => {
      let u = gen.random() * row.reduce((a, b) => a + b, 0);
      for (let s = 0; s < row.length; s++) if ((u -= row[s]) <= 0 && row[s] > 0) return s;
      return row.reduce((best, x, s) => (x > 0 ? s : best), 0); // rounding: last location with mass
    });
    return this.pick(probs, v, idx);
  }

  /**
   * Deterministic hard attention (the arg-max location, as at test time):
   * [context [B, Dv], one-hot weights [B, S]].
   */
  forward(query: tf.Tensor, keys: tf.Tensor, values?: tf.Tensor | null, opts: AttentionForwardOptions = {}): [tf.Tensor, tf.Tensor] {
    const v = values ?? keys;
    const probs = this.probs(query, keys, opts);
    const idx = Array.from(tf.tidy(() => probs.argMax(-1)).dataSync() as Int32Array);
    const { context, logProb, index } = this.pick(probs, v, idx);
    const S = keys.shape[1] as number;
    const oneHot = tf.tidy(() => tf.oneHot(index, S).toFloat());
    tf.dispose([probs, logProb, index]);
    return [context, oneHot];
  }

  private pick(probs: tf.Tensor2D, values: tf.Tensor, idx: number[]): HardAttentionSample {
    const B = idx.length;
    const S = values.shape[1]!;
    return tf.tidy(() => {
      const index = tf.tensor1d(idx, 'int32');
      const flat = tf.add(tf.range(0, B, 1, 'int32').mul(tf.scalar(S, 'int32')), index); // [B] rows of values.reshape([B*S, Dv])
      const context = tf.gather(values.reshape([B * S, values.shape[2]!]), flat) as tf.Tensor2D; // [B, Dv]
      const chosen = tf.sum(tf.mul(probs, tf.oneHot(index, S)), -1); // [B]
      const logProb = tf.log(tf.maximum(chosen, 1e-12)) as tf.Tensor1D;
      return { context, probs: tf.clone(probs), index, logProb };
    });
  }
}

/**
 * REINFORCE surrogate loss: -mean((R - b) · log π(a)), with reward R [B] and baseline b ([B] or a
 * number, e.g. a running mean of R) treated as constants. Its gradient is the score-function
 * estimate of -∇E[R]; minimise it alongside the supervised loss.
 */
export function reinforceLoss(logProb: tf.Tensor, reward: tf.Tensor | ArrayLike<number>, baseline: tf.Tensor | number = 0): tf.Scalar {
  return tf.tidy(() => {
    // Copied out of any graph: no gradient flows into R or b.
    const r = tf.tensor1d(reward instanceof tf.Tensor ? (reward.dataSync() as Float32Array) : Array.from(reward));
    const b = baseline instanceof tf.Tensor ? tf.tensor(baseline.dataSync() as Float32Array, baseline.shape) : tf.scalar(baseline);
    const advantage = tf.sub(r, b);
    return tf.neg(tf.mean(tf.mul(advantage, logProb))) as tf.Scalar;
  });
}
