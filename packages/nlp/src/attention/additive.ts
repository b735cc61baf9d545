/**
 * Additive attention (Bahdanau, Cho & Bengio, 2015) and Luong's "concat" score (Luong, Pham &
 * Manning, 2015): score(q, k) = vᵀ tanh(W_q q + W_k k). Bahdanau projects query and keys
 * separately (keys once per sequence); Luong's concat is the same function written as
 * vᵀ tanh(W [q; k]) with one matrix, kept as its own module so its state dict reads as the paper.
 */
import { nn, tf } from '@neuralzoo/core';
import { ScoreAttention } from './base';

/** The score vᵀ e: e [..., A] through v (a Linear A -> 1 without bias) -> [...]. */
export function vScore<R extends tf.Tensor>(e: tf.Tensor, v: nn.Linear): R {
  return tf.squeeze(v.forward(e), [-1]) as R;
}

/** Bahdanau attention: children `query_proj` (no bias), `key_proj`, `v` (no bias). */
export class AdditiveAttention extends ScoreAttention {
  readonly query_proj: nn.Linear;
  readonly key_proj: nn.Linear;
  readonly v: nn.Linear;

  constructor(
    protected readonly queryDim: number,
    protected readonly keyDim: number,
    readonly hiddenDim: number = queryDim,
  ) {
    super();
    this.query_proj = this.registerModule('query_proj', new nn.Linear(queryDim, hiddenDim, { bias: false }));
    this.key_proj = this.registerModule('key_proj', new nn.Linear(keyDim, hiddenDim));
    this.v = this.registerModule('v', new nn.Linear(hiddenDim, 1, { bias: false }));
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const qp = this.query_proj.forward(q).expandDims(2); // [B, T, 1, A]
      const kp = this.key_proj.forward(k).expandDims(1); // [B, 1, S, A]
      return vScore(tf.tanh(tf.add(qp, kp)), this.v); // [B, T, S, A] -> [B, T, S]
    });
  }
}

/** Luong concat: score = vᵀ tanh(W [q; k] + b); children `W` (Linear Dq+Dk -> hidden) and `v`. */
export class ConcatAttention extends ScoreAttention {
  readonly W: nn.Linear;
  readonly v: nn.Linear;

  constructor(
    protected readonly queryDim: number,
    protected readonly keyDim: number,
    readonly hiddenDim: number = queryDim,
  ) {
    super();
    this.W = this.registerModule('W', new nn.Linear(queryDim + keyDim, hiddenDim));
    this.v = this.registerModule('v', new nn.Linear(hiddenDim, 1, { bias: false }));
  }

  score(q: tf.Tensor3D, k: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [B, T] = q.shape;
      const S = k.shape[1];
      const qq = tf.broadcastTo(q.expandDims(2), [B, T, S, this.queryDim]); // [B, T, S, Dq]
      const kk = tf.broadcastTo(k.expandDims(1), [B, T, S, this.keyDim]); // [B, T, S, Dk]
      return vScore(tf.tanh(this.W.forward(tf.concat([qq, kk], -1))), this.v); // [B, T, S]
    });
  }
}
