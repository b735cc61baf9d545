/**
 * Transformer encoder and decoder layers (torch.nn.TransformerEncoderLayer /
 * TransformerDecoderLayer; Vaswani et al., 2017) with PyTorch's child names, so state dicts load
 * unchanged. Post-norm (the paper, PyTorch's default) or pre-norm (`normFirst`, Xiong et al., 2020).
 * B=batch, T=target length, S=source length, E=dModel.
 */
import { tf } from '../tf';
import { gelu, relu } from '../functional/activations';
import { Module } from './module';
import { Linear, checkPositiveInt } from './linear';
import { Dropout } from './dropout';
import { LayerNorm } from './normalization';
import { MultiheadAttention } from './attention';
import { ModuleList } from './container';
import { checkLastDim, checkRank } from './shape';

export type TransformerActivation = 'relu' | 'gelu' | ((x: tf.Tensor) => tf.Tensor);

export interface TransformerLayerOptions {
  /** Hidden width of the feed-forward block. Default 2048. */
  dimFeedforward?: number;
  /** Dropout probability after attention, inside and after the feed-forward block. Default 0.1. */
  dropout?: number;
  /** Feed-forward activation: 'relu' (default), 'gelu' (exact, erf) or a function. */
  activation?: TransformerActivation;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEps?: number;
  /** Inputs are [batch, seq, dModel] when true (default), [seq, batch, dModel] when false. */
  batchFirst?: boolean;
  /** Normalise before each block (pre-norm) instead of after the residual add. Default false. */
  normFirst?: boolean;
  /** Learn biases in the linear layers and layer norms. Default true. */
  bias?: boolean;
}

const LAYER_DEFAULTS = { dimFeedforward: 2048, dropout: 0.1, activation: 'relu' as TransformerActivation, layerNormEps: 1e-5, batchFirst: true, normFirst: false, bias: true };

/** Defaults overridden by the options the caller set (undefined leaves the default); the caller's object is not mutated. */
function withDefaults<D extends object>(defaults: D, opts: object): D {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as D;
}

export interface TransformerEncoderLayerForwardOptions {
  /** Attention mask [T, T] or [B*nhead, T, T]: bool true = disallowed, or float added to scores. */
  srcMask?: tf.Tensor | null;
  /** [B, T] bool, true = padding token (not attended to). */
  srcKeyPaddingMask?: tf.Tensor | null;
  /** Use a causal self-attention mask when srcMask is not given. Default false. */
  isCausal?: boolean;
}

export interface TransformerDecoderLayerForwardOptions {
  /** Self-attention mask [T, T] or [B*nhead, T, T] (bool true = disallowed, or additive float). */
  tgtMask?: tf.Tensor | null;
  /** Cross-attention mask [T, S] or [B*nhead, T, S]. */
  memoryMask?: tf.Tensor | null;
  /** [B, T] bool, true = padding in the target. */
  tgtKeyPaddingMask?: tf.Tensor | null;
  /** [B, S] bool, true = padding in the memory. */
  memoryKeyPaddingMask?: tf.Tensor | null;
  /** Use a causal self-attention mask when tgtMask is not given. Default false. */
  tgtIsCausal?: boolean;
}

function activationFn(layer: string, a: TransformerActivation): (x: tf.Tensor) => tf.Tensor {
  if (typeof a === 'function') return a;
  if (a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  throw new Error(`${layer}: activation must be 'relu', 'gelu' or a function, got '${String(a)}'`);
}

function checkLayerArgs(layer: string, dModel: number, nhead: number, o: typeof LAYER_DEFAULTS): void {
  checkPositiveInt(layer, 'dModel', dModel);
  checkPositiveInt(layer, 'nhead', nhead);
  checkPositiveInt(layer, 'dimFeedforward', o.dimFeedforward);
  if (dModel % nhead !== 0) throw new Error(`${layer}: dModel (${dModel}) must be divisible by nhead (${nhead})`);
}

/**
 * Self-attention + feed-forward block. Post-norm: x = norm1(x + sa(x)); x = norm2(x + ff(x)).
 * Pre-norm: x = x + sa(norm1(x)); x = x + ff(norm2(x)). [B, T, E] -> [B, T, E].
 */
export class TransformerEncoderLayer extends Module {
  readonly self_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly normFirst: boolean;
  /** The options it was built with, defaults filled in (to build identical copies). */
  readonly options: Readonly<Required<TransformerLayerOptions>>;
  private readonly activation: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    opts: TransformerLayerOptions = {},
  ) {
    super();
    const o = withDefaults(LAYER_DEFAULTS, opts);
    checkLayerArgs('TransformerEncoderLayer', dModel, nhead, o);
    this.options = o;
    this.activation = activationFn('TransformerEncoderLayer', o.activation);
    this.normFirst = o.normFirst;
    // Registration order is PyTorch's, so stateDict() lists keys in its order.
    this.self_attn = this.registerModule('self_attn', new MultiheadAttention(dModel, nhead, { dropout: o.dropout, bias: o.bias, batchFirst: o.batchFirst }));
    this.linear1 = this.registerModule('linear1', new Linear(dModel, o.dimFeedforward, { bias: o.bias }));
    this.dropout = this.registerModule('dropout', new Dropout(o.dropout));
    this.linear2 = this.registerModule('linear2', new Linear(o.dimFeedforward, dModel, { bias: o.bias }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(o.dropout));
    this.dropout2 = this.registerModule('dropout2', new Dropout(o.dropout));
  }

  /** src [B, T, E] -> [B, T, E] */
  forward(src: tf.Tensor, opts: TransformerEncoderLayerForwardOptions = {}): tf.Tensor {
    checkRank(this, src, [2, 3], 'src');
    checkLastDim(this, src, this.dModel, 'src features = dModel');
    return tf.tidy(() => {
      const sa = (x: tf.Tensor) =>
        this.dropout1.forward(
          this.self_attn.forward(x, x, x, { attnMask: opts.srcMask, keyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal, needWeights: false })[0],
        );
      const ff = (x: tf.Tensor) => this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
      let x = src;
      if (this.normFirst) {
        x = tf.add(x, sa(this.norm1.forward(x)));
        return tf.add(x, ff(this.norm2.forward(x)));
      }
      x = this.norm1.forward(tf.add(x, sa(x)));
      return this.norm2.forward(tf.add(x, ff(x)));
    });
  }
}

/**
 * Self-attention + cross-attention over `memory` + feed-forward. Post-norm:
 * x = norm1(x + sa(x)); x = norm2(x + mha(x, mem)); x = norm3(x + ff(x)); pre-norm puts each norm
 * inside its residual branch. tgt [B, T, E], memory [B, S, E] -> [B, T, E].
 */
export class TransformerDecoderLayer extends Module {
  readonly self_attn: MultiheadAttention;
  readonly multihead_attn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;
  readonly normFirst: boolean;
  /** The options it was built with, defaults filled in (to build identical copies). */
  readonly options: Readonly<Required<TransformerLayerOptions>>;
  private readonly activation: (x: tf.Tensor) => tf.Tensor;

  constructor(
    readonly dModel: number,
    readonly nhead: number,
    opts: TransformerLayerOptions = {},
  ) {
    super();
    const o = withDefaults(LAYER_DEFAULTS, opts);
    checkLayerArgs('TransformerDecoderLayer', dModel, nhead, o);
    this.options = o;
    this.activation = activationFn('TransformerDecoderLayer', o.activation);
    this.normFirst = o.normFirst;
    const mha = () => new MultiheadAttention(dModel, nhead, { dropout: o.dropout, bias: o.bias, batchFirst: o.batchFirst });
    this.self_attn = this.registerModule('self_attn', mha());
    this.multihead_attn = this.registerModule('multihead_attn', mha());
    this.linear1 = this.registerModule('linear1', new Linear(dModel, o.dimFeedforward, { bias: o.bias }));
    this.dropout = this.registerModule('dropout', new Dropout(o.dropout));
    this.linear2 = this.registerModule('linear2', new Linear(o.dimFeedforward, dModel, { bias: o.bias }));
    this.norm1 = this.registerModule('norm1', new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias }));
    this.norm2 = this.registerModule('norm2', new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias }));
    this.norm3 = this.registerModule('norm3', new LayerNorm(dModel, { eps: o.layerNormEps, bias: o.bias }));
    this.dropout1 = this.registerModule('dropout1', new Dropout(o.dropout));
    this.dropout2 = this.registerModule('dropout2', new Dropout(o.dropout));
    this.dropout3 = this.registerModule('dropout3', new Dropout(o.dropout));
  }

  /** tgt [B, T, E], memory [B, S, E] -> [B, T, E] */
  forward(tgt: tf.Tensor, memory: tf.Tensor, opts: TransformerDecoderLayerForwardOptions = {}): tf.Tensor {
    checkRank(this, tgt, [2, 3], 'tgt');
    checkLastDim(this, tgt, this.dModel, 'tgt features = dModel');
    checkLastDim(this, memory, this.dModel, 'memory features = dModel');
    return tf.tidy(() => {
      const sa = (x: tf.Tensor) =>
        this.dropout1.forward(
          this.self_attn.forward(x, x, x, { attnMask: opts.tgtMask, keyPaddingMask: opts.tgtKeyPaddingMask, isCausal: opts.tgtIsCausal, needWeights: false })[0],
        );
      const mha = (x: tf.Tensor) =>
        this.dropout2.forward(
          this.multihead_attn.forward(x, memory, memory, { attnMask: opts.memoryMask, keyPaddingMask: opts.memoryKeyPaddingMask, needWeights: false })[0],
        );
      const ff = (x: tf.Tensor) => this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
      let x = tgt;
      if (this.normFirst) {
        x = tf.add(x, sa(this.norm1.forward(x)));
        x = tf.add(x, mha(this.norm2.forward(x)));
        return tf.add(x, ff(this.norm3.forward(x)));
      }
      x = this.norm1.forward(tf.add(x, sa(x)));
      x = this.norm2.forward(tf.add(x, mha(x)));
      return this.norm3.forward(tf.add(x, ff(x)));
    });
  }
}

export interface TransformerStackOptions {
  /** Module applied to the output of the last layer (PyTorch's `norm`, e.g. a LayerNorm). Default none. */
  norm?: Module | null;
}

export interface TransformerEncoderForwardOptions {
  /** Attention mask for every layer, as TransformerEncoderLayer's srcMask. */
  mask?: tf.Tensor | null;
  /** [B, T] bool, true = padding token. */
  srcKeyPaddingMask?: tf.Tensor | null;
  /** Use a causal mask when `mask` is not given. Default false. */
  isCausal?: boolean;
}

/**
 * Builds `numLayers` layers from `layer`: a factory (called with the layer index) gives each layer
 * its own initialisation; a layer instance becomes `layers.0` and the others are copies of it, so
 * that all start from the same weights, like PyTorch's deep copies.
 */
function buildLayers<L extends TransformerEncoderLayer | TransformerDecoderLayer>(
  stack: string,
  layer: L | ((index: number) => L),
  numLayers: number,
  copy: (l: L) => L,
): ModuleList {
  checkPositiveInt(stack, 'numLayers', numLayers);
  const layers = new ModuleList();
  for (let i = 0; i < numLayers; i++) {
    const l = typeof layer === 'function' ? layer(i) : i === 0 ? layer : copy(layer);
    l.train(typeof layer === 'function' ? l.training : layer.training);
    layers.append(l);
  }
  return layers;
}

function copyWeights<L extends Module>(from: Module, to: L): L {
  to.loadStateDict(from.stateDict());
  return to;
}

/** A stack of encoder layers (torch.nn.TransformerEncoder), children `layers.0…` and `norm`. */
export class TransformerEncoder extends Module {
  readonly layers: ModuleList;
  readonly norm: Module | null;

  constructor(
    layer: TransformerEncoderLayer | ((index: number) => TransformerEncoderLayer),
    readonly numLayers: number,
    opts: TransformerStackOptions = {},
  ) {
    super();
    const copy = (l: TransformerEncoderLayer) => copyWeights(l, new TransformerEncoderLayer(l.dModel, l.nhead, l.options));
    this.layers = this.registerModule('layers', buildLayers('TransformerEncoder', layer, numLayers, copy));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  /** src [B, T, E] -> [B, T, E] */
  forward(src: tf.Tensor, opts: TransformerEncoderForwardOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = src;
      for (const layer of this.layers)
        x = (layer as TransformerEncoderLayer).forward(x, { srcMask: opts.mask, srcKeyPaddingMask: opts.srcKeyPaddingMask, isCausal: opts.isCausal });
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}

/** A stack of decoder layers (torch.nn.TransformerDecoder), children `layers.0…` and `norm`. */
export class TransformerDecoder extends Module {
  readonly layers: ModuleList;
  readonly norm: Module | null;

  constructor(
    layer: TransformerDecoderLayer | ((index: number) => TransformerDecoderLayer),
    readonly numLayers: number,
    opts: TransformerStackOptions = {},
  ) {
    super();
    const copy = (l: TransformerDecoderLayer) => copyWeights(l, new TransformerDecoderLayer(l.dModel, l.nhead, l.options));
    this.layers = this.registerModule('layers', buildLayers('TransformerDecoder', layer, numLayers, copy));
    this.norm = this.registerModule('norm', opts.norm ?? null);
  }

  /** tgt [B, T, E], memory [B, S, E] -> [B, T, E]; the options are TransformerDecoderLayer's, for every layer. */
  forward(tgt: tf.Tensor, memory: tf.Tensor, opts: TransformerDecoderLayerForwardOptions = {}): tf.Tensor {
    return tf.tidy(() => {
      let x = tgt;
      for (const layer of this.layers) x = (layer as TransformerDecoderLayer).forward(x, memory, opts);
      return this.norm ? this.norm.forward(x) : x;
    });
  }
}
