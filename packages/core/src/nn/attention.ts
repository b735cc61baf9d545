/**
 * Multi-head attention (torch.nn.MultiheadAttention; Vaswani et al., 2017) with PyTorch's
 * parameter names and layouts: `in_proj_weight` [3E, E] and `in_proj_bias` [3E] (q, k, v stacked),
 * or `q_proj_weight` / `k_proj_weight` / `v_proj_weight` when kdim/vdim differ from embedDim, and
 * a child Linear `out_proj`. B=batch, T=target (query) length, S=source (key) length, E=embedDim,
 * H=numHeads, hd=E/H.
 */
import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { dropout, linear, softmax } from '../functional/activations';
import { Module } from './module';
import { Linear, checkPositiveInt } from './linear';
import { xavierUniform, zeros } from './init';
import { checkLastDim, checkRank } from './shape';

export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights, in training mode only. Default 0. */
  dropout?: number;
  /** Learn `in_proj_bias` and `out_proj.bias`. Default true. */
  bias?: boolean;
  /** Features of `key`. Default embedDim. */
  kdim?: number;
  /** Features of `value`. Default embedDim. */
  vdim?: number;
  /** Inputs are [batch, seq, features] when true (default), [seq, batch, features] when false. */
  batchFirst?: boolean;
}

export interface MultiheadAttentionForwardOptions {
  /**
   * [B, S] (or [S] unbatched): bool, true = this key is padding and gets no attention; or float,
   * added to the attention scores.
   */
  keyPaddingMask?: tf.Tensor | null;
  /**
   * [T, S] or [B*H, T, S] ([H, T, S] unbatched): bool, true = attention not allowed; or float,
   * added to the attention scores (e.g. -Infinity).
   */
  attnMask?: tf.Tensor | null;
  /** Return the attention weights. Default true. */
  needWeights?: boolean;
  /** Average the returned weights over heads ([B, T, S]) instead of [B, H, T, S]. Default true. */
  averageAttnWeights?: boolean;
  /** Apply a causal mask (key j > query i disallowed); only used when attnMask is not given. Default false. */
  isCausal?: boolean;
}

const MHA_DEFAULTS = { dropout: 0, bias: true, batchFirst: true };

/** Defaults overridden by the options the caller set (undefined leaves the default); the caller's object is not mutated. */
function withDefaults<D extends object>(defaults: D, opts: object): D {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as D;
}

/**
 * Scaled dot-product multi-head attention. `forward(query, key, value, opts)` returns
 * [output [B, T, E], weights [B, T, S] (or [B, H, T, S]) | null], like PyTorch; weights are
 * the softmax after dropout. A query whose keys are all masked gets NaN, as in PyTorch.
 */
export class MultiheadAttention extends Module {
  readonly kdim: number;
  readonly vdim: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  /** [3E, E] when kdim == vdim == E, else null. */
  readonly in_proj_weight: Parameter | null;
  readonly q_proj_weight: Parameter | null;
  readonly k_proj_weight: Parameter | null;
  readonly v_proj_weight: Parameter | null;
  readonly in_proj_bias: Parameter | null;
  readonly out_proj: Linear;

  constructor(
    readonly embedDim: number,
    readonly numHeads: number,
    opts: MultiheadAttentionOptions = {},
  ) {
    super();
    const o = withDefaults(MHA_DEFAULTS, opts);
    checkPositiveInt('MultiheadAttention', 'embedDim', embedDim);
    checkPositiveInt('MultiheadAttention', 'numHeads', numHeads);
    if (embedDim % numHeads !== 0)
      throw new Error(`MultiheadAttention: embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    if (!(o.dropout >= 0 && o.dropout <= 1)) throw new Error(`MultiheadAttention: dropout must be in [0, 1], got ${o.dropout}`);
    this.kdim = opts.kdim ?? embedDim;
    this.vdim = opts.vdim ?? embedDim;
    checkPositiveInt('MultiheadAttention', 'kdim', this.kdim);
    checkPositiveInt('MultiheadAttention', 'vdim', this.vdim);
    this.headDim = embedDim / numHeads;
    this.dropout = o.dropout;
    this.batchFirst = o.batchFirst;
    const E = embedDim;
    // PyTorch's init: xavier_uniform_ on the projections, zero biases, default Linear init for out_proj.weight.
    if (this.kdim === E && this.vdim === E) {
      this.in_proj_weight = this.registerParameter('in_proj_weight', new Parameter(xavierUniform([3 * E, E])));
      this.q_proj_weight = this.k_proj_weight = this.v_proj_weight = null;
    } else {
      this.in_proj_weight = null;
      this.q_proj_weight = this.registerParameter('q_proj_weight', new Parameter(xavierUniform([E, E])));
      this.k_proj_weight = this.registerParameter('k_proj_weight', new Parameter(xavierUniform([E, this.kdim])));
      this.v_proj_weight = this.registerParameter('v_proj_weight', new Parameter(xavierUniform([E, this.vdim])));
    }
    this.in_proj_bias = this.registerParameter('in_proj_bias', o.bias ? new Parameter(zeros([3 * E])) : null);
    this.out_proj = this.registerModule('out_proj', new Linear(E, E, { bias: o.bias }));
    if (this.out_proj.bias) tf.tidy(() => this.out_proj.bias!.assign(tf.zeros([E])));
  }

  forward(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor, opts: MultiheadAttentionForwardOptions = {}): [tf.Tensor, tf.Tensor | null] {
    const layout = this.batchFirst ? '[batch, seq, features]' : '[seq, batch, features]';
    checkRank(this, query, [2, 3], `query ${layout}`);
    checkLastDim(this, query, this.embedDim, 'query features = embedDim');
    checkLastDim(this, key, this.kdim, 'key features = kdim');
    checkLastDim(this, value, this.vdim, 'value features = vdim');
    const unbatched = query.rank === 2;
    if (key.rank !== query.rank || value.rank !== query.rank)
      throw new Error(`${this.typeName}: query, key and value must have the same rank, got [${query.shape}], [${key.shape}], [${value.shape}]`);
    const seqAxis = unbatched ? 0 : this.batchFirst ? 1 : 0;
    const B = unbatched ? 1 : (query.shape[this.batchFirst ? 0 : 1] as number);
    const T = query.shape[seqAxis] as number;
    const S = key.shape[seqAxis] as number;
    if (!tf.util.arraysEqual(key.shape.slice(0, -1), value.shape.slice(0, -1)))
      throw new Error(`${this.typeName}: key [${key.shape}] and value [${value.shape}] must agree in all but the last dimension`);
    if (!unbatched && key.shape[this.batchFirst ? 0 : 1] !== B)
      throw new Error(`${this.typeName}: query [${query.shape}] and key [${key.shape}] have different batch sizes`);
    const kpm = opts.keyPaddingMask ?? null;
    if (kpm && !tf.util.arraysEqual(kpm.shape, unbatched ? [S] : [B, S]))
      throw new Error(`${this.typeName}: expected keyPaddingMask of shape [${unbatched ? [S] : [B, S]}] (batch, source length), got [${kpm.shape}]`);
    const am = opts.attnMask ?? null;
    const H = this.numHeads;
    if (am && !tf.util.arraysEqual(am.shape, [T, S]) && !tf.util.arraysEqual(am.shape, [B * H, T, S]))
      throw new Error(`${this.typeName}: expected attnMask of shape [${[T, S]}] or [${[B * H, T, S]}] (batch*heads, target, source), got [${am.shape}]`);
    const needWeights = opts.needWeights ?? true;
    const average = opts.averageAttnWeights ?? true;

    const result = tf.tidy(() => {
      const E = this.embedDim;
      const hd = this.headDim;
      // -> [B, L, features]
      const toBatchFirst = (t: tf.Tensor) => (unbatched ? t.expandDims(0) : this.batchFirst ? t : t.transpose([1, 0, 2]));
      const [q, k, v] = this.project(query, key, value).map(toBatchFirst);
      // [B, L, E] -> [B, H, L, hd]
      const heads = (t: tf.Tensor, L: number) => t.reshape([B, L, H, hd]).transpose([0, 2, 1, 3]);
      const qh = heads(tf.mul(q, 1 / Math.sqrt(hd)), T);
      const kh = heads(k, S);
      const vh = heads(v, S);
      let scores = tf.matMul(qh, kh, false, true); // [B, H, T, S]
      for (const mask of this.additiveMasks(kpm, am, opts.isCausal ?? false, B, T, S)) scores = tf.add(scores, mask);
      let attn = softmax(scores, -1); // [B, H, T, S]
      if (this.training && this.dropout > 0) attn = dropout(attn, this.dropout, true);
      const ctx = tf.matMul(attn, vh).transpose([0, 2, 1, 3]).reshape([B, T, E]); // [B, H, T, hd] -> [B, T, E]
      let out = this.out_proj.forward(ctx);
      out = unbatched ? out.squeeze([0]) : this.batchFirst ? out : out.transpose([1, 0, 2]);
      if (!needWeights) return [out];
      const w = average ? tf.mean(attn, 1) : attn; // [B, T, S] | [B, H, T, S]
      return [out, unbatched ? w.squeeze([0]) : w];
    });
    return [result[0], result[1] ?? null];
  }

  /**
   * The q, k, v input projections, each [..., E]. Row blocks of in_proj_weight are cut once
   * (contiguous), rather than splitting a [..., 3E] product along its last axis, which TF.js's cpu
   * backend copies element by element.
   */
  private project(query: tf.Tensor, key: tf.Tensor, value: tf.Tensor): tf.Tensor[] {
    const b = this.in_proj_bias ? tf.split(this.in_proj_bias.data, 3, 0) : [null, null, null];
    const w = this.in_proj_weight ? tf.split(this.in_proj_weight.data, 3, 0) : [this.q_proj_weight!.data, this.k_proj_weight!.data, this.v_proj_weight!.data];
    return [linear(query, w[0], b[0]), linear(key, w[1], b[1]), linear(value, w[2], b[2])];
  }

  /** Masks as float tensors added to the scores [B, H, T, S]: bool true -> -Infinity. */
  private additiveMasks(kpm: tf.Tensor | null, am: tf.Tensor | null, isCausal: boolean, B: number, T: number, S: number): tf.Tensor[] {
    const additive = (m: tf.Tensor) =>
      m.dtype === 'bool' ? tf.where(m, tf.fill(m.shape, -Infinity), tf.zeros(m.shape)) : m.dtype === 'float32' ? m : m.toFloat();
    const masks: tf.Tensor[] = [];
    if (am) masks.push(am.rank === 2 ? additive(am) : additive(am).reshape([B, this.numHeads, T, S])); // [T, S] | [B, H, T, S]
    else if (isCausal) masks.push(additive(causalMask(T, S)));
    if (kpm) masks.push(additive(kpm).reshape([B, 1, 1, S]));
    return masks;
  }
}

/** Bool [T, S] mask, true where key j comes after query i (j > i): what a causal model may not see. */
export function causalMask(T: number, S: number = T): tf.Tensor2D {
  const m = new Uint8Array(T * S);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < S; j++) m[i * S + j] = 1;
  return tf.tensor2d(m, [T, S], 'bool');
}
