/**
 * Multiplicative attention (Luong, Pham & Manning, 2015): "dot" score(q, k) = qᵀk and
 * "general" score(q, k) = qᵀ W k; and scaled dot-product (Vaswani et al., 2017), qᵀk / √d.
 */
import { nn, tf } from '@neuralzoo/core';
import { ScoreAttention } from './base';
import { AttentionForwardOptions, maskedSoftmax } from './masking';

/** Luong dot: no parameters; query and key widths must agree. */
export class DotAttention extends ScoreAttention {
  protected readonly queryDim: number | null = null;
  protected readonly keyDim: number | null = null;

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    if (q.shape[2] !== k.shape[2]) throw new Error(`${this.typeName}: query features (${q.shape[2]}) must equal key features (${k.shape[2]})`);
    return tf.matMul(q, k, false, true); // [B, T, D] x [B, S, D]ᵀ -> [B, T, S]
  }
}

/** Luong general: score = qᵀ W k, child `W` = Linear(Dk -> Dq, no bias) applied to the keys. */
export class GeneralAttention extends ScoreAttention {
  readonly W: nn.Linear;

  constructor(
    protected readonly queryDim: number,
    protected readonly keyDim: number = queryDim,
  ) {
    super();
    this.W = this.registerModule('W', new nn.Linear(keyDim, queryDim, { bias: false }));
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => tf.matMul(q, this.W.forward(k), false, true) as tf.Tensor3D); // [B, T, Dq] x [B, S, Dq]ᵀ -> [B, T, S]
  }
}

/** Scaled dot-product attention as a module without parameters: score = qᵀk / √D. */
export class ScaledDotProductAttention extends ScoreAttention {
  protected readonly queryDim: number | null = null;
  protected readonly keyDim: number | null = null;

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    const D = q.shape[2];
    if (D !== k.shape[2]) throw new Error(`${this.typeName}: query features (${D}) must equal key features (${k.shape[2]})`);
    return tf.tidy(() => tf.matMul(q, k, false, true).div(Math.sqrt(D)) as tf.Tensor3D); // [B, T, S]
  }
}

/** Options of `scaledDotProductAttention`. */
export interface ScaledDotProductOptions extends AttentionForwardOptions {
  /** Bool mask broadcastable to the scores [..., T, S], true = disallowed (e.g. `nn.causalMask(T)`). */
  attnMask?: tf.Tensor | null;
}

/**
 * Functional scaled dot-product attention on any leading axes: q [..., T, D], k [..., S, D],
 * v [..., S, Dv] -> [out [..., T, Dv], weights [..., T, S]]. `keyPaddingMask` [B, S] applies
 * when the leading axes are [B] or [B, H].
 */
export function scaledDotProductAttention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor, opts: ScaledDotProductOptions = {}): [tf.Tensor, tf.Tensor] {
  const D = q.shape[q.rank - 1];
  if (k.shape[k.rank - 1] !== D) throw new Error(`scaledDotProductAttention: q [${q.shape}] and k [${k.shape}] must have the same last dimension`);
  const out = tf.tidy(() => {
    const scores = tf.matMul(q, k, false, true).div(Math.sqrt(D)); // [..., T, S]
    let disallowed: tf.Tensor | null = opts.attnMask ?? null;
    const kpm = opts.keyPaddingMask;
    if (kpm) {
      const [B, S] = kpm.shape;
      const shape = [B, ...Array(scores.rank - 2).fill(1), S]; // [B, (1,)* S] lines up with [B, ..., T, S]
      const m = kpm.reshape(shape);
      disallowed = disallowed ? tf.logicalOr(disallowed, m) : m;
    }
    const w = maskedSoftmax(scores, disallowed);
    return [tf.matMul(w, v), w];
  });
  return [out[0], out[1]];
}
