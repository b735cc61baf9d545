/**
 * Atrous (dilated) attention: scaled dot-product attention where query position t sees only keys
 * s = t + k·r for |k| <= window (r = dilation), the sparse pattern of dilated sliding windows
 * (e.g. Longformer's dilated windows, Beltagy et al., 2020). Queries and keys share positions
 * (self-attention or aligned sequences); stacking layers with growing r widens the receptive
 * field exponentially, like atrous convolutions.
 */
import { tf } from '@neuralzoo/core';
import { ScoreAttention } from './base';
import { maskedSoftmax } from './masking';

/** Bool [T, S] mask, true where key s is NOT in the dilated window of query t. */
export function dilatedWindowMask(T: number, S: number, dilation: number, window: number): tf.Tensor2D {
  const m = new Uint8Array(T * S).fill(1);
  for (let t = 0; t < T; t++)
    for (let k = -window; k <= window; k++) {
      const s = t + k * dilation;
      if (s >= 0 && s < S) m[t * S + s] = 0;
    }
  return tf.tensor2d(m, [T, S], 'bool');
}

export class DilatedAttention extends ScoreAttention {
  protected readonly queryDim: number | null = null;
  protected readonly keyDim: number | null = null;

  /** dilation r >= 1 (1 = plain sliding window) and window: keys on each side. */
  constructor(
    readonly dilation: number,
    readonly window: number,
  ) {
    super();
    if (!Number.isInteger(dilation) || dilation < 1) throw new Error(`DilatedAttention: dilation must be a positive integer, got ${dilation}`);
    if (!Number.isInteger(window) || window < 0) throw new Error(`DilatedAttention: window must be a non-negative integer, got ${window}`);
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    const D = q.shape[2];
    if (D !== k.shape[2]) throw new Error(`${this.typeName}: query features (${D}) must equal key features (${k.shape[2]})`);
    return tf.tidy(() => tf.matMul(q, k, false, true).div(Math.sqrt(D)) as tf.Tensor3D); // [B, T, S]
  }

  protected override normalize(scores: tf.Tensor3D, disallowed: tf.Tensor | null): tf.Tensor3D {
    return tf.tidy(() => {
      const [, T, S] = scores.shape;
      const win = dilatedWindowMask(T, S, this.dilation, this.window).expandDims(0); // [1, T, S]
      return maskedSoftmax(scores, disallowed ? tf.logicalOr(win, disallowed) : win) as tf.Tensor3D;
    });
  }
}

