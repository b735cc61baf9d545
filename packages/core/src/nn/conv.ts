/**
 * Convolutions with torch.nn semantics on TF.js layouts: Conv1d takes [B, L, C], Conv2d and
 * ConvTranspose2d take NHWC. Weights are stored in PyTorch layout (Conv: [out, in/groups, kh, kw],
 * ConvTranspose: [in, out/groups, kh, kw]) and transposed to TF.js's [kh, kw, in, out] per call.
 */
import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { Module } from './module';
import { defaultBias, defaultWeight } from './init';

export type Pair = number | [number, number];
export type ConvPadding = Pair | 'same' | 'valid';

export interface Conv2dOptions {
  /** Step between windows. Default 1. */
  stride?: Pair;
  /** Zero padding per side, or 'same' (stride 1 only) / 'valid' (= 0). Default 0. */
  padding?: ConvPadding;
  /** Spacing between kernel taps. Default 1. */
  dilation?: Pair;
  /** Channel groups: inChannels and outChannels must both divide by it; groups = inChannels is depthwise. Default 1. */
  groups?: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
  bias?: boolean;
}

export interface ConvTranspose2dOptions {
  /** Upsampling step. Default 1. */
  stride?: Pair;
  /** Rows/columns cropped from each side of the full transposed-convolution output (torch's `padding`). Default 0. */
  padding?: Pair;
  /** Extra rows/columns added at the bottom/right of the output; must be < stride or < dilation. Default 0. */
  outputPadding?: Pair;
  /** Channel groups. Default 1. */
  groups?: number;
  /** Learn an additive bias. Default true. */
  bias?: boolean;
  /** Spacing between kernel taps. Default 1. */
  dilation?: Pair;
}

/** number | [h, w] -> [h, w], validating each entry. */
export function pair(layer: string, field: string, v: Pair, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : Array.isArray(v) && v.length === 2 ? [v[0], v[1]] : [NaN, NaN];
  if (!p.every((e) => Number.isInteger(e) && e >= min))
    throw new Error(`${layer}: ${field} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  return p;
}

export function checkChannels(layer: string, field: string, value: number, groups: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${layer}: ${field} must be a positive integer, got ${value}`);
  if (value % groups !== 0) throw new Error(`${layer}: ${field} (${value}) must be divisible by groups (${groups})`);
}

/** Checks `groups` (a positive integer) and both channel counts against it; returns `groups`. */
function checkGroups(layer: string, groups: number, inChannels: number, outChannels: number): number {
  if (!Number.isInteger(groups) || groups <= 0) throw new Error(`${layer}: groups must be a positive integer, got ${groups}`);
  checkChannels(layer, 'inChannels', inChannels, groups);
  checkChannels(layer, 'outChannels', outChannels, groups);
  return groups;
}

/**
 * Throws unless x is [B, H, W, C] (or [B, L, C] for 1-D layers) with C = channels, recognising
 * channels-first input and saying so.
 */
export function checkChannelsLast(layer: string, x: tf.Tensor, rank: 3 | 4, channels?: number): void {
  const layout = rank === 4 ? 'NHWC [batch, height, width, channels]' : '[batch, length, channels]';
  const first = rank === 4 ? 'NCHW' : '[batch, channels, length]';
  if (x.rank !== rank) throw new Error(`${layer}: expected a ${rank}-D input ${layout}, got shape [${x.shape}]`);
  if (channels !== undefined && x.shape[rank - 1] !== channels) {
    const hint = x.shape[1] === channels ? ` (this looks like ${first} input; ${layer} expects channels last)` : '';
    throw new Error(`${layer}: expected input ${layout} with ${channels} channels, got shape [${x.shape}]${hint}`);
  }
}

/** Inserts d-1 zeros between the taps along `axis` of a kernel. */
function dilateAxis(w: tf.Tensor, axis: number, d: number): tf.Tensor {
  const k = w.shape[axis];
  if (d === 1 || k === 1) return w;
  const shape = w.shape.slice();
  const expanded = w.expandDims(axis + 1); // [..., k, 1, ...]
  const pads = expanded.shape.map((_, i) => (i === axis + 1 ? [0, d - 1] : [0, 0]) as [number, number]);
  shape[axis] = k * d;
  const spread = tf.pad(expanded, pads).reshape(shape); // [..., k·d, ...]
  const begin = shape.map(() => 0);
  const size = shape.slice();
  size[axis] = (k - 1) * d + 1;
  return tf.slice(spread, begin, size);
}

/**
 * Convolution of NHWC x with a PyTorch-layout weight [out, in/groups, kh, kw]; pads are
 * [top, bottom, left, right] (zeros), applied explicitly so any stride/dilation pair works.
 */
export function conv2dTorch(
  x: tf.Tensor4D,
  weight: tf.Tensor,
  bias: tf.Tensor | null,
  stride: [number, number],
  pads: [number, number, number, number],
  dilation: [number, number],
  groups: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [outC, inPerGroup] = weight.shape;
    const inC = x.shape[3];
    let xp: tf.Tensor4D = x;
    if (pads.some((p) => p !== 0))
      xp = tf.pad(x, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]]);
    let w = weight.transpose([2, 3, 1, 0]) as tf.Tensor4D; // [out, in/g, kh, kw] -> [kh, kw, in/g, out]
    // TF.js 4.22 has no gradient for dilated convolutions (and no strides with dilations), so
    // dilation is applied to the kernel itself: zeros between taps.
    if (dilation[0] > 1 || dilation[1] > 1) w = dilateAxis(dilateAxis(w, 0, dilation[0]), 1, dilation[1]) as tf.Tensor4D;
    let y: tf.Tensor4D;
    if (groups === 1) {
      y = tf.conv2d(xp, w, stride, 'valid', 'NHWC');
    } else if (groups === inC && inPerGroup === 1) {
      // depthwise: torch's output channel o reads input channel o / mult, TF's is c·mult + m: same order
      const mult = outC / inC;
      const dw = w.reshape([w.shape[0], w.shape[1], inC, mult]) as tf.Tensor4D; // [kh, kw, in, mult]
      y = tf.depthwiseConv2d(xp, dw, stride, 'valid', 'NHWC');
    } else {
      const xs = tf.split(xp, groups, 3) as tf.Tensor4D[]; // groups × [B, H, W, in/g]
      const ws = tf.split(w, groups, 3) as tf.Tensor4D[]; // groups × [kh, kw, in/g, out/g]
      y = tf.concat(xs.map((xg, g) => tf.conv2d(xg, ws[g], stride, 'valid', 'NHWC')), 3);
    }
    return bias ? tf.add(y, bias) : y;
  });
}

/** Explicit [before, after] padding along one axis for torch's padding option. */
function axisPads(layer: string, padding: number | 'same' | 'valid', k: number, d: number, stride: number): [number, number] {
  if (padding === 'valid') return [0, 0];
  if (padding === 'same') {
    if (stride !== 1) throw new Error(`${layer}: padding 'same' needs stride 1, got stride ${stride}`);
    const total = d * (k - 1);
    return [Math.floor(total / 2), total - Math.floor(total / 2)]; // extra on the end, like torch
  }
  return [padding, padding];
}

function outSize(layer: string, size: number, k: number, s: number, pads: [number, number], d: number, what: string): number {
  const out = Math.floor((size + pads[0] + pads[1] - d * (k - 1) - 1) / s) + 1;
  if (out < 1)
    throw new Error(
      `${layer}: input ${what} ${size} (padded ${size + pads[0] + pads[1]}) is smaller than the dilated kernel ${d * (k - 1) + 1}`,
    );
  return out;
}

/** 2-D convolution over NHWC images (torch.nn.Conv2d). weight [out, in/groups, kh, kw], bias [out]. */
export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    opts: Conv2dOptions = {},
  ) {
    super();
    const name = this.typeName;
    this.groups = checkGroups(name, opts.groups ?? 1, inChannels, outChannels);
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', opts.stride ?? 1, 1);
    this.dilation = pair(name, 'dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : pair(name, 'padding', padding, 0);
    if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1))
      throw new Error(`${name}: padding 'same' needs stride 1, got stride [${this.stride}]`);
    const wShape = [outChannels, inChannels / this.groups, ...this.kernelSize];
    this.weight = this.registerParameter('weight', new Parameter(defaultWeight(wShape)));
    const fanIn = (inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    this.bias = this.registerParameter('bias', opts.bias ?? true ? new Parameter(defaultBias(outChannels, fanIn)) : null);
  }

  /** [B, H, W, inChannels] -> [B, H', W', outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkChannelsLast(this.typeName, x, 4, this.inChannels);
    const [kh, kw] = this.kernelSize;
    const mode = typeof this.padding === 'string' ? this.padding : null;
    const ph = axisPads(this.typeName, mode ?? (this.padding as [number, number])[0], kh, this.dilation[0], this.stride[0]);
    const pw = axisPads(this.typeName, mode ?? (this.padding as [number, number])[1], kw, this.dilation[1], this.stride[1]);
    outSize(this.typeName, x.shape[1]!, kh, this.stride[0], ph, this.dilation[0], 'height');
    outSize(this.typeName, x.shape[2]!, kw, this.stride[1], pw, this.dilation[1], 'width');
    return conv2dTorch(x as tf.Tensor4D, this.weight.data, this.bias?.data ?? null, this.stride, [...ph, ...pw], this.dilation, this.groups);
  }
}

/** 1-D convolution over [B, L, C] sequences (torch.nn.Conv1d). weight [out, in/groups, k], bias [out]. */
export class Conv1d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number | 'same' | 'valid';
  readonly dilation: number;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number,
    opts: Conv1dOptions = {},
  ) {
    super();
    const name = this.typeName;
    this.groups = checkGroups(name, opts.groups ?? 1, inChannels, outChannels);
    const int = (field: string, v: number, min: number): number => {
      if (!Number.isInteger(v) || v < min) throw new Error(`${name}: ${field} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
      return v;
    };
    this.kernelSize = int('kernelSize', kernelSize, 1);
    this.stride = int('stride', opts.stride ?? 1, 1);
    this.dilation = int('dilation', opts.dilation ?? 1, 1);
    const padding = opts.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : int('padding', padding, 0);
    if (padding === 'same' && this.stride !== 1) throw new Error(`${name}: padding 'same' needs stride 1, got stride ${this.stride}`);
    this.weight = this.registerParameter('weight', new Parameter(defaultWeight([outChannels, inChannels / this.groups, kernelSize])));
    const fanIn = (inChannels / this.groups) * kernelSize;
    this.bias = this.registerParameter('bias', opts.bias ?? true ? new Parameter(defaultBias(outChannels, fanIn)) : null);
  }

  /** [B, L, inChannels] -> [B, L', outChannels] */
  forward(x: tf.Tensor): tf.Tensor3D {
    checkChannelsLast(this.typeName, x, 3, this.inChannels);
    const p = axisPads(this.typeName, this.padding, this.kernelSize, this.dilation, this.stride);
    outSize(this.typeName, x.shape[1]!, this.kernelSize, this.stride, p, this.dilation, 'length');
    return tf.tidy(() => {
      const [B, L, C] = x.shape;
      const x4 = x.reshape([B, 1, L, C]) as tf.Tensor4D; // a 1×L image
      const w4 = this.weight.data.expandDims(2); // [out, in/g, k] -> [out, in/g, 1, k]
      const y = conv2dTorch(x4, w4, this.bias?.data ?? null, [1, this.stride], [0, 0, ...p], [1, this.dilation], this.groups);
      return y.squeeze([1]) as tf.Tensor3D; // [B, 1, L', out] -> [B, L', out]
    });
  }
}

/**
 * Transposed 2-D convolution over NHWC images (torch.nn.ConvTranspose2d), the gradient of Conv2d
 * with respect to its input. weight [in, out/groups, kh, kw] like torch. Output size per axis:
 * (H - 1)·stride - 2·padding + dilation·(k - 1) + outputPadding + 1.
 */
export class ConvTranspose2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    opts: ConvTranspose2dOptions = {},
  ) {
    super();
    const name = this.typeName;
    this.groups = checkGroups(name, opts.groups ?? 1, inChannels, outChannels);
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', opts.stride ?? 1, 1);
    this.padding = pair(name, 'padding', opts.padding ?? 0, 0);
    this.outputPadding = pair(name, 'outputPadding', opts.outputPadding ?? 0, 0);
    this.dilation = pair(name, 'dilation', opts.dilation ?? 1, 1);
    for (const i of [0, 1])
      if (this.outputPadding[i] >= Math.max(this.stride[i], this.dilation[i]))
        throw new Error(
          `${name}: outputPadding (${JSON.stringify(opts.outputPadding)}) must be smaller than stride or dilation, got stride [${this.stride}] dilation [${this.dilation}]`,
        );
    const wShape = [inChannels, outChannels / this.groups, ...this.kernelSize];
    this.weight = this.registerParameter('weight', new Parameter(defaultWeight(wShape)));
    const fanIn = (outChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1]; // torch's fan_in of this weight
    this.bias = this.registerParameter('bias', opts.bias ?? true ? new Parameter(defaultBias(outChannels, fanIn)) : null);
  }

  /** [B, H, W, inChannels] -> [B, H', W', outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkChannelsLast(this.typeName, x, 4, this.inChannels);
    const [B, H, W, C] = x.shape;
    const [sh, sw] = this.stride;
    const [kh, kw] = this.kernelSize;
    const [dh, dw] = this.dilation;
    const outH = (H - 1) * sh - 2 * this.padding[0] + dh * (kh - 1) + this.outputPadding[0] + 1;
    const outW = (W - 1) * sw - 2 * this.padding[1] + dw * (kw - 1) + this.outputPadding[1] + 1;
    if (outH < 1 || outW < 1)
      throw new Error(`${this.typeName}: input [${x.shape}] gives an empty output ${outH}×${outW}; reduce padding (${this.padding})`);
    return tf.tidy(() => {
      // Insert stride-1 zeros between input pixels: [B, H, W, C] -> [B, (H-1)·sh+1, (W-1)·sw+1, C]
      let up: tf.Tensor = x;
      if (sh > 1 || sw > 1) {
        up = tf.pad(x.reshape([B, H, 1, W, 1, C]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
        up = up.reshape([B, H * sh, W * sw, C]).slice([0, 0, 0, 0], [B, (H - 1) * sh + 1, (W - 1) * sw + 1, C]);
      }
      // Full padding d·(k-1) minus `padding` per side (+ outputPadding at the end); negative = crop.
      const before = [dh * (kh - 1) - this.padding[0], dw * (kw - 1) - this.padding[1]];
      const after = [before[0] + this.outputPadding[0], before[1] + this.outputPadding[1]];
      const crop = [Math.max(0, -before[0]), Math.max(0, -before[1])];
      if (crop[0] > 0 || crop[1] > 0) {
        const [, h, w] = up.shape;
        up = up.slice([0, crop[0], crop[1], 0], [B, h - crop[0] - Math.max(0, -after[0]), w - crop[1] - Math.max(0, -after[1]), C]);
      }
      const pads: [number, number, number, number] = [Math.max(0, before[0]), Math.max(0, after[0]), Math.max(0, before[1]), Math.max(0, after[1])];
      // Equivalent direct convolution: flip the kernel spatially and swap in/out within each group.
      const g = this.groups;
      const inG = this.inChannels / g;
      const outG = this.outChannels / g;
      const wt = this.weight.data
        .reverse([2, 3])
        .reshape([g, inG, outG, kh, kw])
        .transpose([0, 2, 1, 3, 4]) // [g, out/g, in/g, kh, kw]
        .reshape([this.outChannels, inG, kh, kw]);
      const y = conv2dTorch(up as tf.Tensor4D, wt, this.bias?.data ?? null, [1, 1], pads, this.dilation, g);
      return y;
    });
  }
}
