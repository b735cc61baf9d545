/**
 * Attention-over-attention (Cui et al., 2017, the AoA reader): from the pairwise matching matrix
 * M = D Qᵀ of document words and query words, α = column-wise softmax (document attention per
 * query word), β = row-wise softmax (query attention per document word) averaged over the
 * document, and s = α β̄ the final document-level attention. No parameters; the encoders that
 * produce D and Q belong to the reader.
 */
import { nn, tf } from '@neuralzoo/core';
import { maskedSoftmax } from './masking';

/** Options of `AttentionOverAttention.forward`. */
export interface AoAForwardOptions {
  /** [B, S] bool, true = document padding. */
  docPaddingMask?: tf.Tensor | null;
  /** [B, T] bool, true = query padding. */
  queryPaddingMask?: tf.Tensor | null;
}

export class AttentionOverAttention extends nn.Module {
  /**
   * doc [B, S, D], query [B, T, D] -> [s [B, S] (sums to 1 over real document words),
   * α [B, S, T] (each column sums to 1), β̄ [B, T] (sums to 1 over real query words)].
   */
  forward(doc: tf.Tensor, query: tf.Tensor, opts: AoAForwardOptions = {}): [tf.Tensor, tf.Tensor, tf.Tensor] {
    if (doc.rank !== 3 || query.rank !== 3 || doc.shape[0] !== query.shape[0] || doc.shape[2] !== query.shape[2])
      throw new Error(`${this.typeName}: doc [batch, S, D] and query [batch, T, D] must agree in batch and D, got [${doc.shape}] and [${query.shape}]`);
    const B = doc.shape[0] as number;
    const S = doc.shape[1] as number;
    const T = query.shape[1] as number;
    const dm = opts.docPaddingMask ?? null;
    const qm = opts.queryPaddingMask ?? null;
    if (dm && !tf.util.arraysEqual(dm.shape, [B, S])) throw new Error(`${this.typeName}: docPaddingMask must be [${B}, ${S}], got [${dm.shape}]`);
    if (qm && !tf.util.arraysEqual(qm.shape, [B, T])) throw new Error(`${this.typeName}: queryPaddingMask must be [${B}, ${T}], got [${qm.shape}]`);
    const out = tf.tidy(() => {
      const M = tf.matMul(query, doc, false, true); // [B, T, D] x [B, S, D]ᵀ -> [B, T, S] (rows: query words)
      const alphaT = maskedSoftmax(M, dm ? dm.expandDims(1) : null); // over S, per query word: [B, T, S]
      const beta = maskedSoftmax(M.transpose([0, 2, 1]), qm ? qm.expandDims(1) : null); // over T, per doc word: [B, S, T]
      // Average β over the real document words only.
      const keep = dm ? tf.logicalNot(dm).toFloat() : tf.ones([B, S]); // [B, S]
      const nDoc = tf.maximum(tf.sum(keep, -1, true), 1); // [B, 1]
      const betaBar = tf.div(tf.sum(tf.mul(beta, keep.expandDims(2)), 1), nDoc); // [B, T]
      const s = tf.matMul(betaBar.expandDims(1), alphaT).squeeze([1]); // [B, 1, T] x [B, T, S] -> [B, S]
      return [s, alphaT.transpose([0, 2, 1]), betaBar];
    });
    return [out[0], out[1], out[2]];
  }
}
