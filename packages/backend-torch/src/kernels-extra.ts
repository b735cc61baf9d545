/**
 * More kernels of the `torch` backend (merged into kernels.ts's `NATIVE` table): 3-D
 * convolutions and pooling, and shape/index kernels that had run on the cpu fallback. Each
 * follows tfjs-backend-cpu's kernel of the same name, edge cases included; inputs ATen cannot take
 * the way TF.js means them throw, and the registration retries those on the cpu fallback.
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';
import { ATEN_DTYPE } from './backend';

type TensorInfo = tf.TensorInfo;
type NamedAttrMap = tf.NamedAttrMap;
type NumDType = Exclude<tf.DataType, 'string'>;
type Inputs = Record<string, TensorInfo>;
type Kernel = (b: TorchBackend, inputs: Inputs, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];
type Conv3DInfo = tf.backend_util.Conv3DInfo;

const NEG_INF = -Infinity;
const f32 = (b: TorchBackend, info: TensorInfo) => b.cast(b.handle(info), 'float32');

function checkShape(b: TorchBackend, h: number, expected: number[], kernel: string): void {
  const got = b.addon.shape(h);
  if (got.length !== expected.length || got.some((d, i) => d !== expected[i]))
    throw new Error(`torch backend: ${kernel} produced shape [${got}] where TF.js expects [${expected}]`);
}

// ------------------------------------------------------------------------------ 3-D layouts
const toNCDHW = (b: TorchBackend, h: number) => b.t('aten::permute', h, [0, 4, 1, 2, 3]);
const fromNCDHW = (b: TorchBackend, h: number) => b.t('aten::permute', h, [0, 2, 3, 4, 1]);

/**
 * Per spatial dim [before, after] so that ATen's windows (no padding, floor rounding) are exactly
 * TF.js's: `before` is TF.js's pad (negative when 'same' with stride > filter skips leading
 * cells), `after` makes the padded size (out - 1) * stride + window (may be negative: trailing
 * cells no window reads, or larger than TF.js's pad where ceil rounding reads past the end).
 */
function exactPads3D(info: Conv3DInfo): [number, number][] {
  const p = info.padInfo as tf.backend_util.PadInfo3D;
  const dims: [number, number, number, number, number][] = [
    [info.inDepth, info.outDepth, info.strideDepth, info.effectiveFilterDepth, p.front],
    [info.inHeight, info.outHeight, info.strideHeight, info.effectiveFilterHeight, p.top],
    [info.inWidth, info.outWidth, info.strideWidth, info.effectiveFilterWidth, p.left],
  ];
  return dims.map(([n, out, s, k, before]) => [before, (out - 1) * s + k - n - before]);
}

/** constant_pad_nd's list (last dim first) for NCDHW from exactPads3D; `sign` -1 undoes a pad. */
function padList(pads: [number, number][], sign = 1): number[] {
  return [pads[2][0], pads[2][1], pads[1][0], pads[1][1], pads[0][0], pads[0][1]].map((v) => sign * v);
}

const anyPad3D = (pads: [number, number][]) => pads.some(([a, z]) => a !== 0 || z !== 0);

function pad3D(b: TorchBackend, h: number, pads: [number, number][], value = 0): number {
  return anyPad3D(pads) ? b.t('aten::constant_pad_nd', h, padList(pads), value) : h;
}

/** Cuts (or, where the pad was negative, zero-fills back) an NCDHW tensor to the unpadded size. */
function unpad3D(b: TorchBackend, h: number, pads: [number, number][]): number {
  return anyPad3D(pads) ? b.t('aten::constant_pad_nd', h, padList(pads, -1), 0) : h;
}

/** ATen's own (symmetric, non-negative) padding when it gives TF.js's windows, else null. */
function atenPadding3D(pads: [number, number][]): number[] | null {
  return pads.every(([a, z]) => a === z && a >= 0) ? pads.map(([a]) => a) : null;
}

/** DHWIO filter -> OIDHW weight. */
const convWeight3D = (b: TorchBackend, filter: TensorInfo) => b.t('aten::permute', f32(b, filter), [4, 3, 0, 1, 2]);

function noNCDHW(attrs: NamedAttrMap, kernel: string): void {
  const format = (attrs as { dataFormat?: string }).dataFormat;
  if (format !== undefined && format !== 'NDHWC') throw new Error(`torch backend: ${kernel} with dataFormat ${format} runs on the cpu fallback`);
}

function conv3d(b: TorchBackend, { x, filter }: Inputs, attrs: NamedAttrMap): TensorInfo {
  noNCDHW(attrs, 'Conv3D');
  const { strides, pad, dilations } = attrs as unknown as tf.Conv3DAttrs;
  const info = tf.backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number],
    filter.shape as [number, number, number, number, number], strides, dilations ?? 1, pad);
  const pads = exactPads3D(info);
  const padding = atenPadding3D(pads);
  const xn = toNCDHW(b, f32(b, x));
  const y = b.t('aten::conv3d', padding ? xn : pad3D(b, xn, pads), convWeight3D(b, filter), null,
    [info.strideDepth, info.strideHeight, info.strideWidth], padding ?? [0, 0, 0],
    [info.dilationDepth, info.dilationHeight, info.dilationWidth], 1);
  const out = fromNCDHW(b, y);
  checkShape(b, out, info.outShape, 'Conv3D');
  return b.out(out, x.dtype as NumDType);
}

function conv3dBackpropInput(b: TorchBackend, { dy, filter }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { strides, pad, inputShape } = attrs as unknown as { strides: number | number[]; pad: 'valid' | 'same'; inputShape: number[] };
  const info = tf.backend_util.computeConv3DInfo(inputShape as [number, number, number, number, number],
    filter.shape as [number, number, number, number, number], strides as [number, number, number], 1, pad);
  const want = info.outShape;
  if (dy.shape.length !== 5 || dy.shape.some((d, i) => d !== want[i]))
    throw new Error(`torch backend: dy [${dy.shape}] is not the conv output [${want}] of inputShape [${inputShape}]; runs on the cpu fallback`);
  const pads = exactPads3D(info);
  const padding = atenPadding3D(pads);
  const [n, d, h, w, c] = inputShape;
  const size = padding ? [d, h, w] : [d + pads[0][0] + pads[0][1], h + pads[1][0] + pads[1][1], w + pads[2][0] + pads[2][1]];
  // convolution_backward reads only the input's sizes and layout: an empty stand-in gives them.
  const like = toNCDHW(b, b.t('aten::empty.memory_format', [n, ...size, c], ATEN_DTYPE.float32, null, b.device));
  const [dxPadded] = b.ts('aten::convolution_backward', toNCDHW(b, f32(b, dy)), like, convWeight3D(b, filter), null,
    [info.strideDepth, info.strideHeight, info.strideWidth], padding ?? [0, 0, 0], [1, 1, 1], false, [0, 0, 0], 1, [true, false, false]);
  const dx = padding ? dxPadded : unpad3D(b, dxPadded, pads);
  return b.out(fromNCDHW(b, dx), 'float32');
}

function conv3dBackpropFilter(b: TorchBackend, { x, dy }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { strides, pad, filterShape } = attrs as unknown as { strides: number | number[]; pad: 'valid' | 'same'; filterShape: number[] };
  const info = tf.backend_util.computeConv3DInfo(x.shape as [number, number, number, number, number],
    filterShape as [number, number, number, number, number], strides as [number, number, number], 1, pad);
  const want = info.outShape;
  if (dy.shape.length !== 5 || dy.shape.some((d, i) => d !== want[i]))
    throw new Error(`torch backend: dy [${dy.shape}] is not the conv output [${want}] of x [${x.shape}]; runs on the cpu fallback`);
  const pads = exactPads3D(info);
  const padding = atenPadding3D(pads);
  const xn = toNCDHW(b, f32(b, x));
  const [fd, fh, fw, inC, outC] = filterShape;
  const weight = b.t('aten::empty.memory_format', [outC, inC, fd, fh, fw], ATEN_DTYPE.float32, null, b.device);
  const grads = b.ts('aten::convolution_backward', toNCDHW(b, f32(b, dy)), padding ? xn : pad3D(b, xn, pads), weight, null,
    [info.strideDepth, info.strideHeight, info.strideWidth], padding ?? [0, 0, 0], [1, 1, 1], false, [0, 0, 0], 1, [false, true, false]);
  return b.out(b.t('aten::permute', grads[1], [2, 3, 4, 1, 0]), 'float32');
}

// ------------------------------------------------------------------------------ 3-D pooling
function pool3dInfo(x: TensorInfo, attrs: NamedAttrMap, kernel: string): { info: Conv3DInfo; pads: [number, number][] } {
  noNCDHW(attrs, kernel);
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPool3DAttrs;
  const info = tf.backend_util.computePool3DInfo(x.shape as [number, number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const pads = exactPads3D(info);
  const k = [info.filterDepth, info.filterHeight, info.filterWidth];
  // A window wholly outside the input: TF.js gives -inf (max) or 0 (avg) there; ATen cannot.
  if (pads.some(([a, z], i) => a >= k[i] || z >= k[i]))
    throw new Error(`torch backend: ${kernel} with a window outside the input runs on the cpu fallback`);
  return { info, pads };
}

const kernel3 = (info: Conv3DInfo) => [info.filterDepth, info.filterHeight, info.filterWidth];
const stride3 = (info: Conv3DInfo) => [info.strideDepth, info.strideHeight, info.strideWidth];

/** TF.js's max skips NaN: NaN (and the padding) read as -inf, an NCDHW float tensor. */
function maxPoolInput(b: TorchBackend, x: TensorInfo, pads: [number, number][]): number {
  const h = f32(b, x);
  const clean = x.dtype === 'float32' ? b.t('aten::where.ScalarSelf', b.t('aten::isnan', h), NEG_INF, h) : h;
  return pad3D(b, toNCDHW(b, clean), pads, NEG_INF);
}

function maxPool3d(b: TorchBackend, { x }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, pads } = pool3dInfo(x, attrs, 'MaxPool3D');
  const y = b.t('aten::max_pool3d', maxPoolInput(b, x, pads), kernel3(info), stride3(info), [0, 0, 0], [1, 1, 1], false);
  const out = fromNCDHW(b, y);
  checkShape(b, out, info.outShape, 'MaxPool3D');
  return b.out(out, 'float32');
}

function avgPool3d(b: TorchBackend, { x }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, pads } = pool3dInfo(x, attrs, 'AvgPool3D');
  const k = kernel3(info);
  const s = stride3(info);
  const xn = toNCDHW(b, f32(b, x));
  let y = b.t('aten::avg_pool3d', pad3D(b, xn, pads), k, s, [0, 0, 0], false, true, null);
  if (anyPad3D(pads)) {
    // TF.js averages over the window's real cells only: divide by each window's share of them.
    const [, d, h, w] = info.inShape;
    const ones = b.t('aten::ones', [1, 1, d, h, w], ATEN_DTYPE.float32, null, b.device);
    y = b.t('aten::div.Tensor', y, b.t('aten::avg_pool3d', pad3D(b, ones, pads), k, s, [0, 0, 0], false, true, null));
  }
  // the cpu kernel writes an int32 input's averages into an int32 buffer: truncated
  if (x.dtype !== 'float32') y = b.t('aten::trunc', y);
  const out = fromNCDHW(b, y);
  checkShape(b, out, info.outShape, 'AvgPool3D');
  return b.out(out, 'float32');
}

function avgPool3dGrad(b: TorchBackend, { dy, input }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, pads } = pool3dInfo(input, attrs, 'AvgPool3DGrad');
  // TF.js spreads dy over the whole window volume, padding included (its cpu kernel).
  const xp = pad3D(b, toNCDHW(b, f32(b, input)), pads);
  const g = b.t('aten::avg_pool3d_backward', toNCDHW(b, f32(b, dy)), xp, kernel3(info), stride3(info), [0, 0, 0], false, true, null);
  return b.out(fromNCDHW(b, unpad3D(b, g, pads)), 'float32');
}

/**
 * TF.js's max pool gradient routes each dy to the LAST cell holding its window's max (NaN never
 * wins; a window of NaN only routes nowhere); ATen's argmax takes the first. The windows are
 * unfolded, the cells equal to the max marked and the last mark found on the reversed window.
 */
function maxPool3dGrad(b: TorchBackend, { dy, input }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, pads } = pool3dInfo(input, attrs, 'MaxPool3DGrad');
  // tfjs-backend-cpu encodes a window position as (d * fh + r) * fh + c, which it decodes with fw:
  // the same only for fh = fw; other windows stay on the fallback (which reproduces that).
  if (info.filterHeight !== info.filterWidth) throw new Error('torch backend: MaxPool3DGrad with filterHeight != filterWidth runs on the cpu fallback');
  const [kd, kh, kw] = kernel3(info);
  const [sd, sh, sw] = stride3(info);
  const { outDepth: od, outHeight: oh, outWidth: ow } = info;
  const xp = pad3D(b, toNCDHW(b, f32(b, input)), pads, NaN); // padding never wins, as NaN
  const key = b.t('aten::where.ScalarSelf', b.t('aten::isnan', xp), NEG_INF, xp);
  const m = b.t('aten::max_pool3d', key, [kd, kh, kw], [sd, sh, sw], [0, 0, 0], [1, 1, 1], false); // [N, C, od, oh, ow]
  const win = b.t('aten::unfold', b.t('aten::unfold', b.t('aten::unfold', xp, 2, kd, sd), 3, kh, sh), 4, kw, sw);
  const shape = b.addon.shape(win);
  const flat = b.t('aten::reshape', win, [...shape.slice(0, 5), kd * kh * kw]);
  const hit = b.t('aten::eq.Tensor', flat, b.t('aten::unsqueeze', m, -1));
  const any = b.t('aten::any.dim', hit, -1, false);
  const k = kd * kh * kw;
  const lastFromEnd = b.t('aten::argmax', b.t('aten::flip', b.cast(hit, 'int32'), [-1]), -1, false);
  const pos = b.t('aten::rsub.Scalar', lastFromEnd, [k - 1]); // window position, int64
  // padded-input flat index of the chosen cell
  const [, , dp, hp, wp] = b.addon.shape(xp);
  const ar = (n: number, step: number, view: number[]) =>
    b.t('aten::reshape', b.t('aten::arange.start_step', [0], [n * step], [step], 4, null, b.device), view);
  const base = b.t('aten::add.Tensor', b.t('aten::add.Tensor', ar(od, sd * hp * wp, [od, 1, 1]), ar(oh, sh * wp, [oh, 1])), ar(ow, sw, [ow]));
  const pd = b.t('aten::div.Scalar_mode', pos, [kh * kw], 'floor');
  const rest = b.t('aten::remainder.Scalar', pos, [kh * kw]);
  const ph = b.t('aten::div.Scalar_mode', rest, [kw], 'floor');
  const pw = b.t('aten::remainder.Scalar', rest, [kw]);
  let idx = b.t('aten::add.Tensor', base, b.t('aten::mul.Scalar', pd, [hp * wp]));
  idx = b.t('aten::add.Tensor', idx, b.t('aten::add.Tensor', b.t('aten::mul.Scalar', ph, [wp]), pw));
  const g = b.t('aten::mul.Tensor', toNCDHW(b, f32(b, dy)), any);
  const [n, c] = [info.batchSize, info.inChannels];
  const zeros = b.t('aten::zeros', [n, c, dp * hp * wp], ATEN_DTYPE.float32, null, b.device);
  const dx = b.t('aten::scatter_add', zeros, 2, b.t('aten::reshape', idx, [n, c, od * oh * ow]), b.t('aten::reshape', g, [n, c, od * oh * ow]));
  return b.out(fromNCDHW(b, unpad3D(b, b.t('aten::reshape', dx, [n, c, dp, hp, wp]), pads)), 'float32');
}

// ------------------------------------------------------------------------------ the table
export const EXTRA: Record<string, Kernel> = {
  Conv3D: conv3d,
  Conv3DBackpropInputV2: conv3dBackpropInput,
  Conv3DBackpropFilterV2: conv3dBackpropFilter,
  MaxPool3D: maxPool3d,
  AvgPool3D: avgPool3d,
  MaxPool3DGrad: maxPool3dGrad,
  AvgPool3DGrad: avgPool3dGrad,
};
