/**
 * Masked softmax and the shared plumbing of the attention modules. Masks follow core's
 * MultiheadAttention: a bool `keyPaddingMask` [B, S] is true where the key is padding. Masked
 * positions get exactly 0 weight (their scores are replaced, not added to, so no value of a
 * masked score can reach the output); a row whose keys are all masked gets all-zero weights and
 * a zero context instead of PyTorch's NaN.
 */
import { tf } from '@neuralzoo/core';

/** Score given to masked positions before the softmax: exp(-1e9 - max) is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/**
 * softmax over the last axis with `disallowed` (bool, broadcastable to scores, true = no
 * attention) positions set to exactly 0. scores [..., S] -> weights [..., S].
 */
export function maskedSoftmax(scores: tf.Tensor, disallowed?: tf.Tensor | null): tf.Tensor {
  return tf.tidy(() => {
    if (!disallowed) return tf.softmax(scores, -1);
    const m = tf.broadcastTo(disallowed, scores.shape);
    const w = tf.softmax(tf.where(m, tf.fill(scores.shape, MASKED_SCORE), scores), -1);
    return tf.where(m, tf.zerosLike(w), w); // all-masked rows: zeros, not uniform weights
  });
}

/** Checks a [B, S] bool key padding mask against keys [B, S, D]; names the module and both shapes. */
export function checkKeyPaddingMask(who: string, mask: tf.Tensor | null | undefined, keys: tf.Tensor): void {
  if (!mask) return;
  const [B, S] = keys.shape;
  if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== S)
    throw new Error(`${who}: keyPaddingMask must be [batch, source] = [${B}, ${S}], got [${mask.shape}]`);
  if (mask.dtype !== 'bool') throw new Error(`${who}: keyPaddingMask must be bool (true = padding), got ${mask.dtype}`);
}

/** Checks that keys are [B, S, kdim] and a query is [B, qdim] or [B, T, qdim]. */
export function checkQueryKeys(who: string, query: tf.Tensor, keys: tf.Tensor, qdim: number | null, kdim: number | null): void {
  if (keys.rank !== 3) throw new Error(`${who}: keys must be [batch, source, features], got [${keys.shape}]`);
  if (query.rank !== 2 && query.rank !== 3) throw new Error(`${who}: query must be [batch, features] or [batch, target, features], got [${query.shape}]`);
  if (query.shape[0] !== keys.shape[0]) throw new Error(`${who}: query [${query.shape}] and keys [${keys.shape}] have different batch sizes`);
  if (qdim !== null && query.shape[query.rank - 1] !== qdim) throw new Error(`${who}: query features must be ${qdim}, got [${query.shape}]`);
  if (kdim !== null && keys.shape[2] !== kdim) throw new Error(`${who}: key features must be ${kdim}, got [${keys.shape}]`);
}

/**
 * Runs `body` on a 3-D query [B, T, Dq] (a 2-D query [B, Dq] becomes T = 1 and is squeezed back)
 * and returns [context [B, (T,) Dv], weights [B, (T,) S]].
 */
export function withQueryRank(query: tf.Tensor, body: (q: tf.Tensor3D) => [tf.Tensor, tf.Tensor]): [tf.Tensor, tf.Tensor] {
  const single = query.rank === 2;
  const out = tf.tidy(() => {
    const [ctx, w] = body((single ? query.expandDims(1) : query) as tf.Tensor3D);
    return single ? [ctx.squeeze([1]), w.squeeze([1])] : [ctx, w];
  });
  return [out[0], out[1]];
}

/** [B, S] padding mask -> [B, 1, S] for scores [B, T, S]; null stays null. */
export function keyMask3d(mask: tf.Tensor | null | undefined): tf.Tensor | null {
  return mask ? mask.expandDims(1) : null;
}

/** Bool [B, S] key padding mask (true = padding) from valid lengths. */
export function paddingMaskFromLengths(lengths: ArrayLike<number>, S: number): tf.Tensor2D {
  const B = lengths.length;
  const m = new Uint8Array(B * S);
  for (let b = 0; b < B; b++) for (let s = lengths[b]; s < S; s++) m[b * S + s] = 1;
  return tf.tensor2d(m, [B, S], 'bool');
}

/** Options every attention module's forward takes. */
export interface AttentionForwardOptions {
  /** [B, S] bool, true = padding key: gets exactly 0 weight. Default none. */
  keyPaddingMask?: tf.Tensor | null;
}
