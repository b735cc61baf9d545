/**
 * More kernels of the `torch` backend (merged into kernels.ts's `NATIVE` table): 3-D
 * convolutions and pooling, and shape/index kernels that had run on the cpu fallback. Each
 * follows tfjs-backend-cpu's kernel of the same name, edge cases included; inputs ATen cannot take
 * the way TF.js means them throw, and the registration retries those on the cpu fallback.
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';
import { ATEN_DTYPE } from './backend';
import { checkShape, f32, fromJS, ignoreNaNHandle, Inputs, NamedAttrMap, NativeKernel, NEG_INF, NumDType, scalarArg, TensorInfo } from './kernel-util';

type Conv3DInfo = tf.backend_util.Conv3DInfo;

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
  const clean = x.dtype === 'float32' ? ignoreNaNHandle(b, h, NEG_INF) : h;
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
  const key = ignoreNaNHandle(b, xp, NEG_INF);
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

// ------------------------------------------------------------------------------ shape and index kernels
/** MirrorPad: each padded axis as cat(reversed leading slice, x, reversed trailing slice). */
function mirrorPad(b: TorchBackend, { x }: Inputs, { paddings, mode }: NamedAttrMap): TensorInfo {
  // 'reflect' mirrors about the edge cell, 'symmetric' repeats it (the cpu kernel's offset)
  const offset = mode === 'reflect' ? 0 : 1;
  let h = b.handle(x);
  (paddings as [number, number][]).forEach(([before, after], ax) => {
    if (before === 0 && after === 0) return;
    const n = x.shape[ax];
    const parts: number[] = [];
    if (before > 0) parts.push(b.t('aten::flip', b.t('aten::narrow', h, ax, 1 - offset, before), [ax]));
    parts.push(h);
    if (after > 0) parts.push(b.t('aten::flip', b.t('aten::narrow', h, ax, n - 1 - after + offset, after), [ax]));
    h = b.t('aten::cat', parts, ax);
  });
  return b.out(h, x.dtype as NumDType);
}

function depthToSpace(b: TorchBackend, { x }: Inputs, { blockSize, dataFormat }: NamedAttrMap): TensorInfo {
  if (dataFormat !== 'NHWC') throw new Error(`torch backend: DepthToSpace with dataFormat ${dataFormat} runs on the cpu fallback`);
  const bs = blockSize as number;
  const [n, h, w, c] = x.shape;
  const depth = c / (bs * bs);
  const blocks = b.t('aten::reshape', b.handle(x), [n, h, w, bs, bs, depth]);
  const y = b.t('aten::reshape', b.t('aten::permute', blocks, [0, 1, 3, 2, 4, 5]), [n, h * bs, w * bs, depth]);
  return b.out(y, x.dtype as NumDType);
}

function spaceToBatchND(b: TorchBackend, { x }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const blockShape = attrs.blockShape as number[];
  const paddings = attrs.paddings as [number, number][];
  const m = blockShape.length;
  const prod = tf.util.sizeFromShape(blockShape);
  // constant_pad_nd lists pads from the last dim back
  const pads: number[] = [];
  for (let i = x.shape.length - 1; i >= 1; i--) pads.push(...(i <= m ? paddings[i - 1] : [0, 0]));
  const padded = pads.some((p) => p !== 0) ? b.t('aten::constant_pad_nd', b.handle(x), pads, 0) : b.handle(x);
  const paddedShape = x.shape.map((d, i) => (i >= 1 && i <= m ? d + paddings[i - 1][0] + paddings[i - 1][1] : d));
  const reshaped = b.t('aten::reshape', padded, tf.backend_util.getReshaped(paddedShape, blockShape, prod, false));
  const permuted = b.t('aten::permute', reshaped, tf.backend_util.getPermuted(paddedShape.length + m, m, false));
  return b.out(b.t('aten::reshape', permuted, tf.backend_util.getReshapedPermuted(paddedShape, blockShape, prod, false)), x.dtype as NumDType);
}

function batchToSpaceND(b: TorchBackend, { x }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const blockShape = attrs.blockShape as number[];
  const crops = attrs.crops as number[][];
  const m = blockShape.length;
  const prod = tf.util.sizeFromShape(blockShape);
  const reshaped = tf.backend_util.getReshaped(x.shape, blockShape, prod);
  const full = tf.backend_util.getReshapedPermuted(x.shape, blockShape, prod);
  let h = b.t('aten::reshape', b.handle(x), reshaped);
  h = b.t('aten::reshape', b.t('aten::permute', h, tf.backend_util.getPermuted(reshaped.length, m)), full);
  const begin = tf.backend_util.getSliceBeginCoords(crops, m);
  const size = tf.backend_util.getSliceSize(full, crops, m);
  begin.forEach((start, ax) => {
    if (start !== 0 || size[ax] !== full[ax]) h = b.t('aten::narrow', h, ax, start, size[ax]);
  });
  return b.out(h, x.dtype as NumDType);
}

function diag(b: TorchBackend, { x }: Inputs): TensorInfo {
  const n = tf.util.sizeFromShape(x.shape);
  const m = b.t('aten::diag', b.t('aten::reshape', b.handle(x), [n]), 0);
  return b.out(b.t('aten::reshape', m, [...x.shape, ...x.shape]), x.dtype as NumDType);
}

function searchSorted(b: TorchBackend, { sortedSequence, values }: Inputs, { side }: NamedAttrMap): TensorInfo {
  const dtype = tf.upcastType(sortedSequence.dtype, values.dtype) as NumDType;
  const v = b.cast(b.handle(values), dtype);
  const idx = b.t('aten::searchsorted.Tensor', b.cast(b.handle(sortedSequence), dtype), v, true, side === 'right', null, null);
  // TF.js's binary search sends NaN to 0 (every comparison false); ATen's to the end
  const out = dtype === 'float32' ? b.t('aten::where.ScalarSelf', b.t('aten::isnan', v), [0], idx) : idx;
  return b.out(out, 'int32');
}

/** Bin counts of non-negative int32 `x` (rank 1, or rank 2 counted per row), values >= size dropped. */
function bincount(b: TorchBackend, x: TensorInfo, weights: TensorInfo, size: number, binaryOutput: boolean): TensorInfo {
  const xh = b.long(b.handle(x));
  if (tf.util.sizeFromShape(x.shape) > 0 && (b.call('aten::is_nonzero', [b.t('aten::any', b.t('aten::lt.Scalar', xh, [0]))]) as unknown as boolean))
    throw new Error('Input x must be non-negative!');
  const dtype = weights.dtype as NumDType;
  const rows = x.shape.length === 2 ? x.shape[0] : 1;
  // bin `size` collects the dropped values; each row has size + 1 bins
  let bins = b.t('aten::clamp_max', xh, [size]);
  if (x.shape.length === 2) {
    const rowStart = b.t('aten::arange.start_step', [0], [rows * (size + 1)], [size + 1], 4, null, b.device);
    bins = b.t('aten::add.Tensor', bins, b.t('aten::unsqueeze', rowStart, 1));
  }
  bins = b.t('aten::reshape', bins, [-1]);
  const counted = tf.util.sizeFromShape(weights.shape) > 0 && !binaryOutput
    ? b.t('aten::reshape', b.handle(weights), [-1])
    : b.t('aten::ones', [tf.util.sizeFromShape(x.shape)], ATEN_DTYPE[dtype === 'bool' ? 'int32' : dtype], null, b.device);
  const zeros = b.t('aten::zeros', [rows * (size + 1)], b.addon.dtype(counted), null, b.device);
  let out = b.t('aten::narrow', b.t('aten::reshape', b.t('aten::index_add', zeros, 0, bins, counted), [rows, size + 1]), 1, 0, size);
  if (binaryOutput) out = b.t('aten::gt.Scalar', out, [0]);
  return b.out(b.t('aten::reshape', out, x.shape.length === 2 ? [rows, size] : [size]), dtype);
}

/**
 * The gradient of LRN as the cpu kernel computes it: with N_c = bias + alpha * sum of x^2 over the
 * channel window of c (the windows are symmetric, so c is in k's window when k is in c's),
 * dx_k = dy_k * N_k^-beta - 2 * alpha * beta * x_k * sum over k's window of (y_c * dy_c / N_c).
 */
function lrnGrad(b: TorchBackend, { x, y, dy }: Inputs, { depthRadius, bias, alpha, beta }: NamedAttrMap): TensorInfo {
  const [n, h, w, c] = dy.shape;
  const r = depthRadius as number;
  const windowSum = (t: number) => {
    const rows = b.t('aten::reshape', t, [n * h * w, 1, c]);
    return b.t('aten::reshape', b.t('aten::mul.Scalar', b.t('aten::avg_pool1d', rows, [2 * r + 1], [1], [r], false, true), 2 * r + 1), [n, h, w, c]);
  };
  const xh = f32(b, x);
  const dyh = f32(b, dy);
  const norm = b.t('aten::add.Scalar', b.t('aten::mul.Scalar', windowSum(b.t('aten::square', xh)), alpha as number), bias as number);
  const share = windowSum(b.t('aten::div.Tensor', b.t('aten::mul.Tensor', f32(b, y), dyh), norm));
  const cross = b.t('aten::mul.Scalar', b.t('aten::mul.Tensor', xh, share), -2 * (alpha as number) * (beta as number));
  const self = b.t('aten::mul.Tensor', dyh, b.t('aten::pow.Tensor_Scalar', norm, -(beta as number)));
  return b.out(b.t('aten::add.Tensor', self, cross), x.dtype as NumDType);
}

/**
 * MaxPoolWithArgmax: TF.js's max skips NaN, keeps the first of equal maxima (as ATen does) and
 * gives index -1 to a window with nothing above -inf; indices flatten the NHWC input,
 * ((b * H + y) * W + x) * C + c, the batch term only with includeBatchInIndex.
 */
function maxPoolWithArgmax(b: TorchBackend, { x }: Inputs, attrs: NamedAttrMap): TensorInfo[] {
  const { filterSize, strides, pad, includeBatchInIndex } = attrs as unknown as tf.MaxPoolWithArgmaxAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, [1, 1], pad);
  const p = info.padInfo;
  const after = [(info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - p.top,
    (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - p.left];
  if (Math.max(p.top, after[0]) >= info.filterHeight || Math.max(p.left, after[1]) >= info.filterWidth)
    throw new Error('torch backend: MaxPoolWithArgmax with a window outside the input runs on the cpu fallback');
  const xf = f32(b, x);
  const clean = x.dtype === 'float32' ? ignoreNaNHandle(b, xf, NEG_INF) : xf;
  const xp = b.t('aten::constant_pad_nd', b.t('aten::permute', clean, [0, 3, 1, 2]), [p.left, after[1], p.top, after[0]], NEG_INF);
  const [y, flat] = b.ts('aten::max_pool2d_with_indices', xp, [info.filterHeight, info.filterWidth],
    [info.strideHeight, info.strideWidth], [0, 0], [1, 1], false);
  const wp = b.addon.shape(xp)[3];
  const row = b.t('aten::sub.Scalar', b.t('aten::div.Scalar_mode', flat, [wp], 'floor'), [p.top]);
  const col = b.t('aten::sub.Scalar', b.t('aten::remainder.Scalar', flat, [wp]), [p.left]);
  const [n, hIn, wIn, c] = x.shape;
  let idx = b.t('aten::add.Tensor', b.t('aten::mul.Scalar', row, [wIn]), col);
  if (includeBatchInIndex) {
    const batch = b.t('aten::reshape', b.t('aten::arange.start_step', [0], [n * hIn * wIn], [hIn * wIn], 4, null, b.device), [n, 1, 1, 1]);
    idx = b.t('aten::add.Tensor', idx, batch);
  }
  const channel = b.t('aten::reshape', b.t('aten::arange', [c], 4, null, b.device), [1, c, 1, 1]);
  idx = b.t('aten::add.Tensor', b.t('aten::mul.Scalar', idx, [c]), channel);
  idx = b.t('aten::where.ScalarSelf', b.t('aten::eq.Scalar', y, NEG_INF), [-1], idx);
  const toNHWC = (h: number) => b.t('aten::permute', h, [0, 2, 3, 1]);
  const values = toNHWC(y);
  checkShape(b, values, info.outShape, 'MaxPoolWithArgmax');
  return [b.out(values, x.dtype as NumDType), b.out(toNHWC(idx), 'int32')];
}

// ------------------------------------------------------------------------------ Dilation2D
/** The cpu kernels start each window's max at Number.MIN_SAFE_INTEGER (float32: -2^53). */
const MIN_SAFE = Number.MIN_SAFE_INTEGER;

/**
 * The windows of a grayscale dilation: x + filter per window cell as [N, C, fh * fw, L] (L output
 * cells), NaN (never a max, as in TF.js's `val > curVal`) read as -inf, cells outside the input
 * included as -inf. Float32 only: int32 runs the cpu kernel, which wraps MIN_SAFE_INTEGER.
 */
function dilationWindows(b: TorchBackend, x: TensorInfo, filter: TensorInfo, attrs: NamedAttrMap, kernel: string) {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') throw new Error(`torch backend: ${kernel} on ${x.dtype} runs on the cpu fallback`);
  const { strides, pad, dilations } = attrs as unknown as tf.Dilation2DAttrs;
  const info = tf.backend_util.computeDilation2DInfo(x.shape as [number, number, number, number],
    filter.shape as [number, number, number], strides, pad, 'NHWC', dilations);
  const p = info.padInfo;
  const pads = [p.left, (info.outWidth - 1) * info.strideWidth + info.effectiveFilterWidth - info.inWidth - p.left,
    p.top, (info.outHeight - 1) * info.strideHeight + info.effectiveFilterHeight - info.inHeight - p.top];
  const [n, , , c] = x.shape;
  const [fh, fw] = [info.filterHeight, info.filterWidth];
  const xp = b.t('aten::constant_pad_nd', b.t('aten::permute', b.handle(x), [0, 3, 1, 2]), pads, NaN);
  const [hp, wp] = b.addon.shape(xp).slice(2);
  const cols = b.t('aten::im2col', xp, [fh, fw], [info.dilationHeight, info.dilationWidth], [0, 0], [info.strideHeight, info.strideWidth]);
  const k = fh * fw;
  const l = info.outHeight * info.outWidth;
  const w = b.t('aten::reshape', b.t('aten::permute', b.handle(filter), [2, 0, 1]), [c, k, 1]);
  const sum = b.t('aten::add.Tensor', b.t('aten::reshape', cols, [n, c, k, l]), w);
  const vals = ignoreNaNHandle(b, sum, NEG_INF);
  return { info, vals, pads, hp, wp, n, c, k, l };
}

/** Per window, the one-hot [N, C, k, L] of the first cell holding the max (TF.js's `val > curVal`). */
function dilationArgmax(b: TorchBackend, vals: number, k: number, kernel: string): number {
  const max = b.t('aten::amax', vals, [2], true);
  if (b.call('aten::is_nonzero', [b.t('aten::any', b.t('aten::le.Scalar', max, MIN_SAFE))]) as unknown as boolean)
    throw new Error(`torch backend: ${kernel} with a window of nothing above MIN_SAFE_INTEGER runs on the cpu fallback`);
  const pos = b.t('aten::argmax', vals, 2, true); // first of equal maxima
  const range = b.t('aten::reshape', b.t('aten::arange', [k], 4, null, b.device), [1, 1, k, 1]);
  return b.t('aten::eq.Tensor', range, pos);
}

const dyColumns = (b: TorchBackend, dy: TensorInfo, n: number, c: number, l: number) =>
  b.t('aten::reshape', b.t('aten::permute', f32(b, dy), [0, 3, 1, 2]), [n, c, 1, l]);

function dilation2d(b: TorchBackend, { x, filter }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, vals } = dilationWindows(b, x, filter, attrs, 'Dilation2D');
  const max = b.t('aten::clamp_min', b.t('aten::amax', vals, [2], false), MIN_SAFE); // [N, C, L]
  const [n, oh, ow, c] = info.outShape;
  return b.out(b.t('aten::permute', b.t('aten::reshape', max, [n, c, oh, ow]), [0, 2, 3, 1]), 'float32');
}

function dilation2dBackpropInput(b: TorchBackend, { x, filter, dy }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, vals, pads, hp, wp, n, c, k, l } = dilationWindows(b, x, filter, attrs, 'Dilation2DBackpropInput');
  const hit = dilationArgmax(b, vals, k, 'Dilation2DBackpropInput');
  const spread = b.t('aten::reshape', b.t('aten::mul.Tensor', hit, dyColumns(b, dy, n, c, l)), [n, c * k, l]);
  // col2im sums each window cell's share back onto the padded plane
  const g = b.t('aten::col2im', spread, [hp, wp], [info.filterHeight, info.filterWidth], [info.dilationHeight, info.dilationWidth], [0, 0],
    [info.strideHeight, info.strideWidth]);
  const dx = b.t('aten::constant_pad_nd', g, pads.map((v) => -v), 0);
  return b.out(b.t('aten::permute', dx, [0, 2, 3, 1]), 'float32');
}

function dilation2dBackpropFilter(b: TorchBackend, { x, filter, dy }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { info, vals, n, c, k, l } = dilationWindows(b, x, filter, attrs, 'Dilation2DBackpropFilter');
  const hit = dilationArgmax(b, vals, k, 'Dilation2DBackpropFilter');
  const g = b.t('aten::sum.dim_IntList', b.t('aten::mul.Tensor', hit, dyColumns(b, dy, n, c, l)), [0, 3], false, null); // [C, k]
  return b.out(b.t('aten::permute', b.t('aten::reshape', g, [c, info.filterHeight, info.filterWidth]), [1, 2, 0]), 'float32');
}

// ------------------------------------------------------------------------------ Unique, BroadcastArgs
/**
 * Unique along an axis in order of first occurrence (TF.js's order; ATen's unique sorts): ATen
 * finds the distinct slices and each input slice's group, the groups' first positions give the
 * order. TF.js compares slices by their printed values, so NaN equals NaN there and not in ATen:
 * inputs with NaN run on the cpu fallback.
 */
function unique(b: TorchBackend, { x }: Inputs, { axis }: NamedAttrMap): TensorInfo[] {
  const ax = tf.util.parseAxisParam((axis as number | undefined) ?? 0, x.shape)[0];
  const n = x.shape[ax];
  const rest = tf.util.sizeFromShape(x.shape) / Math.max(n, 1);
  if (n === 0 || rest === 0) throw new Error('torch backend: Unique of an empty tensor runs on the cpu fallback');
  const xh = b.handle(x);
  if (x.dtype === 'float32' && (b.call('aten::is_nonzero', [b.t('aten::any', b.t('aten::isnan', xh))]) as unknown as boolean))
    throw new Error('torch backend: Unique with NaN runs on the cpu fallback');
  const rows = b.t('aten::reshape', b.t('aten::movedim.int', x.dtype === 'bool' ? b.cast(xh, 'int32') : xh, ax, 0), [n, rest]);
  const [sorted, inverse] = b.ts('aten::unique_dim', rows, 0, true, true, false);
  const groups = b.addon.shape(sorted)[0];
  const positions = b.t('aten::arange', [n], 4, null, b.device);
  const start = b.t('aten::full', [groups], [n], 4, null, b.device);
  const first = b.t('aten::scatter_reduce.two', start, 0, inverse, positions, 'amin', true); // per sorted group
  const order = b.t('aten::argsort', first, 0, false); // sorted groups in order of first occurrence
  const rank = b.t('aten::argsort', order, 0, false); // sorted group -> output position
  const values = b.t('aten::index_select', xh, ax, b.t('aten::index_select', first, 0, order));
  return [b.out(values, x.dtype as NumDType), b.out(b.t('aten::index_select', rank, 0, inverse), 'int32')];
}

/** BroadcastArgs reads two small shape vectors: computed in JS as the cpu kernel does, on ATen's values. */
function broadcastArgs(b: TorchBackend, { s0, s1 }: Inputs): TensorInfo {
  const a = Array.from(b.readSync(s0.dataId) as Int32Array);
  const c = Array.from(b.readSync(s1.dataId) as Int32Array);
  const shape = tf.backend_util.assertAndGetBroadcastShape(a, c);
  return b.makeTensorInfo([shape.length], 'int32', Int32Array.from(shape));
}

// ------------------------------------------------------------------------------ SparseSegmentSum/Mean
/**
 * Rows of `data` picked by `indices`, summed (or averaged) per sorted segment id; segments without
 * rows are 0. The id and index vectors are read to check them as the cpu kernel does; an input it
 * rejects throws here, and the cpu fallback then raises TF.js's own error.
 */
function sparseSegment(b: TorchBackend, { data, indices, segmentIds }: Inputs, mean: boolean): TensorInfo {
  const kernel = mean ? 'SparseSegmentMean' : 'SparseSegmentSum';
  if (data.shape.length < 1 || indices.shape.length !== 1 || segmentIds.shape.length !== 1 || indices.shape[0] !== segmentIds.shape[0] || data.dtype === 'bool')
    throw new Error(`torch backend: ${kernel} input the cpu kernel rejects`);
  const ids = b.readSync(segmentIds.dataId) as Int32Array;
  const idx = b.readSync(indices.dataId) as Int32Array;
  const n = ids.length;
  const dtype = data.dtype as NumDType;
  const rest = data.shape.slice(1);
  const rows = n > 0 ? ids[n - 1] + 1 : 0;
  for (let i = 0; i < n; i++)
    if (ids[i] < 0 || (i > 0 && ids[i] < ids[i - 1]) || idx[i] < 0 || idx[i] >= data.shape[0])
      throw new Error(`torch backend: ${kernel} with unsorted, negative or out-of-range ids runs on the cpu fallback`);
  let out = b.t('aten::zeros', [rows, ...rest], ATEN_DTYPE[dtype], null, b.device);
  if (n === 0) return b.out(out, dtype);
  const seg = b.long(b.handle(segmentIds));
  out = b.t('aten::index_add', out, 0, seg, b.t('aten::index_select', b.handle(data), 0, b.long(b.handle(indices))));
  if (mean) {
    const ones = b.t('aten::ones', [n], ATEN_DTYPE[dtype], null, b.device);
    const counts = b.t('aten::clamp_min', b.t('aten::index_add', b.t('aten::zeros', [rows], ATEN_DTYPE[dtype], null, b.device), 0, seg, ones), scalarArg(1, dtype));
    const per = b.t('aten::reshape', counts, [rows, ...rest.map(() => 1)]);
    // the cpu kernel divides in place in a typed array: int32 means truncate
    out = dtype === 'int32' ? b.t('aten::div.Tensor_mode', out, per, 'trunc') : b.t('aten::div.Tensor', out, per);
  }
  return b.out(out, dtype);
}

// ------------------------------------------------------------------------------ SparseToDense
/**
 * SparseToDense: slices of `sparseValues` written at `sparseIndices` over `defaultValue`. TF.js
 * writes in order, so of repeated indices the last wins; ATen's index_put leaves that order
 * open, so the last writer of each slice is found first (a max-reduce of the update positions).
 * TF.js checks only the flattened index against the output, as done here.
 */
function sparseToDense(b: TorchBackend, { sparseIndices, sparseValues, defaultValue }: Inputs, { outputShape }: NamedAttrMap): TensorInfo {
  const shape = outputShape as number[];
  const dtype = sparseValues.dtype as NumDType;
  const { sliceRank, numUpdates, sliceSize, strides, outputSize } = tf.backend_util.calculateShapes(sparseValues, sparseIndices, shape);
  if (outputSize === 0) return b.out(b.t('aten::zeros', shape, ATEN_DTYPE[dtype], null, b.device), dtype);
  const fill = b.cast(b.handle(defaultValue), dtype);
  const rows = outputSize / sliceSize;
  if (numUpdates === 0 || sliceRank < 1)
    return b.out(b.t('aten::reshape', b.t('aten::expand', b.t('aten::reshape', fill, []), [outputSize], false), shape), dtype);
  const idx = b.t('aten::reshape', b.long(b.handle(sparseIndices)), [numUpdates, sliceRank]);
  let flat = b.t('aten::mul.Scalar', b.t('aten::select.int', idx, 1, 0), [strides[0]]);
  for (let j = 1; j < sliceRank; j++) flat = b.t('aten::add.Tensor', flat, b.t('aten::mul.Scalar', b.t('aten::select.int', idx, 1, j), [strides[j]]));
  const outside = b.t('aten::logical_or', b.t('aten::lt.Scalar', flat, [0]), b.t('aten::ge.Scalar', flat, [rows]));
  if (b.call('aten::is_nonzero', [b.t('aten::any', outside)]) as unknown as boolean)
    throw new Error('torch backend: SparseToDense with an index outside the output runs on the cpu fallback');
  const start = b.t('aten::full', [rows], [-1], 4, null, b.device);
  const last = b.t('aten::scatter_reduce.two', start, 0, flat, b.t('aten::arange', [numUpdates], 4, null, b.device), 'amax', true);
  const written = b.t('aten::unsqueeze', b.t('aten::ge.Scalar', last, [0]), 1);
  const values = sparseValues.shape.length === 0
    ? b.t('aten::reshape', b.handle(sparseValues), [1, 1])
    : b.t('aten::index_select', b.t('aten::reshape', b.handle(sparseValues), [numUpdates, sliceSize]), 0, b.t('aten::clamp_min', last, [0]));
  const out = b.t('aten::where.self', written, values, b.t('aten::reshape', fill, []));
  return b.out(b.t('aten::reshape', b.t('aten::expand', out, [rows, sliceSize], false), shape), dtype);
}

// ------------------------------------------------------------------------------ SparseReshape, SparseFillEmptyRows, RaggedRange
const rejects = (kernel: string) => new Error(`torch backend: ${kernel} input the cpu kernel rejects or reads oddly runs on the cpu fallback`);

/** Row-major strides of `shape` (as the cpu kernel's loops), exact in doubles. */
const stridesOf = (shape: number[]) => shape.map((_, d) => shape.slice(d + 1).reduce((a, v) => a * v, 1));

/**
 * SparseReshape: the output shape from the small shape vectors as the cpu kernel computes it (one
 * -1 inferred; what it rejects throws here and the fallback raises TF.js's error), each index row
 * flattened with the input strides and split with the output strides in int64 (trunc division
 * and fmod, JS's `Math.trunc` and `%`).
 */
function sparseReshape(b: TorchBackend, { inputIndices, inputShape, newShape }: Inputs): TensorInfo[] {
  if (inputIndices.shape.length !== 2 || inputShape.shape.length !== 1 || newShape.shape.length !== 1) throw rejects('SparseReshape');
  const inShape = Array.from(b.readSync(inputShape.dataId) as Int32Array);
  const target = Array.from(b.readSync(newShape.dataId) as Int32Array);
  const outShape: number[] = [];
  let product = 1;
  let unknown = -1;
  for (const [d, size] of target.entries()) {
    if (size === -1) {
      if (unknown !== -1) throw rejects('SparseReshape');
      unknown = d;
      outShape.push(1);
    } else {
      if (size < 0) throw rejects('SparseReshape');
      product *= size;
      outShape.push(size);
    }
  }
  const dense = tf.util.sizeFromShape(inShape);
  if (unknown !== -1) {
    const missing = Math.trunc(dense / product);
    if (product <= 0 || product * missing !== dense) throw rejects('SparseReshape');
    outShape[unknown] = missing;
  }
  if (tf.util.sizeFromShape(outShape) !== dense) throw rejects('SparseReshape');
  const [nnz, width] = inputIndices.shape;
  const outStrides = stridesOf(outShape);
  // the cpu kernel reads rows of inputShape's length; 0 strides divide by zero there
  if (nnz > 0 && (width !== inShape.length || outStrides.some((s) => s === 0))) throw rejects('SparseReshape');
  const shapeOut = b.makeTensorInfo([outShape.length], newShape.dtype, Int32Array.from(outShape));
  const dtype = inputIndices.dtype as NumDType;
  if (nnz === 0 || outShape.length === 0)
    return [b.out(b.t('aten::zeros', [nnz, outShape.length], ATEN_DTYPE[dtype], null, b.device), dtype), shapeOut];
  const idx = b.long(b.handle(inputIndices));
  let id = b.t('aten::zeros', [nnz], 4, null, b.device);
  stridesOf(inShape).forEach((s, j) => (id = b.t('aten::add.Tensor', id, b.t('aten::mul.Scalar', b.t('aten::select.int', idx, 1, j), [s]))));
  const cols = outStrides.map((s) => {
    const col = b.t('aten::div.Scalar_mode', id, [s], 'trunc');
    id = b.t('aten::fmod.Scalar', id, [s]);
    return col;
  });
  return [b.out(b.t('aten::stack', cols, 1), dtype), shapeOut];
}

/**
 * SparseFillEmptyRows: the index rows are read to check them and to place each entry as the cpu
 * kernel does (entries of a row in input order, rows in order, an empty row's one entry
 * [row, 0, ...] with the default value); ATen moves the index rows and values to their places.
 */
function sparseFillEmptyRows(b: TorchBackend, { indices, values, denseShape, defaultValue }: Inputs): TensorInfo[] {
  const kernel = 'SparseFillEmptyRows';
  if (denseShape.shape.length !== 1 || indices.shape.length !== 2 || values.shape.length !== 1 || defaultValue.shape.length !== 0) throw rejects(kernel);
  const [n, rank] = indices.shape;
  const rows = (b.readSync(denseShape.dataId) as Int32Array)[0];
  if (rank < 1 || values.shape[0] !== n || defaultValue.dtype !== values.dtype || !(rows >= 0)) throw rejects(kernel);
  const idxDtype = indices.dtype as NumDType;
  const valDtype = values.dtype as NumDType;
  const rowOf = b.readSync(indices.dataId) as Int32Array;
  const counts = new Int32Array(Math.max(rows, 0));
  for (let i = 0; i < n; i++) {
    const row = rowOf[i * rank];
    if (!(row >= 0 && row < rows)) throw rejects(kernel);
    counts[row]++;
  }
  const empty = Uint8Array.from(counts, (c) => (c === 0 ? 1 : 0));
  const start = new Int32Array(rows); // first output position of each row
  for (let r = 1; r < rows; r++) start[r] = start[r - 1] + Math.max(counts[r - 1], 1);
  const total = rows > 0 ? start[rows - 1] + Math.max(counts[rows - 1], 1) : 0;
  const place = new Int32Array(n);
  const filled = new Int32Array(rows);
  for (let i = 0; i < n; i++) {
    const row = rowOf[i * rank];
    place[i] = start[row] + filled[row]++;
  }
  const emptyRows = Int32Array.from(Array.from(empty).flatMap((e, r) => (e ? [r] : [])));
  let outIdx = b.t('aten::zeros', [total, rank], ATEN_DTYPE[idxDtype], null, b.device);
  let outVal = b.t('aten::zeros', [total], ATEN_DTYPE[valDtype], null, b.device);
  if (n > 0) {
    const at = b.long(fromJS(b, place, [n]));
    outIdx = b.t('aten::index_copy', outIdx, 0, at, b.handle(indices));
    outVal = b.t('aten::index_copy', outVal, 0, at, b.handle(values));
  }
  const e = emptyRows.length;
  if (e > 0) {
    const at = b.long(fromJS(b, Int32Array.from(emptyRows, (r) => start[r]), [e]));
    const rowsH = b.t('aten::unsqueeze', b.cast(fromJS(b, emptyRows, [e]), idxDtype), 1);
    const fillIdx = b.t('aten::constant_pad_nd', rowsH, [0, rank - 1], 0);
    outIdx = b.t('aten::index_copy', outIdx, 0, at, fillIdx);
    outVal = b.t('aten::index_copy', outVal, 0, at, b.t('aten::expand', b.t('aten::reshape', b.handle(defaultValue), [1]), [e], false));
  }
  return [b.out(outIdx, idxDtype), b.out(outVal, valDtype), b.makeTensorInfo([rows], 'bool', empty), b.makeTensorInfo([n], idxDtype, place)];
}

/**
 * RaggedRange: row sizes and splits from the small start/limit/delta vectors as the cpu kernel
 * computes them; the values in ATen, float rows as a cumulative sum in float64 of [start, delta,
 * delta, ...] (the cpu kernel's repeated `value += delta` in JS numbers), int32 rows exactly.
 */
function raggedRange(b: TorchBackend, { starts, limits, deltas }: Inputs): TensorInfo[] {
  const kernel = 'RaggedRange';
  const parts = [starts, limits, deltas];
  if (parts.some((t) => t.shape.length > 1 || t.dtype !== starts.dtype)) throw rejects(kernel);
  const sizes = parts.filter((t) => t.shape.length === 1).map((t) => t.shape[0]);
  if (sizes.some((s) => s !== sizes[0])) throw rejects(kernel);
  const rowsN = sizes.length === 0 ? 1 : sizes[0];
  const [s, l, d] = parts.map((t) => {
    const v = b.readSync(t.dataId) as Float32Array | Int32Array;
    return (r: number) => (t.shape.length === 0 ? v[0] : v[r]);
  });
  const splits = new Int32Array(rowsN + 1);
  let widest = 0;
  for (let r = 0; r < rowsN; r++) {
    const [start, limit, delta] = [s(r), l(r), d(r)];
    if (delta === 0 || !Number.isFinite(start) || !Number.isFinite(limit) || !Number.isFinite(delta)) throw rejects(kernel);
    const size = (delta > 0 && limit < start) || (delta < 0 && limit > start) ? 0 : Math.ceil(Math.abs((limit - start) / delta));
    if (size > 2 ** 24) throw rejects(kernel);
    splits[r + 1] = splits[r] + size;
    widest = Math.max(widest, size);
  }
  const dtype = starts.dtype as NumDType;
  const total = splits[rowsN];
  if (rowsN * widest > Math.max(4 * total, 1 << 16)) throw new Error('torch backend: RaggedRange with very uneven rows runs on the cpu fallback');
  const splitsOut = b.makeTensorInfo([rowsN + 1], 'int32', splits);
  if (total === 0) return [splitsOut, b.out(b.t('aten::zeros', [0], ATEN_DTYPE[dtype], null, b.device), dtype)];
  const column = (f: (r: number) => number) => fromJS(b, Float64Array.from({ length: rowsN }, (_, r) => f(r)), [rowsN, 1]);
  const [startH, deltaH] = [column(s), column(d)];
  let grid: number;
  if (dtype === 'int32') {
    const steps = b.t('aten::reshape', b.t('aten::arange', [widest], 4, null, b.device), [1, widest]);
    grid = b.t('aten::add.Tensor', b.long(startH), b.t('aten::mul.Tensor', steps, b.long(deltaH)));
  } else {
    const terms = b.t('aten::cat', [startH, b.t('aten::expand', deltaH, [rowsN, Math.max(widest - 1, 0)], false)], 1);
    grid = b.t('aten::narrow', b.t('aten::cumsum', terms, 1, null), 1, 0, widest);
  }
  const sizesH = b.t('aten::unsqueeze', fromJS(b, Int32Array.from({ length: rowsN }, (_, r) => splits[r + 1] - splits[r]), [rowsN]), 1);
  const keep = b.t('aten::lt.Tensor', b.t('aten::reshape', b.t('aten::arange', [widest], 4, null, b.device), [1, widest]), sizesH);
  return [splitsOut, b.out(b.t('aten::masked_select', grid, keep), dtype)];
}

/**
 * RaggedGather: the output splits and the rows of dense values to copy from the small splits and
 * indices, walked as the cpu kernel walks them (its checks throw here, an index outside the
 * splits too, so the fallback raises TF.js's error; outputRaggedRank is unused, as there); ATen
 * gathers the value rows with index_select.
 */
function raggedGather(b: TorchBackend, inputs: Inputs): TensorInfo[] {
  const kernel = 'RaggedGather';
  const nested = (inputs.paramsNestedSplits as unknown as TensorInfo[]) ?? [];
  const { paramsDenseValues: dense, indices } = inputs;
  if (!Array.isArray(nested) || nested.length === 0 || dense.shape.length === 0) throw rejects(kernel);
  if (nested.some((t) => t.shape.length !== 1 || t.dtype !== 'int32') || indices.dtype !== 'int32') throw rejects(kernel);
  const splits = nested.map((t) => b.readSync(t.dataId) as Int32Array);
  const idx = b.readSync(indices.dataId) as Int32Array;
  const numParams = nested[0].shape[0] - 1;
  if (idx.some((i) => i < 0 || i >= numParams)) throw rejects(kernel);
  const rows = dense.shape[0];
  splits.forEach((s, d) => {
    const last = d === splits.length - 1 ? rows : splits[d + 1].length - 1; // (the cpu kernel allows one more: it then reads past the end)
    if (s.length === 0 || s[0] < 0 || s[s.length - 1] > last) throw rejects(kernel);
    for (let i = 1; i < s.length; i++) if (s[i - 1] > s[i]) throw rejects(kernel);
  });
  const iShape = indices.shape;
  const out: number[][] = Array.from({ length: Math.max(iShape.length - 1 + splits.length, 0) }, () => [0]);
  let nrows = 1;
  for (let d = 0; d < iShape.length - 1; d++) {
    nrows *= iShape[d];
    for (let i = 1; i <= nrows; i++) out[d].push(i * iShape[d + 1]);
  }
  const take: number[] = [];
  for (const index of idx) {
    let [start, limit] = [index, index + 1];
    splits.forEach((s, d) => {
      const o = d + iShape.length - 1;
      if (o >= 0) {
        const delta = out[o][out[o].length - 1] - s[start];
        for (let j = start; j < limit; j++) out[o].push(s[j + 1] + delta);
      }
      [start, limit] = [s[start], s[limit]];
    });
    for (let r = start; r < limit; r++) take.push(r);
  }
  const dtype = dense.dtype as NumDType;
  const splitsOut = out.map((o) => b.makeTensorInfo([o.length], 'int32', Int32Array.from(o)));
  const values = take.length === 0
    ? b.t('aten::zeros', [0, ...dense.shape.slice(1)], ATEN_DTYPE[dtype], null, b.device)
    : b.t('aten::index_select', b.handle(dense), 0, b.long(fromJS(b, Int32Array.from(take), [take.length])));
  return [...splitsOut, b.out(values, dtype)];
}

/** Output rows of the next ragged dimension from row splits (-1: past the shape, dropped). */
function splitsOutputIndex(splits: Int32Array, parent: number[], step: number, width: number): number[] {
  const result: number[] = [];
  for (let i = 0; i + 1 < splits.length; i++) {
    const length = splits[i + 1] - splits[i];
    let at = parent[i];
    const kept = at === -1 ? 0 : Math.min(width, length);
    for (let j = 0; j < kept; j++, at += step) result.push(at);
    for (let j = kept; j < length; j++) result.push(-1);
  }
  if (splits.length > 0 && result.length !== splits[splits.length - 1]) throw rejects('RaggedTensorToTensor');
  return result;
}

/** The same from value row ids (consecutive equal ids fill one row left to right). */
function rowIdsOutputIndex(ids: Int32Array, parent: number[], step: number, width: number): number[] {
  const result: number[] = [];
  let column = 0;
  let at = 0;
  ids.forEach((id, i) => {
    if (id < 0 || id >= parent.length) throw rejects('RaggedTensorToTensor');
    if (i > 0 && id === ids[i - 1]) {
      if (at >= 0) at = ++column < width ? at + step : -1;
    } else {
      column = 0;
      at = parent[id];
    }
    result.push(at);
  });
  return result;
}

/** Widest row of a partition: a split difference, or the longest run of equal row ids. */
function widestRow(values: Int32Array, type: string): number {
  let widest = 0;
  if (type === 'ROW_SPLITS') {
    for (let i = 0; i + 1 < values.length; i++) widest = Math.max(widest, values[i + 1] - values[i]);
    return widest;
  }
  let runStart = 0;
  for (let i = 1; i < values.length; i++)
    if (values[i] !== values[runStart]) {
      widest = Math.max(widest, i - runStart);
      runStart = i;
    }
  return values.length === 0 ? 0 : Math.max(widest, values.length - runStart);
}

/**
 * RaggedTensorToTensor: the output shape and, per output row of the value element shape, its
 * source (a value row, the default, or zero) walked as the cpu kernel walks its partitions and
 * copy loop, quirks included: a default with more than one element pads with zeros there (it is
 * written into a copy); what it rejects throws here. ATen gathers the rows with index_select.
 */
function raggedTensorToTensor(b: TorchBackend, inputs: Inputs, { rowPartitionTypes }: NamedAttrMap): TensorInfo {
  const kernel = 'RaggedTensorToTensor';
  const parts = inputs.rowPartitionTensors as unknown as TensorInfo[];
  const { shape, values, defaultValue } = inputs;
  const types = rowPartitionTypes as string[];
  if (!Array.isArray(parts) || !Array.isArray(types) || parts.length === 0 || types.length !== parts.length) throw rejects(kernel);
  if (types.some((t, i) => !(i === 0 ? ['FIRST_DIM_SIZE', 'ROW_SPLITS'] : ['VALUE_ROWIDS', 'ROW_SPLITS']).includes(t))) throw rejects(kernel);
  if (parts.some((t) => t.dtype !== 'int32' || t.shape.length > 1) || shape.dtype !== 'int32' || shape.shape.length !== 1) throw rejects(kernel);
  if (defaultValue.dtype !== values.dtype || values.shape.length === 0) throw rejects(kernel);
  const partValues = parts.map((t) => b.readSync(t.dataId) as Int32Array);
  if (partValues[0].length === 0) throw rejects(kernel);
  const firstSize = types[0] === 'FIRST_DIM_SIZE';
  const ragged = firstSize ? partValues.slice(1) : partValues;
  const raggedTypes = firstSize ? types.slice(1) : types;
  const rank = ragged.length;
  const firstDim = firstSize ? partValues[0][0] : parts[0].shape[0] - 1;
  if (!(firstDim >= 0 && firstDim <= 2 ** 24)) throw rejects(kernel);
  tf.backend_util.validateDefaultValueShape(defaultValue.shape, values.shape);
  const target = Array.from(b.readSync(shape.dataId) as Int32Array);
  if (target.some((d) => d < -1)) throw rejects(kernel);
  const outShape = tf.backend_util.combineRaggedTensorToTensorShapes(rank, target, values.shape);
  if (outShape[0] < 0) outShape[0] = firstDim;
  for (let d = 1; d <= rank; d++) if (outShape[d] < 0) outShape[d] = widestRow(ragged[d - 1], raggedTypes[d - 1]);
  const element = outShape.slice(rank + 1);
  // (the cpu kernel does not check the inner dims against the values; read past them there)
  if (outShape.some((d) => d < 0) || element.some((d, i) => d !== values.shape[i + 1])) throw rejects(kernel);
  const dtype = values.dtype as NumDType;
  const size = tf.util.sizeFromShape(outShape);
  const elementSize = tf.util.sizeFromShape(element);
  const defaults = tf.util.sizeFromShape(defaultValue.shape);
  if (defaults !== 1 && defaults !== elementSize) {
    // the cpu kernel broadcasts such a default with tf.broadcastTo (then leaves it unused)
    const from = [...new Array(Math.max(element.length - defaultValue.shape.length, 0)).fill(1), ...defaultValue.shape];
    if (from.length > element.length || from.some((d, i) => d !== 1 && d !== element[i])) throw rejects(kernel);
  }
  const step = new Array<number>(rank + 1).fill(1);
  for (let d = rank - 1; d >= 0; d--) step[d] = step[d + 1] * outShape[d + 1];
  const outRows = step[0] * outShape[0];
  const buildIndex = (): number[] => {
    let at = Array.from({ length: firstDim }, (_, i) => (i < outShape[0] ? i * step[0] : -1));
    for (let d = 1; d <= rank; d++) {
      const p = ragged[d - 1];
      if (raggedTypes[d - 1] === 'ROW_SPLITS') {
        if (p.length - 1 > at.length) throw rejects(kernel);
        at = splitsOutputIndex(p, at, step[d], outShape[d]);
      } else at = rowIdsOutputIndex(p, at, step[d], outShape[d]);
    }
    return at;
  };
  if (outRows === 0 || size === 0) {
    if (outRows > 0) buildIndex();
    return b.out(b.t('aten::zeros', outShape, ATEN_DTYPE[dtype], null, b.device), dtype);
  }
  const at = buildIndex();
  const valueRows = values.shape[0];
  const DEFAULT = valueRows;
  const ZERO = valueRows + 1;
  const rows = size / elementSize;
  const source = new Int32Array(rows).fill(ZERO);
  // the cpu kernel's copy loop: runs of consecutive destinations copy value rows, gaps pad
  let [srcStart, dstStart, dstEnd] = [0, 0, 0];
  for (let i = 0; i <= at.length; i++) {
    let dst = i < at.length ? at[i] : -1;
    if (dst === dstEnd) {
      dstEnd++;
      continue;
    }
    for (let k = 0; dstStart + k < dstEnd; k++) {
      if (srcStart + k >= valueRows) throw rejects(kernel);
      if (dstStart + k < rows) source[dstStart + k] = srcStart + k;
    }
    if (i >= at.length) dst = rows;
    if (dst > dstEnd) {
      if (defaults === 1) source.fill(DEFAULT, dstEnd, Math.min(dst, rows));
      dstEnd = dst;
    }
    if (dst < 0) {
      srcStart = i + 1;
      dstStart = dstEnd;
    } else {
      srcStart = i;
      dstStart = dstEnd;
      dstEnd = dstStart + 1;
    }
  }
  const zeroRow = b.t('aten::zeros', [1, elementSize], ATEN_DTYPE[dtype], null, b.device);
  const table = b.t('aten::cat', [
    b.t('aten::reshape', b.handle(values), [valueRows, elementSize]),
    defaults === 1 ? b.t('aten::expand', b.t('aten::reshape', b.handle(defaultValue), [1, 1]), [1, elementSize], false) : zeroRow,
    zeroRow,
  ], 0);
  const gathered = b.t('aten::index_select', table, 0, b.long(fromJS(b, source, [rows])));
  return b.out(b.t('aten::reshape', gathered, outShape), dtype);
}

// ------------------------------------------------------------------------------ the table
export const EXTRA: Record<string, NativeKernel> = {
  Conv3D: conv3d,
  Conv3DBackpropInputV2: conv3dBackpropInput,
  Conv3DBackpropFilterV2: conv3dBackpropFilter,
  MaxPool3D: maxPool3d,
  AvgPool3D: avgPool3d,
  MaxPool3DGrad: maxPool3dGrad,
  AvgPool3DGrad: avgPool3dGrad,
  MirrorPad: mirrorPad,
  DepthToSpace: depthToSpace,
  SpaceToBatchND: spaceToBatchND,
  BatchToSpaceND: batchToSpaceND,
  Diag: diag,
  FlipLeftRight: (b, { image }) => b.out(b.t('aten::flip', b.handle(image), [2]), image.dtype as NumDType),
  SearchSorted: searchSorted,
  Bincount: (b, { x, weights }, { size }) => bincount(b, x, weights, size as number, false),
  DenseBincount: (b, { x, weights }, { size, binaryOutput }) => {
    if (x.shape.length > 2) throw new Error(`Error in denseBincount: input must be at most rank 2, but got rank${x.shape.length}.`);
    // (the cpu kernel honours binaryOutput for rank 2 only)
    return bincount(b, x, weights, size as number, x.shape.length === 2 && !!binaryOutput);
  },
  LRNGrad: lrnGrad,
  MaxPoolWithArgmax: maxPoolWithArgmax,
  Dilation2D: dilation2d,
  Dilation2DBackpropInput: dilation2dBackpropInput,
  Dilation2DBackpropFilter: dilation2dBackpropFilter,
  Unique: unique,
  BroadcastArgs: broadcastArgs,
  SparseSegmentSum: (b, inputs) => sparseSegment(b, inputs, false),
  SparseSegmentMean: (b, inputs) => sparseSegment(b, inputs, true),
  SparseToDense: sparseToDense,
  SparseReshape: sparseReshape,
  SparseFillEmptyRows: sparseFillEmptyRows,
  RaggedRange: raggedRange,
  RaggedGather: raggedGather,
  RaggedTensorToTensor: raggedTensorToTensor,
};
