/**
 * Local attention, Luong et al. (2015) "local-p": the decoder predicts an aligned source position
 * p_t = (L_b - 1)·sigmoid(v_pᵀ tanh(W_p h_t)) (L_b = valid length of sequence b), attends with the
 * general score only to keys within `window` (D) of p_t, and favours keys near p_t with a Gaussian
 * of σ = D/2. The Gaussian is applied in log space, score - (s - p_t)²/(2σ²), before the softmax,
 * so the weights are renormalised to sum to 1 (the paper multiplies after the softmax) and stay
 * differentiable in p_t.
 */
import { nn, tf } from '@neuralzoo/core';
import { vScore } from './additive';
import { ScoreAttention } from './base';
import { maskedSoftmax } from './masking';

export class LocalAttention extends ScoreAttention {
  readonly W: nn.Linear;
  readonly W_p: nn.Linear;
  readonly v_p: nn.Linear;
  /** The query of the running forward, read by normalize to predict p_t. */
  private lastQuery: tf.Tensor3D | null = null;

  constructor(
    protected readonly queryDim: number,
    protected readonly keyDim: number = queryDim,
    readonly window: number = 2,
  ) {
    super();
    if (!Number.isInteger(window) || window < 0) throw new Error(`LocalAttention: window must be a non-negative integer, got ${window}`);
    this.W = this.registerModule('W', new nn.Linear(keyDim, queryDim, { bias: false }));
    this.W_p = this.registerModule('W_p', new nn.Linear(queryDim, queryDim, { bias: false }));
    this.v_p = this.registerModule('v_p', new nn.Linear(queryDim, 1, { bias: false }));
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    this.lastQuery = q;
    return tf.tidy(() => tf.matMul(q, this.W.forward(k), false, true) as tf.Tensor3D); // [B, T, S]
  }

  /** q [B, T, Dq] and valid lengths [B] -> predicted positions p_t [B, T] in [0, L_b - 1]. */
  positions(q: tf.Tensor3D, lengths: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const sig = tf.sigmoid(vScore(tf.tanh(this.W_p.forward(q)), this.v_p)); // [B, T]
      return tf.mul(sig, tf.sub(lengths, 1).relu().expandDims(1)) as tf.Tensor2D; // [B, T]
    });
  }

  protected override normalize(scores: tf.Tensor3D, disallowed: tf.Tensor | null): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T, S] = scores.shape;
      const lengths = disallowed ? tf.sub(S, tf.sum(disallowed.toFloat(), [1, 2])) : tf.fill([B], S); // [B]
      const p = this.positions(this.lastQuery!, lengths).expandDims(2); // [B, T, 1]
      const s = tf.range(0, S).reshape([1, 1, S]); // [1, 1, S]
      const dist = tf.sub(s, p); // [B, T, S]
      const sigma = Math.max(this.window / 2, 0.5);
      const biased = tf.sub(scores, tf.square(dist).div(2 * sigma * sigma));
      // Outside the window [round(p) - D, round(p) + D]: no attention (the hard window of the
      // paper). Built from p's values: the window's edges carry no gradient.
      const centres = tf.round(p).dataSync();
      const win = new Uint8Array(B * T * S);
      for (let i = 0; i < B * T; i++) for (let j = 0; j < S; j++) win[i * S + j] = Math.abs(j - centres[i]) > this.window ? 1 : 0;
      let outside = tf.tensor3d(win, [B, T, S], 'bool');
      if (disallowed) outside = tf.logicalOr(outside, tf.broadcastTo(disallowed, [B, T, S]));
      return maskedSoftmax(biased, outside) as tf.Tensor3D;
    });
  }
}
