/**
 * The base of the score-then-softmax attention modules: a subclass defines `score(q, k)`, the
 * base masks, normalises and reads the values. B=batch, T=queries, S=keys (source), Dq/Dk/Dv
 * feature sizes.
 */
import { nn, tf } from '@neuralzoo/core';
import { AttentionForwardOptions, checkKeyPaddingMask, checkQueryKeys, keyMask3d, maskedSoftmax, withQueryRank } from './masking';

export abstract class ScoreAttention extends nn.Module {
  /** Query features this module expects, or null when any width works (dot products check it themselves). */
  protected abstract readonly queryDim: number | null;
  protected abstract readonly keyDim: number | null;

  /** q [B, T, Dq], k [B, S, Dk] -> scores [B, T, S]. */
  abstract score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D;

  /** scores [B, T, S] and disallowed [B, 1|T, S] -> weights [B, T, S] (softmax by default). */
  protected normalize(scores: tf.Tensor3D, disallowed: tf.Tensor | null): tf.Tensor3D {
    return maskedSoftmax(scores, disallowed) as tf.Tensor3D;
  }

  /**
   * query [B, Dq] or [B, T, Dq], keys [B, S, Dk], values [B, S, Dv] (default: keys) ->
   * [context [B, (T,) Dv], weights [B, (T,) S]]; weights sum to 1 over unmasked keys.
   */
  forward(query: tf.Tensor, keys: tf.Tensor, values?: tf.Tensor | null, opts: AttentionForwardOptions = {}): [tf.Tensor, tf.Tensor] {
    const v = values ?? keys;
    checkQueryKeys(this.typeName, query, keys, this.queryDim, this.keyDim);
    if (v.rank !== 3 || v.shape[0] !== keys.shape[0] || v.shape[1] !== keys.shape[1])
      throw new Error(`${this.typeName}: values must be [batch, source, features] matching keys [${keys.shape}], got [${v.shape}]`);
    checkKeyPaddingMask(this.typeName, opts.keyPaddingMask, keys);
    return withQueryRank(query, (q) => {
      const w = this.normalize(this.score(q, keys as tf.Tensor3D), keyMask3d(opts.keyPaddingMask)); // [B, T, S]
      return [tf.matMul(w, v), w]; // [B, T, S] x [B, S, Dv] -> [B, T, Dv]
    });
  }
}
