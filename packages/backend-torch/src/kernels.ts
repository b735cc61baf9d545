/**
 * Kernels of the `torch` backend: TF.js kernel names mapped to ATen operators. Each kernel takes
 * TF.js layouts (NHWC images, HWIO filters) and converts at the boundary (views, no copies).
 *
 * Design: every kernel tfjs-backend-cpu registers is registered on `torch`. Those in `NATIVE`
 * run as ATen ops; the rest run the cpu backend's own implementation on copies (see
 * fallback.ts). A native kernel that throws (an ATen restriction such as int64-only indices, or a
 * shape TF.js allows and ATen rejects) is retried through the same cpu fallback, so results and
 * error messages match the cpu backend; `setStrictNative(true)` turns the retry off (the
 * conformance test runs that way, so a native kernel cannot hide behind the fallback).
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';
import { ATEN_DTYPE } from './backend';
import { EXTRA } from './kernels-extra';
import { IMAGE } from './kernels-image';
import { checkShape, f32, ignoreNaN, ignoreNaNHandle, Inputs, NamedAttrMap, NativeKernel, NEG_INF, NumDType, scalarArg, TensorInfo } from './kernel-util';

// ------------------------------------------------------------------------------ small helpers
const normAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const axesOf = (axis: number | number[] | undefined, shape: number[]) => tf.util.parseAxisParam(axis ?? null!, shape);

function unary(aten: string, opts: { float?: boolean; outDtype?: NumDType } = {}): NativeKernel {
  return (b, { x }) => {
    const h = opts.float && x.dtype !== 'float32' ? f32(b, x) : b.handle(x);
    return b.out(b.t(aten, h), opts.outDtype ?? (x.dtype as NumDType));
  };
}

function binary(aten: string, outDtype?: NumDType): NativeKernel {
  return (b, { a, b: bb }) => b.out(b.t(aten, b.handle(a), b.handle(bb)), outDtype ?? (tf.upcastType(a.dtype, bb.dtype) as NumDType));
}

function floatBinary(aten: string): NativeKernel {
  return (b, { a, b: bb }) => b.out(b.t(aten, f32(b, a), f32(b, bb)), tf.upcastType(a.dtype, bb.dtype) as NumDType);
}

/** y = activation(x) for the fused kernels. */
function activate(b: TorchBackend, h: number, activation: string, alpha: TensorInfo | undefined, leakyAlpha: number | undefined): number {
  switch (activation) {
    case 'linear':
      return h;
    case 'relu':
      return b.t('aten::relu', h);
    case 'relu6':
      return b.t('aten::hardtanh', h, 0, 6);
    case 'elu':
      return b.t('aten::elu', h);
    case 'sigmoid':
      return b.t('aten::sigmoid', h);
    case 'leakyrelu':
      return b.t('aten::leaky_relu', h, leakyAlpha ?? 0.2);
    case 'prelu': {
      if (!alpha) throw new Error('prelu activation needs preluActivationWeights');
      const neg = b.t('aten::mul.Tensor', h, b.handle(alpha));
      return b.t('aten::where.self', b.t('aten::lt.Scalar', h, 0), neg, h);
    }
    default:
      throw new Error(`torch backend: activation '${activation}' is not supported`);
  }
}

function reduceAll(b: TorchBackend, x: TensorInfo, axis: number[], keepDims: boolean, perAxis: string): number {
  // ATen ops that reduce one dimension at a time: from the last axis back, so indices stay valid.
  let h = b.handle(x);
  for (const a of [...axis].sort((p, q) => q - p)) h = b.t(perAxis, h, a, true);
  if (!keepDims) h = b.t('aten::reshape', h, tf.backend_util.computeOutAndReduceShapes(x.shape, axis)[0]);
  return h;
}

// ------------------------------------------------------------------------------ conv and pool helpers
type PadInfo = { top: number; bottom: number; left: number; right: number };

function toNCHW(b: TorchBackend, h: number, channelsLast: boolean): number {
  return channelsLast ? b.t('aten::permute', h, [0, 3, 1, 2]) : h;
}

function fromNCHW(b: TorchBackend, h: number, channelsLast: boolean): number {
  return channelsLast ? b.t('aten::permute', h, [0, 2, 3, 1]) : h;
}

const symmetric = (p: PadInfo) => p.top === p.bottom && p.left === p.right;
const anyPad = (p: PadInfo) => p.top + p.bottom + p.left + p.right > 0;

/** Pads an NCHW tensor's H and W (value: 0 for conv and avg pool, -inf for max pool). */
function padHW(b: TorchBackend, h: number, p: PadInfo, value = 0): number {
  if (!anyPad(p)) return h;
  return b.t('aten::constant_pad_nd', h, [p.left, p.right, p.top, p.bottom], value);
}

/** Cuts a pad off an NCHW tensor of padded size. */
function unpadHW(b: TorchBackend, h: number, p: PadInfo, height: number, width: number): number {
  if (!anyPad(p)) return h;
  return b.t('aten::narrow', b.t('aten::narrow', h, 2, p.top, height), 3, p.left, width);
}

/** HWIO filter -> OIHW weight (depthwise: [inC*mult, 1, fh, fw], groups inC). */
function convWeight(b: TorchBackend, filter: TensorInfo, depthwise: boolean): number {
  const w = b.handle(filter);
  if (!depthwise) return b.t('aten::permute', w, [3, 2, 0, 1]);
  const [fh, fw, inC, mult] = filter.shape;
  return b.t('aten::reshape', b.t('aten::permute', w, [2, 3, 0, 1]), [inC * mult, 1, fh, fw]);
}

function conv2d(b: TorchBackend, x: TensorInfo, filter: TensorInfo, attrs: NamedAttrMap, depthwise: boolean): { h: number; info: tf.backend_util.Conv2DInfo } {
  const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
  const dataFormat = ((attrs as { dataFormat?: string }).dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides,
    dilations ?? 1, pad, dimRoundingMode, depthwise, tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const last = info.dataFormat === 'channelsLast';
  const { padding, explicit } = atenPadding(info.padInfo);
  const xn = toNCHW(b, b.handle(x), last);
  const xh = explicit ? padHW(b, xn, info.padInfo) : xn;
  const groups = depthwise ? info.inChannels : 1;
  const y = b.t('aten::conv2d', xh, convWeight(b, filter, depthwise), null, [info.strideHeight, info.strideWidth], padding,
    [info.dilationHeight, info.dilationWidth], groups);
  const out = fromNCHW(b, y, last);
  checkShape(b, out, info.outShape, depthwise ? 'DepthwiseConv2dNative' : 'Conv2D');
  return { h: out, info };
}

function conv2dBackpropInput(b: TorchBackend, dy: TensorInfo, filter: TensorInfo, attrs: NamedAttrMap, depthwise: boolean): TensorInfo {
  const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs & { dilations?: number | [number, number] };
  const dataFormat = ((attrs as { dataFormat?: string }).dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode, depthwise,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const last = info.dataFormat === 'channelsLast';
  const dyShape = last ? [dy.shape[1], dy.shape[2]] : [dy.shape[2], dy.shape[3]];
  if (dyShape[0] !== info.outHeight || dyShape[1] !== info.outWidth)
    throw new Error(`torch backend: dy ${dyShape} does not match the conv output ${info.outHeight}x${info.outWidth} of inputShape [${inputShape}]; runs on the cpu fallback`);
  // convolution_backward (what PyTorch's autograd calls; conv_transpose2d ran 3x slower here) reads
  // only the input's sizes and layout: an uninitialised stand-in in dy's layout gives them.
  const p = info.padInfo;
  const { padding, explicit } = atenPadding(p);
  const h = info.inHeight + (explicit ? p.top + p.bottom : 0);
  const w = info.inWidth + (explicit ? p.left + p.right : 0);
  const like = last
    ? b.t('aten::permute', b.t('aten::empty.memory_format', [info.batchSize, h, w, info.inChannels], ATEN_DTYPE.float32, null, b.device), [0, 3, 1, 2])
    : b.t('aten::empty.memory_format', [info.batchSize, info.inChannels, h, w], ATEN_DTYPE.float32, null, b.device);
  const groups = depthwise ? info.inChannels : 1;
  const [dxPadded] = b.ts('aten::convolution_backward', toNCHW(b, b.handle(dy), last), like, convWeight(b, filter, depthwise), null,
    [info.strideHeight, info.strideWidth], padding, [info.dilationHeight, info.dilationWidth], false, [0, 0], groups, [true, false, false]);
  const dx = explicit ? unpadHW(b, dxPadded, p, info.inHeight, info.inWidth) : dxPadded;
  return b.out(fromNCHW(b, dx, last), 'float32');
}

/**
 * The padding to hand ATen's convolutions: symmetric padding as is; an asymmetric one (TF.js
 * 'same' with an even window) is applied to the input first (`explicit`) and ATen pads nothing.
 * Padding the input by hand also turns a channels-last view contiguous, which made the weight
 * gradient 3x slower, so it is done only when needed.
 */
function atenPadding(p: PadInfo): { padding: number[]; explicit: boolean } {
  return symmetric(p) ? { padding: [p.top, p.left], explicit: false } : { padding: [0, 0], explicit: true };
}

function conv2dBackpropFilter(b: TorchBackend, x: TensorInfo, dy: TensorInfo, attrs: NamedAttrMap, depthwise: boolean): TensorInfo {
  const { strides, pad, dilations, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };
  const dataFormat = ((attrs as { dataFormat?: string }).dataFormat ?? 'NHWC') as 'NHWC' | 'NCHW';
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, dilations ?? 1, pad, dimRoundingMode, depthwise,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  const last = info.dataFormat === 'channelsLast';
  const { padding, explicit } = atenPadding(info.padInfo);
  const xn = toNCHW(b, b.handle(x), last);
  const xh = explicit ? padHW(b, xn, info.padInfo) : xn;
  const [fh, fw, inC, outOrMult] = filterShape;
  const wShape = depthwise ? [inC * outOrMult, 1, fh, fw] : [outOrMult, inC, fh, fw];
  const weight = b.t('aten::empty.memory_format', wShape, ATEN_DTYPE.float32, null, b.device);
  const grads = b.ts('aten::convolution_backward', toNCHW(b, b.handle(dy), last), xh, weight, null,
    [info.strideHeight, info.strideWidth], padding, [info.dilationHeight, info.dilationWidth], false, [0, 0],
    depthwise ? inC : 1, [false, true, false]) as (number | undefined)[];
  const gw = grads[1] as number;
  const hwio = depthwise
    ? b.t('aten::permute', b.t('aten::reshape', gw, [inC, outOrMult, fh, fw]), [2, 3, 0, 1])
    : b.t('aten::permute', gw, [2, 3, 1, 0]);
  return b.out(hwio, 'float32');
}

function poolInfo(x: TensorInfo, attrs: NamedAttrMap) {
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const p = info.padInfo;
  // Windows lying wholly in the padding: TF.js clamps them to the border, ATen rejects them.
  if (Math.max(p.top, p.bottom) >= info.filterHeight || Math.max(p.left, p.right) >= info.filterWidth)
    throw new Error('torch backend: pooling with padding >= filter size runs on the cpu fallback');
  return info;
}

function avgPoolNCHW(b: TorchBackend, xh: number, info: tf.backend_util.Conv2DInfo): number {
  const k = [info.filterHeight, info.filterWidth];
  const s = [info.strideHeight, info.strideWidth];
  if (!anyPad(info.padInfo)) return b.t('aten::avg_pool2d', xh, k, s, [0, 0], false, true, null);
  // TF.js averages over the window's real cells only: (sum over zero-padded window) / count.
  const sum = b.t('aten::avg_pool2d', padHW(b, xh, info.padInfo), k, s, [0, 0], false, true, null);
  return b.t('aten::div.Tensor', sum, windowShare(b, info));
}

/** Per output cell: (real cells in its window) / (window area), shaped [1, 1, outH, outW]. */
function windowShare(b: TorchBackend, info: tf.backend_util.Conv2DInfo): number {
  const ones = b.t('aten::ones', [1, 1, info.inHeight, info.inWidth], ATEN_DTYPE.float32, null, b.device);
  return b.t('aten::avg_pool2d', padHW(b, ones, info.padInfo), [info.filterHeight, info.filterWidth],
    [info.strideHeight, info.strideWidth], [0, 0], false, true, null);
}

/** What a max pool's kept argmax depends on besides its input: shape, window, strides, padding. */
function poolKey(info: tf.backend_util.Conv2DInfo): string {
  const p = info.padInfo;
  return `MaxPool ${info.inShape} ${info.filterHeight}x${info.filterWidth} /${info.strideHeight},${info.strideWidth} ${p.top},${p.bottom},${p.left},${p.right}`;
}

function maxPoolWithIndices(b: TorchBackend, xh: number, info: tf.backend_util.Conv2DInfo): { xp: number; y: number; idx: number } {
  const xp = padHW(b, xh, info.padInfo, NEG_INF);
  const [y, idx] = b.ts('aten::max_pool2d_with_indices', xp, [info.filterHeight, info.filterWidth],
    [info.strideHeight, info.strideWidth], [0, 0], [1, 1], false);
  return { xp, y, idx };
}

/** StridedSlice and Slice share this: begin/size per axis via narrow. */
function sliceHandle(b: TorchBackend, h: number, begin: number[], size: number[], shape: number[]): number {
  let out = h;
  for (let i = 0; i < begin.length; i++) {
    if (begin[i] === 0 && size[i] === shape[i]) continue;
    out = b.t('aten::narrow', out, i, begin[i], size[i]);
  }
  return out;
}

/** Broadcasts a rank-1 select condition over the rows of t (TF.js select semantics). */
function selectCondition(b: TorchBackend, cond: TensorInfo, t: TensorInfo): number {
  const c = b.handle(cond);
  if (cond.shape.length === 1 && t.shape.length > 1)
    return b.t('aten::reshape', c, [cond.shape[0], ...new Array(t.shape.length - 1).fill(1)]);
  return c;
}

// ------------------------------------------------------------------------------ the table
export const NATIVE: Record<string, NativeKernel> = {
  // Identity, same-dtype Cast, Reshape and ExpandDims share the input's data (as the cpu backend
  // does): no new data id, and `handle()` views it with the shape each use gives.
  Identity: (b, { x }) => b.share(x, x.shape),

  // elementwise unary
  Abs: (b, { x }) => b.out(b.t('aten::abs', b.handle(x)), x.dtype === 'complex64' ? 'float32' : (x.dtype as NumDType)),
  Acos: unary('aten::acos', { float: true }),
  Acosh: unary('aten::acosh', { float: true }),
  Asin: unary('aten::asin', { float: true }),
  Asinh: unary('aten::asinh', { float: true }),
  Atan: unary('aten::atan', { float: true }),
  Atanh: unary('aten::atanh', { float: true }),
  Ceil: unary('aten::ceil', { float: true }),
  Cos: unary('aten::cos', { float: true }),
  Cosh: unary('aten::cosh', { float: true }),
  Erf: unary('aten::erf', { float: true }),
  Exp: unary('aten::exp', { float: true, outDtype: 'float32' }),
  Expm1: unary('aten::expm1', { float: true }),
  Floor: unary('aten::floor', { float: true }),
  Log: unary('aten::log', { float: true }),
  Log1p: unary('aten::log1p', { float: true }),
  Neg: unary('aten::neg'),
  Reciprocal: unary('aten::reciprocal', { float: true }),
  Round: unary('aten::round', { float: true }),
  Rsqrt: unary('aten::rsqrt', { float: true }),
  Sigmoid: unary('aten::sigmoid', { float: true }),
  Sin: unary('aten::sin', { float: true }),
  Sinh: unary('aten::sinh', { float: true }),
  Sqrt: unary('aten::sqrt', { float: true }),
  Square: unary('aten::square'),
  Tan: unary('aten::tan', { float: true }),
  Tanh: unary('aten::tanh', { float: true }),
  Relu: unary('aten::relu'),
  Selu: unary('aten::selu', { float: true }),
  Elu: unary('aten::elu', { float: true }),
  Softplus: unary('aten::softplus', { float: true }),
  IsNan: unary('aten::isnan', { outDtype: 'bool' }),
  IsInf: unary('aten::isinf', { outDtype: 'bool' }),
  IsFinite: unary('aten::isfinite', { outDtype: 'bool' }),
  LogicalNot: unary('aten::logical_not', { outDtype: 'bool' }),
  Sign: (b, { x }) => {
    // TF.js: sign(NaN) = 0; ATen keeps NaN.
    const h = b.handle(x);
    const s = b.t('aten::sign', h);
    return b.out(x.dtype === 'float32' ? b.t('aten::nan_to_num', s, 0) : s, x.dtype as NumDType);
  },
  Relu6: (b, { x }) => b.out(b.t('aten::clamp', b.handle(x), scalarArg(0, x.dtype), scalarArg(6, x.dtype)), x.dtype as NumDType),
  LeakyRelu: (b, { x }, { alpha }) => {
    const h = b.handle(x);
    return b.out(b.t('aten::where.self', b.t('aten::lt.Scalar', h, 0), b.t('aten::mul.Scalar', h, alpha as number), h), 'float32');
  },
  Step: (b, { x }, { alpha }) => {
    const h = f32(b, x);
    // ReLU's gradient (alpha 0) in two vectorised passes: clamp keeps NaN, ceil maps (0, 1] to 1.
    if (alpha === 0) return b.out(b.t('aten::ceil', b.t('aten::clamp', h, 0, 1)), x.dtype as NumDType);
    const y = b.t('aten::where.ScalarOther', b.t('aten::gt.Scalar', h, 0), b.scalar(1), alpha as number);
    return b.out(b.t('aten::where.self', b.t('aten::isnan', h), h, y), x.dtype as NumDType);
  },
  ClipByValue: (b, { x }, { clipValueMin, clipValueMax }) =>
    b.out(b.t('aten::clamp', b.handle(x), scalarArg(clipValueMin as number, x.dtype), scalarArg(clipValueMax as number, x.dtype)), x.dtype as NumDType),
  Prelu: (b, { x, alpha }) => {
    const h = b.handle(x);
    return b.out(b.t('aten::where.self', b.t('aten::lt.Scalar', h, 0), b.t('aten::mul.Tensor', h, b.handle(alpha)), h), 'float32');
  },
  EluGrad: (b, { dy, y }) => {
    const yh = b.handle(y);
    const factor = b.t('aten::where.self', b.t('aten::lt.Scalar', yh, 0), b.t('aten::add.Scalar', yh, 1), b.t('aten::ones_like', yh));
    return b.out(b.t('aten::mul.Tensor', b.handle(dy), factor), 'float32');
  },
  Cast: (b, { x }, { dtype }) => {
    if (dtype === x.dtype) return b.share(x, x.shape);
    if (dtype === 'string' || x.dtype === 'string') throw new Error('torch backend: string casts run on the cpu fallback');
    const h = b.handle(x);
    if (x.dtype === 'complex64') return b.out(b.t('aten::_to_copy', b.t('aten::real', h), ATEN_DTYPE[dtype as NumDType]), dtype as NumDType);
    return b.out(b.t('aten::_to_copy', h, ATEN_DTYPE[dtype as NumDType]), dtype as NumDType);
  },

  // elementwise binary (broadcasting)
  Add: binary('aten::add.Tensor'),
  Sub: binary('aten::sub.Tensor'),
  Multiply: binary('aten::mul.Tensor'),
  RealDiv: floatBinary('aten::div.Tensor'),
  FloorDiv: (b, { a, b: bb }) => {
    // TF.js's floorDiv is always int32 (as its cpu kernel)
    const dtype = tf.upcastType(a.dtype, bb.dtype) as NumDType;
    if (dtype === 'int32') return b.out(b.t('aten::floor', b.t('aten::div.Tensor', f32(b, a), f32(b, bb))), 'int32');
    return b.out(b.t('aten::div.Tensor_mode', b.handle(a), b.handle(bb), 'floor'), 'int32');
  },
  Maximum: binary('aten::maximum'),
  Minimum: binary('aten::minimum'),
  Pow: (b, { a, b: bb }) => {
    const dtype = tf.upcastType(a.dtype, bb.dtype) as NumDType;
    if (dtype === 'int32') return b.out(b.t('aten::pow.Tensor_Tensor', f32(b, a), f32(b, bb)), 'int32');
    return b.out(b.t('aten::pow.Tensor_Tensor', b.handle(a), b.handle(bb)), dtype);
  },
  SquaredDifference: (b, { a, b: bb }) => b.out(b.t('aten::square', b.t('aten::sub.Tensor', b.handle(a), b.handle(bb))), tf.upcastType(a.dtype, bb.dtype) as NumDType),
  Mod: binary('aten::remainder.Tensor'),
  Atan2: floatBinary('aten::atan2'),
  Equal: binary('aten::eq.Tensor', 'bool'),
  NotEqual: binary('aten::ne.Tensor', 'bool'),
  Greater: binary('aten::gt.Tensor', 'bool'),
  GreaterEqual: binary('aten::ge.Tensor', 'bool'),
  Less: binary('aten::lt.Tensor', 'bool'),
  LessEqual: binary('aten::le.Tensor', 'bool'),
  LogicalAnd: binary('aten::logical_and', 'bool'),
  LogicalOr: binary('aten::logical_or', 'bool'),
  BitwiseAnd: binary('aten::bitwise_and.Tensor', 'int32'),
  AddN: (b, inputs) => {
    const list = Object.values(inputs);
    let h = b.handle(list[0]);
    for (const t of list.slice(1)) h = b.t('aten::add.Tensor', h, b.handle(t));
    return b.out(h, list[0].dtype as NumDType);
  },
  Select: (b, { condition, t, e }) =>
    b.out(b.t('aten::where.self', selectCondition(b, condition, t), b.handle(t), b.handle(e)), tf.upcastType(t.dtype, e.dtype) as NumDType),

  // complex
  Complex: (b, { real, imag }) => b.out(b.t('aten::complex', b.handle(real), b.handle(imag)), 'complex64'),
  Real: (b, { input }) => b.out(b.t('aten::clone', b.t('aten::real', b.handle(input))), 'float32'),
  Imag: (b, { input }) => b.out(b.t('aten::clone', b.t('aten::imag', b.handle(input))), 'float32'),
  ComplexAbs: (b, { x }) => b.out(b.t('aten::abs', b.handle(x)), 'float32'),
  FFT: (b, { input }) => b.out(b.t('aten::fft_fft', b.handle(input), null, -1, null), 'complex64'),
  IFFT: (b, { input }) => b.out(b.t('aten::fft_ifft', b.handle(input), null, -1, null), 'complex64'),

  // reductions
  Sum: (b, { x }, { axis, keepDims }) => {
    const axes = axesOf(axis as number[], x.shape);
    const dtype = tf.upcastType(x.dtype, 'int32') as NumDType;
    if (axes.length === 0) return b.out(b.t('aten::clone', b.cast(b.handle(x), dtype)), dtype);
    return b.out(b.t('aten::sum.dim_IntList', b.handle(x), axes, keepDims as boolean, null), dtype);
  },
  Mean: (b, { x }, { axis, keepDims }) => {
    const axes = axesOf(axis as number[], x.shape);
    if (axes.length === 0) return b.out(b.t('aten::clone', f32(b, x)), 'float32');
    return b.out(b.t('aten::mean.dim', f32(b, x), axes, keepDims as boolean, null), 'float32');
  },
  Max: (b, { x }, { reductionIndices, keepDims }) => {
    const axes = axesOf(reductionIndices as number[], x.shape);
    if (axes.length === 0) return b.out(b.t('aten::clone', b.handle(x)), x.dtype as NumDType);
    return b.out(b.t('aten::amax', b.handle(x), axes, keepDims as boolean), x.dtype as NumDType);
  },
  Min: (b, { x }, { axis, keepDims }) => {
    const axes = axesOf(axis as number[], x.shape);
    if (axes.length === 0) return b.out(b.t('aten::clone', b.handle(x)), x.dtype as NumDType);
    return b.out(b.t('aten::amin', b.handle(x), axes, keepDims as boolean), x.dtype as NumDType);
  },
  Prod: (b, { x }, { axis, keepDims }) => {
    const axes = axesOf(axis as number[], x.shape);
    const dtype = tf.upcastType(x.dtype, 'int32') as NumDType;
    return b.out(reduceAll(b, { ...x, dataId: x.dataId }, axes, keepDims as boolean, 'aten::prod.dim_int'), dtype);
  },
  All: (b, { x }, { axis, keepDims }) => b.out(reduceAll(b, x, axesOf(axis as number[], x.shape), keepDims as boolean, 'aten::all.dim'), 'bool'),
  Any: (b, { x }, { axis, keepDims }) => b.out(reduceAll(b, x, axesOf(axis as number[], x.shape), keepDims as boolean, 'aten::any.dim'), 'bool'),
  ArgMax: (b, { x }, { axis }) => b.out(b.t('aten::argmax', ignoreNaN(b, x, NEG_INF), axesOf(axis as number, x.shape)[0], false), 'int32'),
  ArgMin: (b, { x }, { axis }) => b.out(b.t('aten::argmin', ignoreNaN(b, x, Infinity), axesOf(axis as number, x.shape)[0], false), 'int32'),
  Cumsum: cumulative('aten::cumsum', 0),
  Cumprod: cumulative('aten::cumprod', 1),
  Softmax: (b, { logits }, { dim }) => b.out(b.t('aten::_softmax', b.handle(logits), normAxis(dim as number, logits.shape.length), false), 'float32'),

  // shapes and indexing
  Reshape: (b, { x }, { shape }) => {
    const size = tf.util.sizeFromShape(x.shape);
    const newShape = tf.util.inferFromImplicitShape(shape as number[], size);
    tf.util.assert(tf.util.sizeFromShape(newShape) === size, () => `new shape [${newShape}] and old shape [${x.shape}] must have the same number of elements.`);
    return b.share(x, newShape);
  },
  ExpandDims: (b, { input }, { dim }) => {
    const rank = input.shape.length;
    tf.util.assert((dim as number) <= rank && (dim as number) >= -(rank + 1), () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
    const axis = (dim as number) < 0 ? (dim as number) + rank + 1 : (dim as number);
    const shape = [...input.shape];
    shape.splice(axis, 0, 1);
    return b.share(input, shape);
  },
  Transpose: (b, { x }, { perm }) => b.out(b.t('aten::permute', b.handle(x), perm as number[]), x.dtype as NumDType),
  Slice: (b, { x }, { begin, size }) => {
    const [b0, s0] = tf.slice_util.parseSliceParams(x, begin as number[], size as number[]);
    return b.out(sliceHandle(b, b.handle(x), b0, s0, x.shape), x.dtype as NumDType);
  },
  StridedSlice: (b, { x }, attrs) => {
    const a = attrs as unknown as tf.StridedSliceAttrs;
    const s = tf.slice_util.sliceInfo(x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
    if (s.isIdentity) return b.out(b.t('aten::reshape', b.handle(x), s.finalShape), x.dtype as NumDType);
    let h = b.handle(x);
    if (s.isSimpleSlice || s.sliceDim0) h = sliceHandle(b, h, s.begin, tf.slice_util.computeOutShape(s.begin, s.end, s.strides), x.shape);
    else {
      // element k of axis i is x[begin + k * stride]; a negative stride reads the flipped axis forward
      for (let i = 0; i < x.shape.length; i++) {
        const n = s.finalShapeSparse[i];
        let begin = s.begin[i];
        let stride = s.strides[i];
        if (stride < 0) {
          h = b.t('aten::flip', h, [i]);
          begin = x.shape[i] - 1 - begin;
          stride = -stride;
        }
        h = n === 0 ? b.t('aten::narrow', h, i, 0, 0) : b.t('aten::slice.Tensor', h, i, begin, begin + (n - 1) * stride + 1, stride);
      }
    }
    return b.out(b.t('aten::reshape', h, s.finalShape), x.dtype as NumDType);
  },
  Concat: (b, inputs, { axis }) => {
    const list = Object.values(inputs);
    const rank = list[0].shape.length;
    const ax = axesOf(axis as number, list[0].shape)[0] ?? 0;
    if (rank === 0) throw new Error('torch backend: Concat of scalars runs on the cpu fallback');
    const dtype = list.reduce<tf.DataType>((d, t) => tf.upcastType(d, t.dtype), list[0].dtype) as NumDType;
    return b.out(b.t('aten::cat', list.map((t) => b.cast(b.handle(t), dtype)), ax), dtype);
  },
  Pack: (b, inputs, { axis }) => {
    const list = Object.values(inputs);
    tf.util.assert(list.every((t) => t.dtype === list[0].dtype), () => 'All tensors passed to stack must have matching dtypes');
    const ax = normAxis(axis as number, list[0].shape.length + 1);
    return b.out(b.t('aten::stack', list.map((t) => b.handle(t)), ax), list[0].dtype as NumDType);
  },
  Unpack: (b, { value }, { axis }) => {
    const parts = b.ts('aten::unbind.int', b.handle(value), normAxis(axis as number, value.shape.length));
    return parts.map((h) => b.out(h, value.dtype as NumDType));
  },
  SplitV: (b, { x }, { numOrSizeSplits, axis }) => {
    const ax = axesOf(axis as number, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x, numOrSizeSplits as number[], ax);
    const parts = b.ts('aten::split_with_sizes', b.handle(x), sizes, ax);
    return parts.map((h) => b.out(h, x.dtype as NumDType));
  },
  Tile: (b, { x }, { reps }) => b.out(b.t('aten::repeat', b.handle(x), reps as number[]), x.dtype as NumDType),
  PadV2: (b, { x }, { paddings, constantValue }) => {
    const flat: number[] = [];
    for (const [lo, hi] of [...(paddings as [number, number][])].reverse()) flat.push(lo, hi);
    return b.out(b.t('aten::constant_pad_nd', b.handle(x), flat, scalarArg(constantValue as number, x.dtype)), x.dtype as NumDType);
  },
  Reverse: (b, { x }, { dims }) => b.out(b.t('aten::flip', b.handle(x), axesOf(dims as number[], x.shape)), x.dtype as NumDType),
  GatherV2: (b, { x, indices }, { axis, batchDims }) => {
    if ((batchDims as number) !== 0) throw new Error('torch backend: GatherV2 with batchDims runs on the cpu fallback');
    const ax = axesOf(axis as number, x.shape)[0];
    const flat = b.t('aten::reshape', b.long(b.handle(indices)), [-1]);
    const g = b.t('aten::index_select', b.handle(x), ax, flat);
    const shape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
    return b.out(b.t('aten::reshape', g, shape), x.dtype as NumDType);
  },
  GatherNd: (b, { params, indices }) => {
    const k = indices.shape[indices.shape.length - 1];
    const idx = b.long(b.handle(indices));
    const cols = b.ts('aten::unbind.int', idx, indices.shape.length - 1);
    const g = b.t('aten::index.Tensor', b.handle(params), cols.slice(0, k));
    const shape = [...indices.shape.slice(0, -1), ...params.shape.slice(k)];
    return b.out(b.t('aten::reshape', g, shape), params.dtype as NumDType);
  },
  ScatterNd: (b, { indices, updates }, { shape }) => {
    const k = indices.shape[indices.shape.length - 1];
    const cols = b.ts('aten::unbind.int', b.long(b.handle(indices)), indices.shape.length - 1);
    const zeros = b.t('aten::zeros', shape as number[], ATEN_DTYPE[updates.dtype as NumDType], null, b.device);
    const upd = b.t('aten::reshape', b.handle(updates), [...indices.shape.slice(0, -1), ...(shape as number[]).slice(k)]);
    return b.out(b.t('aten::index_put', zeros, cols.slice(0, k), upd, true), updates.dtype as NumDType);
  },
  TensorScatterUpdate: (b, { tensor, indices, updates }) => {
    const k = indices.shape[indices.shape.length - 1];
    const cols = b.ts('aten::unbind.int', b.long(b.handle(indices)), indices.shape.length - 1);
    const upd = b.t('aten::reshape', b.handle(updates), [...indices.shape.slice(0, -1), ...tensor.shape.slice(k)]);
    return b.out(b.t('aten::index_put', b.handle(tensor), cols.slice(0, k), upd, false), tensor.dtype as NumDType);
  },
  UnsortedSegmentSum: (b, { x, segmentIds }, { numSegments }) => {
    const rest = x.shape.slice(segmentIds.shape.length);
    const ids = b.t('aten::reshape', b.long(b.handle(segmentIds)), [-1]);
    const rows = b.t('aten::reshape', b.handle(x), [-1, ...rest]);
    const zeros = b.t('aten::zeros', [numSegments as number, ...rest], ATEN_DTYPE[x.dtype as NumDType], null, b.device);
    return b.out(b.t('aten::index_add', zeros, 0, ids, rows), x.dtype as NumDType);
  },
  OneHot: (b, { indices }, { depth, onValue, offValue, dtype }) => {
    const d = dtype as NumDType;
    const range = b.t('aten::arange', [depth as number], ATEN_DTYPE.int32, null, b.device);
    const hit = b.t('aten::eq.Tensor', b.t('aten::unsqueeze', b.handle(indices), -1), range);
    const on = b.scalar(onValue as number, d);
    const off = b.scalar(offValue as number, d);
    return b.out(b.t('aten::where.self', hit, on, off), d);
  },
  Fill: (b, _inputs, { shape, value, dtype }) => {
    if (dtype === 'string') throw new Error('torch backend: string Fill runs on the cpu fallback');
    const d = dtype as NumDType;
    return b.out(b.t('aten::full', shape as number[], scalarArg(value as number, d), ATEN_DTYPE[d], null, b.device), d);
  },
  ZerosLike: (b, { x }) => b.out(b.t('aten::zeros_like', b.handle(x)), x.dtype as NumDType),
  OnesLike: (b, { x }) => b.out(b.t('aten::ones_like', b.handle(x)), x.dtype as NumDType),
  Range: (b, _inputs, { start, stop, step, dtype }) => {
    // values as TF.js computes them (running sum from start), written straight to ATen
    let st = step as number;
    const [a, z] = [start as number, stop as number];
    const empty = a === z || (a < z && st < 0) || (z < a && st > 1);
    const n = empty ? 0 : Math.abs(Math.ceil((z - a) / st));
    if (z < a && st === 1) st = -1;
    const values = dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    if (n > 0) values[0] = a;
    for (let i = 1; i < n; i++) values[i] = values[i - 1] + st;
    return b.makeTensorInfo([n], dtype as NumDType, values);
  },
  LinSpace: (b, _inputs, { start, stop, num }) =>
    b.out(b.t('aten::linspace', start as number, stop as number, num as number, ATEN_DTYPE.float32, null, b.device), 'float32'),
  Einsum: (b, inputs, { equation }) => {
    const list = Object.values(inputs);
    // TF.js's own checks first (it supports fewer forms than ATen: no traces, at most two inputs)
    const { allDims, summedDims, idDims } = tf.backend_util.decodeEinsumEquation(equation as string, list.length);
    tf.backend_util.checkEinsumDimSizes(allDims.length, idDims, list as tf.Tensor[]);
    tf.backend_util.getEinsumComputePath(summedDims, idDims);
    return b.out(b.t('aten::einsum', equation as string, list.map((t) => b.handle(t))), list[0].dtype as NumDType);
  },
  TopK: (b, { x }, { k, sorted: _sorted }) => {
    // A stable descending sort keeps TF.js's order for ties (lower index first).
    const [values, indices] = b.ts('aten::sort.stable', b.handle(x), true, -1, true);
    const last = x.shape.length - 1;
    return [
      b.out(b.t('aten::narrow', values, last, 0, k as number), x.dtype as NumDType),
      b.out(b.t('aten::narrow', indices, last, 0, k as number), 'int32'),
    ];
  },

  // linear algebra
  BatchMatMul: (b, { a, b: bb }, { transposeA, transposeB }) => b.out(matmul(b, a, bb, !!transposeA, !!transposeB), tf.upcastType(a.dtype, bb.dtype) as NumDType),
  _FusedMatMul: (b, { a, b: bb, bias, preluActivationWeights }, { transposeA, transposeB, activation, leakyreluAlpha }) => {
    let h = matmul(b, a, bb, !!transposeA, !!transposeB);
    if (bias) h = b.t('aten::add.Tensor', h, b.handle(bias));
    return b.out(activate(b, h, activation as string, preluActivationWeights, leakyreluAlpha as number), 'float32');
  },

  // convolutions
  Conv2D: (b, { x, filter }, attrs) => b.out(conv2d(b, x, filter, attrs, false).h, 'float32'),
  DepthwiseConv2dNative: (b, { x, filter }, attrs) => b.out(conv2d(b, x, filter, attrs, true).h, 'float32'),
  FusedConv2D: (b, inputs, attrs) => fusedConv(b, inputs, attrs, false),
  FusedDepthwiseConv2D: (b, inputs, attrs) => fusedConv(b, inputs, attrs, true),
  Conv2DBackpropInput: (b, { dy, filter }, attrs) => conv2dBackpropInput(b, dy, filter, attrs, false),
  DepthwiseConv2dNativeBackpropInput: (b, { dy, filter }, attrs) => conv2dBackpropInput(b, dy, filter, attrs, true),
  Conv2DBackpropFilter: (b, { x, dy }, attrs) => conv2dBackpropFilter(b, x, dy, attrs, false),
  DepthwiseConv2dNativeBackpropFilter: (b, { x, dy }, attrs) => conv2dBackpropFilter(b, x, dy, attrs, true),

  // pooling (NHWC)
  MaxPool: (b, { x }, attrs) => {
    const info = poolInfo(x, attrs);
    if (info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 && !anyPad(info.padInfo))
      return b.out(b.t('aten::alias', b.handle(x)), x.dtype as NumDType);
    // ATen's max propagates NaN where TF.js skips it. On the CPU, pool first and pool again with NaN
    // read as -inf only when some window came out NaN (testing the pooled output is a quarter of
    // cleaning the input); on a GPU that test would wait for the device on every call (a host read),
    // so NaN is replaced up front there, as the retry does.
    const onCpu = b.device === 'cpu';
    let { y, idx } = maxPoolWithIndices(b, toNCHW(b, onCpu ? b.handle(x) : ignoreNaN(b, x, NEG_INF), true), info);
    if (onCpu && x.dtype === 'float32' && (b.call('aten::is_nonzero', [b.t('aten::any', b.t('aten::isnan', y))]) as unknown as boolean))
      ({ y, idx } = maxPoolWithIndices(b, toNCHW(b, ignoreNaN(b, x, NEG_INF), true), info));
    const nhwc = fromNCHW(b, y, true);
    checkShape(b, nhwc, info.outShape, 'MaxPool');
    const out = b.out(nhwc, x.dtype as NumDType);
    // Under a gradient tape keep the argmax for MaxPoolGrad, as PyTorch's autograd saves it.
    if (b.recording()) b.attach(out, poolKey(info), x, idx);
    return out;
  },
  AvgPool: (b, { x }, attrs) => {
    const info = poolInfo(x, attrs);
    const out = fromNCHW(b, avgPoolNCHW(b, toNCHW(b, f32(b, x), true), info), true);
    checkShape(b, out, info.outShape, 'AvgPool');
    return b.out(out, 'float32');
  },
  MaxPoolGrad: (b, { dy, input, output }, attrs) => {
    const info = poolInfo(input, attrs);
    const kept = b.attached(output, poolKey(info), input);
    // The backward reads only the padded input's shape and layout, and the argmax.
    const { xp, idx } = kept !== undefined
      ? { xp: padHW(b, toNCHW(b, b.handle(input), true), info.padInfo, NEG_INF), idx: kept }
      : maxPoolWithIndices(b, toNCHW(b, ignoreNaNHandle(b, b.handle(input), NEG_INF), true), info);
    const g = b.t('aten::max_pool2d_with_indices_backward', toNCHW(b, b.handle(dy), true), xp, [info.filterHeight, info.filterWidth],
      [info.strideHeight, info.strideWidth], [0, 0], [1, 1], false, idx);
    return b.out(fromNCHW(b, unpadHW(b, g, info.padInfo, info.inHeight, info.inWidth), true), 'float32');
  },
  AvgPoolGrad: (b, { dy, input }, attrs) => {
    const info = poolInfo(input, attrs);
    const k = [info.filterHeight, info.filterWidth];
    const s = [info.strideHeight, info.strideWidth];
    // TF.js's gradient spreads dy over the whole window area, padding included (as its cpu kernel).
    const d = toNCHW(b, b.handle(dy), true);
    const xp = padHW(b, toNCHW(b, f32(b, input), true), info.padInfo);
    const g = b.t('aten::avg_pool2d_backward', d, xp, k, s, [0, 0], false, true, null);
    return b.out(fromNCHW(b, unpadHW(b, g, info.padInfo, info.inHeight, info.inWidth), true), 'float32');
  },

  // normalisation
  FusedBatchNorm: (b, { x, mean, variance, offset, scale }, { varianceEpsilon }) => {
    const inv = b.t('aten::rsqrt', b.t('aten::add.Scalar', b.handle(variance), varianceEpsilon as number));
    let h = b.t('aten::mul.Tensor', b.t('aten::sub.Tensor', b.handle(x), b.handle(mean)), inv);
    if (scale) h = b.t('aten::mul.Tensor', h, b.handle(scale));
    if (offset) h = b.t('aten::add.Tensor', h, b.handle(offset));
    return b.out(h, 'float32');
  },
  ResizeBilinear: (b, { images }, { alignCorners, halfPixelCenters, size }) => {
    if (!alignCorners && !halfPixelCenters) throw new Error('torch backend: ResizeBilinear without alignCorners/halfPixelCenters runs on the cpu fallback');
    const [h, w] = size as [number, number];
    const y = b.t('aten::upsample_bilinear2d', toNCHW(b, f32(b, images), true), [h, w], !!alignCorners, null, null);
    return b.out(fromNCHW(b, y, true), 'float32');
  },
  ResizeBilinearGrad: (b, { images, dy }, { alignCorners }) => {
    // TF.js's gradient (its cpu kernel) uses the legacy corner mapping unless alignCorners, which
    // ATen has no mode for: those run on the fallback.
    if (!alignCorners) throw new Error('torch backend: ResizeBilinearGrad without alignCorners runs on the cpu fallback');
    const [n, h, w, c] = images.shape;
    const g = b.t('aten::upsample_bilinear2d_backward', toNCHW(b, f32(b, dy), true), [dy.shape[1], dy.shape[2]], [n, c, h, w], true, null, null);
    return b.out(fromNCHW(b, g, true), 'float32');
  },
  ResizeNearestNeighbor: (b, { images }, { alignCorners, halfPixelCenters, size }) => {
    // TF.js's legacy nearest (floor(dst * in/out)) is ATen's `nearest`; half-pixel centers are `nearest-exact`
    if (alignCorners) throw new Error('torch backend: ResizeNearestNeighbor with alignCorners runs on the cpu fallback');
    const op = halfPixelCenters ? 'aten::_upsample_nearest_exact2d' : 'aten::upsample_nearest2d';
    const y = b.t(op, toNCHW(b, b.handle(images), true), size as number[], null, null);
    return b.out(fromNCHW(b, y, true), images.dtype as NumDType);
  },
  ResizeNearestNeighborGrad: (b, { images, dy }, { alignCorners }) => {
    // TF.js's gradient (its cpu kernel) routes dy by the legacy floor(dst * in/out) rule even for
    // half-pixel centers; kept identical here.
    if (alignCorners) throw new Error('torch backend: ResizeNearestNeighborGrad with alignCorners runs on the cpu fallback');
    const [n, h, w, c] = images.shape;
    const g = b.t('aten::upsample_nearest2d_backward', toNCHW(b, f32(b, dy), true), [dy.shape[1], dy.shape[2]], [n, c, h, w], null, null);
    return b.out(fromNCHW(b, g, true), 'float32');
  },
  LRN: (b, { x }, { depthRadius, bias, alpha, beta }) => {
    // sum of squares over the channel window [c - r, c + r]: a stride-1 average pool over channels
    const [n, h, w, c] = x.shape;
    const r = depthRadius as number;
    const xh = f32(b, x);
    const sq = b.t('aten::reshape', b.t('aten::square', xh), [n * h * w, 1, c]);
    const sum = b.t('aten::mul.Scalar', b.t('aten::avg_pool1d', sq, [2 * r + 1], [1], [r], false, true), 2 * r + 1);
    const denom = b.t('aten::pow.Tensor_Scalar', b.t('aten::add.Scalar', b.t('aten::mul.Scalar', sum, alpha as number), bias as number), beta as number);
    return b.out(b.t('aten::div.Tensor', xh, b.t('aten::reshape', denom, [n, h, w, c])), 'float32');
  },

  // 3-D convolution and pooling, shape and index kernels (kernels-extra.ts)
  ...EXTRA,
  // image kernels (kernels-image.ts)
  ...IMAGE,
};

function matmul(b: TorchBackend, a: TensorInfo, bb: TensorInfo, ta: boolean, tb: boolean): number {
  tf.util.assert(a.shape.length >= 2 && bb.shape.length >= 2, () => `Error in matMul: inputs must have rank at least 2, got ranks ${a.shape.length} and ${bb.shape.length}.`);
  let ha = b.handle(a);
  let hb = b.handle(bb);
  if (ta) ha = b.t('aten::transpose.int', ha, -1, -2);
  if (tb) hb = b.t('aten::transpose.int', hb, -1, -2);
  return b.t('aten::matmul', ha, hb);
}

function fusedConv(b: TorchBackend, inputs: Inputs, attrs: NamedAttrMap, depthwise: boolean): TensorInfo {
  const { x, filter, bias, preluActivationWeights } = inputs;
  let { h } = conv2d(b, x, filter, attrs, depthwise);
  // NCHW: per-channel (1-D) bias and PReLU weights broadcast over dim 1, not the last
  const perChannel = (t: TensorInfo): TensorInfo =>
    attrs.dataFormat === 'NCHW' && t.shape.length === 1 ? { ...t, shape: [t.shape[0], 1, 1] } : t;
  if (bias) h = b.t('aten::add.Tensor', h, b.handle(perChannel(bias)));
  const alpha = preluActivationWeights ? perChannel(preluActivationWeights) : undefined;
  return b.out(activate(b, h, attrs.activation as string, alpha, attrs.leakyreluAlpha as number), 'float32');
}

function cumulative(aten: string, identity: number): NativeKernel {
  return (b, { x }, { axis, exclusive, reverse }) => {
    const rank = x.shape.length;
    const ax = normAxis(axis as number, rank);
    const dtype = tf.upcastType(x.dtype, 'int32') as NumDType;
    let h = b.cast(b.handle(x), dtype);
    if (reverse) h = b.t('aten::flip', h, [ax]);
    if (exclusive) {
      // shift by one along the axis, filling with the identity element
      const pad = new Array(2 * rank).fill(0);
      pad[2 * (rank - 1 - ax)] = 1;
      const n = x.shape[ax];
      h = b.t('aten::narrow', b.t('aten::constant_pad_nd', h, pad, scalarArg(identity, dtype)), ax, 0, n);
    }
    h = b.t(aten, h, ax, null);
    if (reverse) h = b.t('aten::flip', h, [ax]);
    return b.out(h, dtype);
  };
}
