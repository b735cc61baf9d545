/**
 * Multi-head attention and self-attention with this folder's conventions (keyPaddingMask [B, S]
 * true = padding, exact zeros for masked keys), wrapping core's `nn.MultiheadAttention` (whose
 * parity with torch.nn.MultiheadAttention is tested in core) as child `attn`, so the state dict
 * keys are `attn.in_proj_weight`, `attn.out_proj.weight`, …
 */
import { nn, tf } from '@neuralzoo/core';
import { AttentionForwardOptions, checkKeyPaddingMask } from './masking';

/** Options of `MultiHeadAttention` / `SelfAttention`. */
export interface MultiHeadAttentionOptions {
  /** Dropout on the attention weights in training mode. Default 0. */
  dropout?: number;
  /** Key features when they differ from embedDim. */
  kdim?: number;
  /** Value features when they differ from embedDim. */
  vdim?: number;
}

/**
 * Zeroes the output rows of queries that have no unmasked key (core returns NaN there, as PyTorch
 * does), so that a fully padded sequence yields zeros rather than poisoning a batch.
 */
function zeroAllMasked(out: tf.Tensor, w: tf.Tensor, mask: tf.Tensor | null | undefined): [tf.Tensor, tf.Tensor] {
  if (!mask) return [out, w];
  const empty = tf.all(mask, -1).reshape([mask.shape[0], 1, 1]); // [B, 1, 1]
  return [tf.where(tf.broadcastTo(empty, out.shape), tf.zerosLike(out), out), tf.where(tf.broadcastTo(empty, w.shape), tf.zerosLike(w), w)];
}

export class MultiHeadAttention extends nn.Module {
  readonly attn: nn.MultiheadAttention;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    opts: MultiHeadAttentionOptions = {},
  ) {
    super();
    this.attn = this.registerModule('attn', new nn.MultiheadAttention(embedDim, numHeads, { dropout: opts.dropout ?? 0, kdim: opts.kdim, vdim: opts.vdim }));
  }

  /**
   * query [B, T, E], keys [B, S, kdim], values [B, S, vdim] (default keys) ->
   * [output [B, T, E], weights averaged over heads [B, T, S]].
   */
  forward(query: tf.Tensor, keys: tf.Tensor, values?: tf.Tensor | null, opts: AttentionForwardOptions & { attnMask?: tf.Tensor | null } = {}): [tf.Tensor, tf.Tensor] {
    checkKeyPaddingMask(this.typeName, opts.keyPaddingMask, keys);
    const out = tf.tidy(() => {
      const [o, w] = this.attn.forward(query, keys, values ?? keys, { keyPaddingMask: opts.keyPaddingMask, attnMask: opts.attnMask });
      return zeroAllMasked(o, w!, opts.keyPaddingMask);
    });
    return [out[0], out[1]];
  }
}

/** Self-attention: query = keys = values = x, optionally causal (position t sees 0..t). */
export class SelfAttention extends nn.Module {
  readonly attn: nn.MultiheadAttention;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    readonly causal: boolean = false,
    opts: Omit<MultiHeadAttentionOptions, 'kdim' | 'vdim'> = {},
  ) {
    super();
    this.attn = this.registerModule('attn', new nn.MultiheadAttention(embedDim, numHeads, { dropout: opts.dropout ?? 0 }));
  }

  /** x [B, T, E], keyPaddingMask [B, T] -> [output [B, T, E], weights [B, T, T]]. */
  forward(x: tf.Tensor, opts: AttentionForwardOptions = {}): [tf.Tensor, tf.Tensor] {
    checkKeyPaddingMask(this.typeName, opts.keyPaddingMask, x);
    const out = tf.tidy(() => {
      const [o, w] = this.attn.forward(x, x, x, { keyPaddingMask: opts.keyPaddingMask, isCausal: this.causal });
      return zeroAllMasked(o, w!, opts.keyPaddingMask);
    });
    return [out[0], out[1]];
  }
}
