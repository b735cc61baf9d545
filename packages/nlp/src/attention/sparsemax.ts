/**
 * Sparsemax (Martins & Astudillo, 2016): the Euclidean projection of the scores onto the
 * probability simplex, p = max(z - τ, 0), which gives exact zeros; and attention built on it.
 * Its Jacobian is diag(s) - s sᵀ/|S| (s = support indicator), so the gradient is
 * g_i - mean_{j∈S} g_j on the support and 0 elsewhere; registered with tf.customGrad.
 */
import { tf } from '@neuralzoo/core';
import { ScoreAttention } from './base';
import { MASKED_SCORE } from './masking';

const sparsemaxLastAxis = tf.customGrad(((z: tf.Tensor, save: tf.GradSaveFunc) => {
  const K = z.shape[z.rank - 1];
  const sorted = tf.topk(z, K, true).values; // [..., K] descending
  const cumsum = tf.cumsum(sorted, z.rank - 1); // [..., K] (cumsum needs a non-negative axis)
  const ks = tf.range(1, K + 1, 1, 'float32'); // [K]
  // k is in the support when 1 + k·z_(k) > Σ_{j<=k} z_(j); the support is a prefix of the sorted order.
  const inSupport = tf.greater(tf.add(1, tf.mul(ks, sorted)), cumsum).toFloat(); // [..., K]
  const k = tf.sum(inSupport, -1, true); // [..., 1]
  const sumSupport = tf.sum(tf.mul(sorted, inSupport), -1, true); // [..., 1]
  const tau = tf.div(tf.sub(sumSupport, 1), k); // [..., 1]
  const p = tf.relu(tf.sub(z, tau)); // [..., K]
  save([p]);
  return {
    value: p,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const support = tf.greater(saved[0], 0).toFloat();
      const mean = tf.div(tf.sum(tf.mul(dy, support), -1, true), tf.sum(support, -1, true)); // [..., 1]
      return tf.mul(support, tf.sub(dy, mean));
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as (z: tf.Tensor) => tf.Tensor;

/** Sparsemax over the last axis: z [..., K] -> p [..., K] on the simplex, with exact zeros. */
export function sparsemax(z: tf.Tensor): tf.Tensor {
  if (z.rank < 1) throw new Error(`sparsemax: expected a tensor of rank >= 1, got a scalar`);
  return tf.tidy(() => sparsemaxLastAxis(z.toFloat()));
}

/**
 * Sparse attention: scaled dot-product scores (or a subclass's `score`) normalised by sparsemax;
 * keys far below the best get exactly zero weight. No parameters.
 */
export class SparsemaxAttention extends ScoreAttention {
  protected readonly queryDim: number | null = null;
  protected readonly keyDim: number | null = null;

  /** scale multiplies qᵀk; default 1/√D as in scaled dot-product attention. */
  constructor(readonly scale: number | null = null) {
    super();
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    const D = q.shape[2];
    if (D !== k.shape[2]) throw new Error(`${this.typeName}: query features (${D}) must equal key features (${k.shape[2]})`);
    return tf.tidy(() => tf.matMul(q, k, false, true).mul(this.scale ?? 1 / Math.sqrt(D)) as tf.Tensor3D); // [B, T, S]
  }

  protected override normalize(scores: tf.Tensor3D, disallowed: tf.Tensor | null): tf.Tensor3D {
    return tf.tidy(() => {
      if (!disallowed) return sparsemax(scores) as tf.Tensor3D;
      const m = tf.broadcastTo(disallowed, scores.shape);
      const p = sparsemax(tf.where(m, tf.fill(scores.shape, MASKED_SCORE), scores));
      return tf.where(m, tf.zerosLike(p), p) as tf.Tensor3D;
    });
  }
}
