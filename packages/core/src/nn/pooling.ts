/**
 * Pooling with torch.nn semantics on TF.js layouts: the 2-D layers take NHWC, the 1-D layers
 * [B, L, C]. Output size per axis: floor-or-ceil((L + 2·padding - k) / stride) + 1, where with
 * `ceilMode` a last window that would start in the right padding is dropped, like torch.
 */
import { tf } from '../tf';
import { Module } from './module';
import { checkChannelsLast, pair, Pair } from './conv';

export interface Pool2dOptions {
  /** Step between windows. Default: kernelSize. */
  stride?: Pair;
  /** Implicit padding per side (-inf for max, zeros for avg); at most half the kernel. Default 0. */
  padding?: Pair;
  /** Round the output size up instead of down. Default false. */
  ceilMode?: boolean;
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count zero padding in the divisor. Default true (torch). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. Default: the window size. */
  divisorOverride?: number;
}

export interface Pool1dOptions {
  stride?: number;
  padding?: number;
  ceilMode?: boolean;
}

export interface AvgPool1dOptions extends Pool1dOptions {
  countIncludePad?: boolean;
}

interface AxisPlan {
  out: number;
  /** zeros/-inf added before and after, so that a 'valid' pool gives `out` windows */
  pads: [number, number];
}

function planAxis(layer: string, size: number, k: number, s: number, p: number, ceilMode: boolean, what: string): AxisPlan {
  const span = size + 2 * p - k;
  if (span < 0) throw new Error(`${layer}: input ${what} ${size} (padded ${size + 2 * p}) is smaller than the kernel ${k}`);
  let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceilMode && (out - 1) * s >= size + p) out -= 1; // the last window must start inside input or left padding
  const after = Math.max(0, (out - 1) * s + k - size - p);
  return { out, pads: [p, after] };
}

/** The divisor torch uses for each output position along one axis of an average pool. */
function avgDivisors(size: number, k: number, s: number, p: number, out: number, includePad: boolean): number[] {
  const d: number[] = [];
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, size + p);
    d.push(includePad ? end - start : Math.min(end, size) - Math.max(start, 0));
  }
  return d;
}

interface PoolSpec {
  kind: 'max' | 'avg';
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  ceilMode: boolean;
  countIncludePad: boolean;
  divisorOverride?: number;
}

/** Max or average pooling of NHWC x with torch's padding, ceil mode and divisor rules. */
function pool2dTorch(layer: string, x: tf.Tensor4D, spec: PoolSpec, what: [string, string]): tf.Tensor4D {
  const [, H, W] = x.shape;
  const [kh, kw] = spec.kernel;
  const [sh, sw] = spec.stride;
  const [ph, pw] = spec.padding;
  const ah = planAxis(layer, H, kh, sh, ph, spec.ceilMode, what[0]);
  const aw = planAxis(layer, W, kw, sw, pw, spec.ceilMode, what[1]);
  return tf.tidy(() => {
    const fill = spec.kind === 'max' ? -Infinity : 0;
    const padded = ah.pads.some((v) => v > 0) || aw.pads.some((v) => v > 0);
    const xp = padded ? tf.pad(x, [[0, 0], ah.pads, aw.pads, [0, 0]], fill) : x;
    if (spec.kind === 'max') return maxPoolValid(xp, [kh, kw], [sh, sw]);
    const mean = tf.avgPool(xp, [kh, kw], [sh, sw], 'valid'); // every window is full: sum / (kh·kw)
    const dh = avgDivisors(H, kh, sh, ph, ah.out, spec.countIncludePad);
    const dw = avgDivisors(W, kw, sw, pw, aw.out, spec.countIncludePad);
    const scale = new Float32Array(ah.out * aw.out);
    for (let i = 0; i < ah.out; i++)
      for (let j = 0; j < aw.out; j++) scale[i * aw.out + j] = (kh * kw) / (spec.divisorOverride ?? dh[i] * dw[j]);
    if (scale.every((v) => v === 1)) return mean;
    return tf.mul(mean, tf.tensor(scale, [ah.out, aw.out, 1], 'float32'));
  });
}

/**
 * 'valid' max pooling. On wasm, TF.js 4.22's MaxPoolGrad kernel drops the gradient of windows
 * whose maximum is negative (found by the torch fixtures); gradient routing is invariant to adding
 * a constant, so there the gradient is computed on the input shifted to be positive.
 */
function maxPoolValid(x: tf.Tensor4D, k: [number, number], s: [number, number]): tf.Tensor4D {
  if (tf.getBackend() !== 'wasm') return tf.maxPool(x, k, s, 'valid');
  const pool = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const a = args[0] as tf.Tensor4D;
    (args[1] as tf.GradSaveFunc)([a]);
    return {
      value: tf.maxPool(a, k, s, 'valid'),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const input = saved[0] as tf.Tensor4D;
        const finite = tf.where(tf.isFinite(input), input, tf.fill(input.shape, Infinity));
        const shifted = tf.add(tf.sub(input, tf.min(finite)), 1) as tf.Tensor4D; // >= 1 where finite; -inf padding stays -inf
        const output = tf.maxPool(shifted, k, s, 'valid');
        const attrs = { filterSize: k, strides: s, pad: 'valid', dimRoundingMode: undefined };
        return tf.engine().runKernel('MaxPoolGrad', { dy: dy as tf.Tensor, input: shifted, output }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      },
    };
  });
  return pool(x) as tf.Tensor4D;
}

function checkPadding(layer: string, padding: [number, number], kernel: [number, number]): void {
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1])
    throw new Error(`${layer}: padding [${padding}] must be at most half of kernelSize [${kernel}]`);
}

function int(layer: string, field: string, v: number, min: number): number {
  if (!Number.isInteger(v) || v < min) throw new Error(`${layer}: ${field} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  return v;
}

abstract class Pool2dBase extends Module {
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly ceilMode: boolean;

  constructor(kernelSize: Pair, opts: Pool2dOptions) {
    super();
    const name = this.typeName;
    this.kernelSize = pair(name, 'kernelSize', kernelSize, 1);
    this.stride = pair(name, 'stride', opts.stride ?? this.kernelSize, 1);
    this.padding = pair(name, 'padding', opts.padding ?? 0, 0);
    this.ceilMode = opts.ceilMode ?? false;
    checkPadding(name, this.padding, this.kernelSize);
  }
}

/** 2-D max pooling over NHWC images (torch.nn.MaxPool2d). */
export class MaxPool2d extends Pool2dBase {
  constructor(kernelSize: Pair, opts: Pool2dOptions = {}) {
    super(kernelSize, opts);
  }

  /** [B, H, W, C] -> [B, H', W', C] */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkChannelsLast(this.typeName, x, 4);
    const spec = { kind: 'max' as const, kernel: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: true };
    return pool2dTorch(this.typeName, x as tf.Tensor4D, spec, ['height', 'width']);
  }
}

/** 2-D average pooling over NHWC images (torch.nn.AvgPool2d), counting padding by default. */
export class AvgPool2d extends Pool2dBase {
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | undefined;

  constructor(kernelSize: Pair, opts: AvgPool2dOptions = {}) {
    super(kernelSize, opts);
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride;
    if (this.divisorOverride !== undefined && !(this.divisorOverride > 0))
      throw new Error(`${this.typeName}: divisorOverride must be > 0, got ${this.divisorOverride}`);
  }

  /** [B, H, W, C] -> [B, H', W', C] */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkChannelsLast(this.typeName, x, 4);
    const spec = {
      kind: 'avg' as const,
      kernel: this.kernelSize,
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    };
    return pool2dTorch(this.typeName, x as tf.Tensor4D, spec, ['height', 'width']);
  }
}

abstract class Pool1dBase extends Module {
  readonly kernelSize: number;
  readonly stride: number;
  readonly padding: number;
  readonly ceilMode: boolean;

  constructor(kernelSize: number, opts: Pool1dOptions) {
    super();
    const name = this.typeName;
    this.kernelSize = int(name, 'kernelSize', kernelSize, 1);
    this.stride = int(name, 'stride', opts.stride ?? kernelSize, 1);
    this.padding = int(name, 'padding', opts.padding ?? 0, 0);
    this.ceilMode = opts.ceilMode ?? false;
    if (this.padding * 2 > this.kernelSize)
      throw new Error(`${name}: padding (${this.padding}) must be at most half of kernelSize (${this.kernelSize})`);
  }

  protected pool(x: tf.Tensor, kind: 'max' | 'avg', countIncludePad: boolean): tf.Tensor3D {
    checkChannelsLast(this.typeName, x, 3);
    const spec = { kind, kernel: [1, this.kernelSize] as [number, number], stride: [1, this.stride] as [number, number], padding: [0, this.padding] as [number, number], ceilMode: this.ceilMode, countIncludePad };
    return tf.tidy(() => {
      const [B, L, C] = x.shape;
      const y = pool2dTorch(this.typeName, x.reshape([B, 1, L, C]), spec, ['height', 'length']); // [B, 1, L', C]
      return y.squeeze([1]) as tf.Tensor3D;
    });
  }
}

/** 1-D max pooling over [B, L, C] (torch.nn.MaxPool1d). */
export class MaxPool1d extends Pool1dBase {
  constructor(kernelSize: number, opts: Pool1dOptions = {}) {
    super(kernelSize, opts);
  }

  /** [B, L, C] -> [B, L', C] */
  forward(x: tf.Tensor): tf.Tensor3D {
    return this.pool(x, 'max', true);
  }
}

/** 1-D average pooling over [B, L, C] (torch.nn.AvgPool1d), counting padding by default. */
export class AvgPool1d extends Pool1dBase {
  readonly countIncludePad: boolean;

  constructor(kernelSize: number, opts: AvgPool1dOptions = {}) {
    super(kernelSize, opts);
    this.countIncludePad = opts.countIncludePad ?? true;
  }

  /** [B, L, C] -> [B, L', C] */
  forward(x: tf.Tensor): tf.Tensor3D {
    return this.pool(x, 'avg', this.countIncludePad);
  }
}

/** Averaging matrix [out, size]: row i averages torch's bin floor(i·size/out) .. ceil((i+1)·size/out). */
function adaptiveMatrix(size: number, out: number): tf.Tensor2D {
  const m = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return tf.tensor2d(m, [out, size]);
}

/**
 * Average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d) over NHWC images, with
 * torch's possibly overlapping bins. `outputSize` entries may be null to keep that input size.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: [number | null, number | null];

  constructor(outputSize: number | [number | null, number | null]) {
    super();
    const o: [number | null, number | null] = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
    if (!Array.isArray(o) || o.length !== 2 || !o.every((v) => v === null || (Number.isInteger(v) && v > 0)))
      throw new Error(`${this.typeName}: outputSize must be a positive integer or a pair of them (or null), got ${JSON.stringify(outputSize)}`);
    this.outputSize = [o[0], o[1]];
  }

  /** [B, H, W, C] -> [B, outH, outW, C] */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkChannelsLast(this.typeName, x, 4);
    const [B, H, W, C] = x.shape;
    const oh = this.outputSize[0] ?? H;
    const ow = this.outputSize[1] ?? W;
    return tf.tidy(() => {
      const ah = adaptiveMatrix(H, oh);
      const aw = adaptiveMatrix(W, ow);
      let t = x.transpose([0, 2, 3, 1]).reshape([B * W * C, H]); // [B·W·C, H]
      t = tf.matMul(t, ah, false, true).reshape([B, W, C, oh]); // pool H
      t = t.transpose([0, 3, 2, 1]).reshape([B * oh * C, W]); // [B·oh·C, W]
      t = tf.matMul(t, aw, false, true).reshape([B, oh, C, ow]); // pool W
      return t.transpose([0, 1, 3, 2]) as tf.Tensor4D; // [B, oh, ow, C]
    });
  }
}
