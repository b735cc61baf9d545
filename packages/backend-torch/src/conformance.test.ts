/**
 * Every kernel the torch backend maps to ATen, checked against the cpu backend's kernel on the
 * same random inputs: broadcasting, empty and odd shapes, and strided (non-contiguous) ATen
 * inputs. Native kernels run strictly (no cpu fallback), so a wrong mapping cannot hide.
 */
import { tf } from '@neuralzoo/core';
import { nativeKernelNames, setStrictNative } from './index';

type DType = 'float32' | 'int32' | 'bool';
/** An input: shape, dtype, value range [lo, hi] (floats uniform, ints inclusive). */
type In = { shape: number[]; dtype?: DType; lo?: number; hi?: number; values?: number[] };
type Case = { inputs: Record<string, In | In[]> | In[]; attrs?: Record<string, unknown>; label?: string };

const F = (shape: number[], lo = -2, hi = 2): In => ({ shape, lo, hi });
const I = (shape: number[], lo = -5, hi = 5): In => ({ shape, dtype: 'int32', lo, hi });
const B = (shape: number[]): In => ({ shape, dtype: 'bool' });
const V = (values: number[], shape: number[], dtype: DType = 'int32'): In => ({ shape, dtype, values });

let seed = 1234;
function rand(): number {
  // xorshift: reproducible inputs
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) % 1_000_000) / 1_000_000;
}

function values(x: In): number[] {
  if (x.values) return x.values;
  const n = x.shape.reduce((a, b) => a * b, 1);
  const lo = x.lo ?? -2;
  const hi = x.hi ?? 2;
  return Array.from({ length: n }, () => {
    if (x.dtype === 'bool') return rand() < 0.5 ? 1 : 0;
    if (x.dtype === 'int32') return Math.floor(lo + rand() * (hi - lo + 1));
    return lo + rand() * (hi - lo);
  });
}

const UNARY_SHAPES = [[2, 3], [], [0], [3, 1, 5]];
const unary = (lo = -2, hi = 2): Case[] => UNARY_SHAPES.map((s) => ({ inputs: { x: F(s, lo, hi) } }));
const binaryShapes: [number[], number[]][] = [[[2, 3], [2, 3]], [[2, 1, 3], [4, 3]], [[0, 3], [1, 3]], [[], [3, 2]], [[5], [1]]];
const binary = (make: (s: number[]) => In = (s) => F(s)): Case[] => binaryShapes.map(([a, b]) => ({ inputs: { a: make(a), b: make(b) } }));
const pool = { filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
const conv = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', dilations: [1, 1] };
const conv3 = { strides: [1, 1, 1], pad: 'same', dataFormat: 'NDHWC', dilations: [1, 1, 1] };
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
/** Floats with many ties (few distinct levels), NaN at every `nanEvery`-th cell when given. */
const T = (shape: number[], nanEvery = 0): In =>
  V(Array.from({ length: size(shape) }, (_, i) => (nanEvery && i % nanEvery === 3 ? NaN : ((i * 7) % 5) - 2)), shape, 'float32');
const pool3 = (filterSize: number[] | number, strides: number[] | number, pad: string | number, dimRoundingMode?: string) => ({ filterSize, strides, pad, dimRoundingMode, dataFormat: 'NDHWC' });
/** 3-D pooling cases: [input shape, attrs] (output shapes follow TF.js's rules). */
const POOL3: [number[], ReturnType<typeof pool3>][] = [
  [[2, 4, 6, 5, 3], pool3(2, 2, 'valid')],
  [[1, 5, 5, 5, 2], pool3(3, 2, 'same')],
  [[1, 4, 5, 6, 2], pool3([2, 3, 3], [1, 2, 2], 'same')],
  [[1, 5, 5, 7, 1], pool3(2, 2, 0, 'ceil')],
  [[1, 3, 4, 4, 2], pool3([2, 2, 2], [2, 1, 1], 1)],
  [[1, 6, 5, 7, 1], pool3(1, [4, 3, 3], 'same')], // stride > window: 'same' skips leading cells
];
const pool3Out = (shape: number[], a: ReturnType<typeof pool3>) =>
  tf.backend_util.computePool3DInfo(shape as [number, number, number, number, number], a.filterSize as number, a.strides as number, 1,
    a.pad as 'valid', a.dimRoundingMode as 'ceil').outShape;

type DilAttrs = { strides: number[]; pad: string; dilations: number[] };
/** Dilation2D cases: [x shape, filter shape, attrs] (ties and NaN: DIL_TIES). */
const DIL: [number[], number[], DilAttrs][] = [
  [[2, 5, 5, 3], [3, 3, 3], { strides: [1, 1], pad: 'same', dilations: [1, 1] }],
  [[1, 6, 7, 2], [2, 3, 2], { strides: [2, 2], pad: 'same', dilations: [1, 1] }],
  [[1, 7, 6, 2], [2, 2, 2], { strides: [1, 1], pad: 'valid', dilations: [2, 2] }],
  [[1, 6, 6, 1], [3, 2, 1], { strides: [2, 3], pad: 'valid', dilations: [1, 1] }],
];
// equal values in every window (a zero filter over few levels), NaN in x: the first max wins
const DIL_TIES = { x: T([1, 5, 5, 2], 4), filter: V(new Array(8).fill(0), [2, 2, 2], 'float32'), dy: F([1, 5, 5, 2]) };
const DIL_TIES_ATTRS = { strides: [1, 1], pad: 'same', dilations: [1, 1] };
const dilOut = (x: number[], f: number[], a: DilAttrs) =>
  tf.backend_util.computeDilation2DInfo(x as [number, number, number, number], f as [number, number, number], a.strides as [number, number],
    a.pad as 'same', 'NHWC', a.dilations as [number, number]).outShape;

type NmsAttrs = { maxOutputSize: number; iouThreshold: number; scoreThreshold: number };
/**
 * NMS cases: random overlapping boxes (corners in either order), equal scores (ties go to the
 * lower index), zero-area boxes, a score threshold that drops candidates, fewer boxes than
 * maxOutputSize (V4 pads), none above the threshold.
 */
const NMS: [In, In, NmsAttrs][] = [
  [F([24, 4], 0, 1), F([24], 0, 1), { maxOutputSize: 10, iouThreshold: 0.3, scoreThreshold: 0.2 }],
  [F([30, 4], 0, 1), V(Array.from({ length: 30 }, (_, i) => [0.5, 0.9, 0.25][i % 3]), [30], 'float32'), { maxOutputSize: 30, iouThreshold: 0.1, scoreThreshold: -Infinity }],
  [V([0, 0, 1, 1, 0, 0, 1, 1, 0.5, 0.5, 0.5, 0.9, 1, 1, 0, 0, 0.1, 0.1, 0.9, 1.1], [5, 4], 'float32'), V([0.9, 0.9, 0.8, 0.7, 0.95], [5], 'float32'),
    { maxOutputSize: 8, iouThreshold: 0.5, scoreThreshold: 0 }],
  [F([6, 4], 0, 1), F([6], 0, 0.5), { maxOutputSize: 3, iouThreshold: 0.6, scoreThreshold: 0.6 }],
];

/** Sorted segment ids with gaps and repeats, repeated indices, int and float data, no rows at all. */
const SPARSE_SEGMENT: Case[] = [
  { inputs: { data: F([5, 3]), indices: V([0, 4, 2, 2, 1, 3], [6]), segmentIds: V([0, 0, 2, 2, 2, 5], [6]) } },
  { inputs: { data: I([4, 2, 2], -9, 9), indices: V([3, 1, 0, 3], [4]), segmentIds: V([1, 1, 1, 3], [4]) } },
  { inputs: { data: F([6]), indices: V([5, 0, 1], [3]), segmentIds: V([0, 1, 1], [3]) } },
  { inputs: { data: F([3, 2]), indices: V([], [0]), segmentIds: V([], [0]) } },
];

const CASES: Record<string, Case[]> = {
  Identity: [{ inputs: { x: F([2, 3]) } }],
  Abs: [...unary(), { inputs: { x: I([4]) } }],
  Acos: unary(-0.99, 0.99),
  Acosh: unary(1.01, 4),
  Asin: unary(-0.99, 0.99),
  Asinh: unary(),
  Atan: unary(),
  Atanh: unary(-0.99, 0.99),
  Ceil: unary(),
  Cos: unary(),
  Cosh: unary(),
  Erf: unary(),
  Exp: [...unary(), { inputs: { x: I([4]) } }],
  Expm1: unary(),
  Floor: unary(),
  Log: unary(0.01, 5),
  Log1p: unary(-0.9, 5),
  Neg: [...unary(), { inputs: { x: I([4]) } }],
  Reciprocal: unary(0.5, 3),
  Round: [{ inputs: { x: V([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.3, -0.7], [8], 'float32') } }, ...unary()],
  Rsqrt: unary(0.1, 4),
  Sigmoid: unary(-8, 8),
  Sin: unary(),
  Sinh: unary(),
  Sqrt: unary(0, 4),
  Square: [...unary(), { inputs: { x: I([4]) } }],
  Tan: unary(-1.2, 1.2),
  Tanh: unary(-4, 4),
  Relu: [...unary(), { inputs: { x: I([5]) } }],
  Relu6: [...unary(-3, 9)],
  Selu: unary(),
  Elu: unary(),
  Softplus: unary(-30, 30),
  IsNan: [{ inputs: { x: V([NaN, 1, Infinity, -Infinity, 0], [5], 'float32') } }],
  IsInf: [{ inputs: { x: V([NaN, 1, Infinity, -Infinity, 0], [5], 'float32') } }],
  IsFinite: [{ inputs: { x: V([NaN, 1, Infinity, -Infinity, 0], [5], 'float32') } }],
  LogicalNot: [{ inputs: { x: B([2, 3]) } }],
  Sign: [{ inputs: { x: V([NaN, -2, 0, 3], [4], 'float32') } }, ...unary()],
  LeakyRelu: UNARY_SHAPES.map((s) => ({ inputs: { x: F(s) }, attrs: { alpha: 0.1 } })),
  Step: [{ inputs: { x: V([NaN, -2, 0, 3], [4], 'float32') }, attrs: { alpha: 0.3 } }],
  ClipByValue: UNARY_SHAPES.map((s) => ({ inputs: { x: F(s) }, attrs: { clipValueMin: -0.5, clipValueMax: 1 } })),
  Prelu: [{ inputs: { x: F([2, 3, 4]), alpha: F([4]) } }, { inputs: { x: F([5]), alpha: F([1]) } }],
  EluGrad: [{ inputs: { dy: F([2, 3]), y: F([2, 3]) } }],
  Cast: [
    { inputs: { x: F([2, 3]) }, attrs: { dtype: 'int32' } },
    { inputs: { x: I([4]) }, attrs: { dtype: 'float32' } },
    { inputs: { x: I([4]) }, attrs: { dtype: 'bool' } },
    { inputs: { x: B([4]) }, attrs: { dtype: 'float32' } },
    { inputs: { x: F([0]) }, attrs: { dtype: 'int32' } },
  ],
  Add: [...binary(), ...binary((s) => I(s))],
  Sub: [...binary(), ...binary((s) => I(s))],
  Multiply: [...binary(), ...binary((s) => I(s))],
  RealDiv: binary((s) => F(s, 0.5, 3)),
  FloorDiv: [...binary((s) => F(s, 0.5, 3)), ...binary((s) => I(s, 1, 9))],
  Maximum: [...binary(), ...binary((s) => I(s))],
  Minimum: [...binary(), ...binary((s) => I(s))],
  Pow: [...binary((s) => F(s, 0.5, 2)), { inputs: { a: I([4], 1, 4), b: I([4], 0, 3) } }],
  SquaredDifference: binary(),
  Mod: [...binary((s) => F(s, 0.5, 3)), { inputs: { a: I([6], -7, 7), b: I([6], 1, 4) } }],
  Atan2: binary(),
  Equal: binary((s) => I(s, 0, 2)),
  NotEqual: binary((s) => I(s, 0, 2)),
  Greater: binary(),
  GreaterEqual: binary((s) => I(s, 0, 2)),
  Less: binary(),
  LessEqual: binary((s) => I(s, 0, 2)),
  LogicalAnd: binaryShapes.map(([a, b]) => ({ inputs: { a: B(a), b: B(b) } })),
  LogicalOr: binaryShapes.map(([a, b]) => ({ inputs: { a: B(a), b: B(b) } })),
  BitwiseAnd: [{ inputs: { a: I([6], 0, 255), b: I([6], 0, 255) } }],
  AddN: [{ inputs: [F([2, 3]), F([2, 3]), F([2, 3])] }],
  // (a rank-1 condition over rows is left out: tf.where broadcasts the condition before the
  // kernel, and the cpu kernel reads t[i] instead of t[i, j] there)
  Select: [{ inputs: { condition: B([2, 3]), t: F([2, 3]), e: F([2, 3]) } }, { inputs: { condition: B([0]), t: F([0]), e: F([0]) } }],
  Sum: [
    { inputs: { x: F([2, 3, 4]) }, attrs: { axis: [1], keepDims: false } },
    { inputs: { x: F([2, 3, 4]) }, attrs: { axis: [0, 2], keepDims: true } },
    { inputs: { x: I([3, 4]) }, attrs: { axis: [1], keepDims: false } },
    { inputs: { x: F([0, 3]) }, attrs: { axis: [0], keepDims: false } },
  ],
  Mean: [
    { inputs: { x: F([2, 3, 4]) }, attrs: { axis: [1], keepDims: false } },
    { inputs: { x: F([2, 3, 4]) }, attrs: { axis: [0, 2], keepDims: true } },
  ],
  Max: [
    { inputs: { x: F([2, 3, 4]) }, attrs: { reductionIndices: [1], keepDims: false } },
    { inputs: { x: I([3, 4]) }, attrs: { reductionIndices: [0, 1], keepDims: true } },
  ],
  Min: [
    { inputs: { x: F([2, 3, 4]) }, attrs: { axis: [2], keepDims: false } },
    { inputs: { x: I([3, 4]) }, attrs: { axis: [0], keepDims: true } },
  ],
  Prod: [{ inputs: { x: F([2, 3, 4], 0.5, 1.5) }, attrs: { axis: [1, 2], keepDims: false } }],
  All: [{ inputs: { x: B([3, 4]) }, attrs: { axis: [1], keepDims: false } }],
  Any: [{ inputs: { x: B([3, 4]) }, attrs: { axis: [0, 1], keepDims: true } }],
  ArgMax: [{ inputs: { x: F([3, 5]) }, attrs: { axis: 1 } }, { inputs: { x: F([4, 2, 3]) }, attrs: { axis: 0 } }],
  ArgMin: [{ inputs: { x: F([3, 5]) }, attrs: { axis: 1 } }],
  Cumsum: [
    { inputs: { x: F([3, 4]) }, attrs: { axis: 1, exclusive: false, reverse: false } },
    { inputs: { x: F([3, 4]) }, attrs: { axis: 0, exclusive: true, reverse: true } },
    { inputs: { x: I([5]) }, attrs: { axis: 0, exclusive: true, reverse: false } },
  ],
  Cumprod: [{ inputs: { x: F([3, 4], 0.5, 1.5) }, attrs: { axis: 1, exclusive: true, reverse: false } }],
  Softmax: [{ inputs: { logits: F([3, 5], -5, 5) }, attrs: { dim: -1 } }, { inputs: { logits: F([2, 2, 7]) }, attrs: { dim: 2 } }],
  Reshape: [{ inputs: { x: F([2, 3, 4]) }, attrs: { shape: [4, -1] } }, { inputs: { x: F([0, 3]) }, attrs: { shape: [3, 0] } }],
  ExpandDims: [{ inputs: { input: F([2, 3]) }, attrs: { dim: 1 } }, { inputs: { input: F([2, 3]) }, attrs: { dim: -1 } }],
  Transpose: [{ inputs: { x: F([2, 3, 4]) }, attrs: { perm: [2, 0, 1] } }],
  Slice: [{ inputs: { x: F([4, 5, 3]) }, attrs: { begin: [1, 0, 1], size: [2, -1, 2] } }, { inputs: { x: F([4]) }, attrs: { begin: [2], size: [0] } }],
  StridedSlice: [
    { inputs: { x: F([6, 5]) }, attrs: { begin: [1, 0], end: [5, 5], strides: [2, 2], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 } },
    { inputs: { x: F([6, 5]) }, attrs: { begin: [5, 4], end: [0, 0], strides: [-2, -1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 } },
    { inputs: { x: F([6, 5]) }, attrs: { begin: [1, 2], end: [3, 3], strides: [1, 1], beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 2 } },
  ],
  Concat: [{ inputs: [F([2, 3]), F([2, 1]), F([2, 0])], attrs: { axis: 1 } }, { inputs: [I([1, 3]), I([2, 3])], attrs: { axis: 0 } }],
  Pack: [{ inputs: [F([2, 3]), F([2, 3])], attrs: { axis: 1 } }],
  Unpack: [{ inputs: { value: F([3, 2, 4]) }, attrs: { axis: 1 } }],
  SplitV: [{ inputs: { x: F([6, 4]) }, attrs: { numOrSizeSplits: [1, 2, 3], axis: 0 } }, { inputs: { x: F([2, 4]) }, attrs: { numOrSizeSplits: 2, axis: -1 } }],
  Tile: [{ inputs: { x: F([2, 3]) }, attrs: { reps: [2, 3] } }, { inputs: { x: I([3]) }, attrs: { reps: [0] } }],
  PadV2: [{ inputs: { x: F([2, 3]) }, attrs: { paddings: [[1, 0], [2, 1]], constantValue: 0.5 } }],
  Reverse: [{ inputs: { x: F([2, 3, 4]) }, attrs: { dims: [0, 2] } }],
  GatherV2: [
    { inputs: { x: F([5, 3]), indices: I([4], 0, 4) }, attrs: { axis: 0, batchDims: 0 } },
    { inputs: { x: F([2, 5, 3]), indices: I([2, 2], 0, 4) }, attrs: { axis: 1, batchDims: 0 } },
  ],
  GatherNd: [{ inputs: { params: F([4, 3, 2]), indices: I([5, 2], 0, 2) } }],
  ScatterNd: [{ inputs: { indices: V([0, 2, 0], [3, 1]), updates: F([3, 4]) }, attrs: { shape: [3, 4] } }],
  TensorScatterUpdate: [{ inputs: { tensor: F([4, 3]), indices: V([3, 1], [2, 1]), updates: F([2, 3]) } }],
  UnsortedSegmentSum: [{ inputs: { x: F([6, 3]), segmentIds: V([0, 2, 0, 1, 2, 2], [6]) }, attrs: { numSegments: 4 } }],
  OneHot: [{ inputs: { indices: V([0, 2, -1, 1], [4]) }, attrs: { depth: 3, onValue: 1, offValue: 0, dtype: 'int32' } },
    { inputs: { indices: V([1, 0], [2]) }, attrs: { depth: 4, onValue: 0.9, offValue: 0.1, dtype: 'float32' } }],
  Fill: [{ inputs: {}, attrs: { shape: [2, 3], value: 1.5, dtype: 'float32' } }, { inputs: {}, attrs: { shape: [4], value: 7, dtype: 'int32' } }],
  ZerosLike: [{ inputs: { x: F([2, 3]) } }, { inputs: { x: I([3]) } }],
  OnesLike: [{ inputs: { x: F([2, 3]) } }],
  Range: [
    { inputs: {}, attrs: { start: 0, stop: 5, step: 1, dtype: 'int32' } },
    { inputs: {}, attrs: { start: -2, stop: -7, step: 1, dtype: 'float32' } },
    { inputs: {}, attrs: { start: 1, stop: 2.6, step: 0.3, dtype: 'float32' } },
    { inputs: {}, attrs: { start: 3, stop: 3, step: 1, dtype: 'float32' } },
  ],
  LinSpace: [{ inputs: {}, attrs: { start: -1, stop: 2, num: 7 } }],
  Einsum: [{ inputs: [F([2, 3]), F([3, 4])], attrs: { equation: 'ij,jk->ik' } }, { inputs: [F([2, 3, 4])], attrs: { equation: 'bij->bji' } }],
  TopK: [{ inputs: { x: V([1, 3, 3, 2, 5, 1], [2, 3], 'float32') }, attrs: { k: 2, sorted: true } }, { inputs: { x: F([3, 7]) }, attrs: { k: 3, sorted: true } }],
  BatchMatMul: [
    { inputs: { a: F([2, 3, 4]), b: F([2, 4, 5]) }, attrs: { transposeA: false, transposeB: false } },
    { inputs: { a: F([4, 3]), b: F([5, 4]) }, attrs: { transposeA: true, transposeB: true } },
    { inputs: { a: F([1, 3, 4]), b: F([3, 4, 2]) }, attrs: { transposeA: false, transposeB: false } },
    { inputs: { a: F([0, 4]), b: F([4, 2]) }, attrs: { transposeA: false, transposeB: false } },
  ],
  _FusedMatMul: [
    { inputs: { a: F([3, 4]), b: F([4, 5]), bias: F([5]) }, attrs: { transposeA: false, transposeB: false, activation: 'relu' } },
    { inputs: { a: F([4, 3]), b: F([5, 4]), bias: F([5]), preluActivationWeights: F([5]) }, attrs: { transposeA: true, transposeB: true, activation: 'prelu' } },
    { inputs: { a: F([3, 4]), b: F([4, 5]) }, attrs: { transposeA: false, transposeB: false, activation: 'leakyrelu', leakyreluAlpha: 0.3 } },
  ],
  Conv2D: [
    { inputs: { x: F([2, 5, 5, 3]), filter: F([3, 3, 3, 4]) }, attrs: conv },
    { inputs: { x: F([1, 6, 7, 2]), filter: F([2, 3, 2, 3]) }, attrs: { ...conv, strides: [2, 2] } },
    { inputs: { x: F([1, 7, 7, 2]), filter: F([3, 3, 2, 2]) }, attrs: { ...conv, pad: 'valid', dilations: [2, 2] } },
    { inputs: { x: F([1, 3, 5, 5]), filter: F([3, 3, 3, 2]) }, attrs: { ...conv, dataFormat: 'NCHW' } },
  ],
  DepthwiseConv2dNative: [{ inputs: { x: F([2, 5, 5, 3]), filter: F([3, 3, 3, 2]) }, attrs: conv }],
  FusedConv2D: [{ inputs: { x: F([2, 5, 5, 3]), filter: F([3, 3, 3, 4]), bias: F([4]) }, attrs: { ...conv, activation: 'relu' } }],
  FusedDepthwiseConv2D: [{ inputs: { x: F([2, 5, 5, 3]), filter: F([3, 3, 3, 2]), bias: F([6]) }, attrs: { ...conv, activation: 'elu' } }],
  Conv2DBackpropInput: [
    { inputs: { dy: F([2, 5, 5, 4]), filter: F([3, 3, 3, 4]) }, attrs: { ...conv, inputShape: [2, 5, 5, 3] } },
    { inputs: { dy: F([1, 3, 4, 3]), filter: F([2, 3, 2, 3]) }, attrs: { ...conv, strides: [2, 2], inputShape: [1, 6, 7, 2] } },
    // asymmetric 'same' padding (even window), padded explicitly
    { inputs: { dy: F([2, 3, 4, 2]), filter: F([2, 2, 3, 2]) }, attrs: { ...conv, inputShape: [2, 3, 4, 3] } },
    // a stride that leaves the last input row and column out of every window
    { inputs: { dy: F([1, 2, 2, 2]), filter: F([3, 3, 2, 2]) }, attrs: { ...conv, pad: 'valid', strides: [2, 2], inputShape: [1, 6, 6, 2] } },
    { inputs: { dy: F([1, 2, 5, 5]), filter: F([3, 3, 3, 2]) }, attrs: { ...conv, dataFormat: 'NCHW', inputShape: [1, 3, 5, 5] } },
  ],
  DepthwiseConv2dNativeBackpropInput: [{ inputs: { dy: F([2, 5, 5, 6]), filter: F([3, 3, 3, 2]) }, attrs: { ...conv, inputShape: [2, 5, 5, 3] } }],
  Conv2DBackpropFilter: [
    { inputs: { x: F([2, 5, 5, 3]), dy: F([2, 5, 5, 4]) }, attrs: { ...conv, filterShape: [3, 3, 3, 4] } },
    { inputs: { x: F([1, 6, 7, 2]), dy: F([1, 3, 4, 3]) }, attrs: { ...conv, strides: [2, 2], filterShape: [2, 3, 2, 3] } },
    { inputs: { x: F([2, 3, 4, 3]), dy: F([2, 3, 4, 2]) }, attrs: { ...conv, filterShape: [2, 2, 3, 2] } },
    { inputs: { x: F([1, 6, 6, 2]), dy: F([1, 2, 2, 2]) }, attrs: { ...conv, pad: 'valid', strides: [2, 2], filterShape: [3, 3, 2, 2] } },
  ],
  DepthwiseConv2dNativeBackpropFilter: [{ inputs: { x: F([2, 5, 5, 3]), dy: F([2, 5, 5, 6]) }, attrs: { ...conv, filterShape: [3, 3, 3, 2] } }],
  MaxPool: [
    { inputs: { x: F([2, 4, 6, 3]) }, attrs: pool },
    { inputs: { x: F([1, 5, 5, 2]) }, attrs: { filterSize: [3, 3], strides: [2, 2], pad: 'same' } },
  ],
  AvgPool: [
    { inputs: { x: F([2, 4, 6, 3]) }, attrs: pool },
    { inputs: { x: F([1, 5, 5, 2]) }, attrs: { filterSize: [3, 3], strides: [2, 2], pad: 'same' } },
  ],
  MaxPoolGrad: [{ inputs: { dy: F([2, 2, 3, 3]), input: F([2, 4, 6, 3]), output: F([2, 2, 3, 3]) }, attrs: pool }],
  AvgPoolGrad: [
    { inputs: { dy: F([2, 2, 3, 3]), input: F([2, 4, 6, 3]) }, attrs: pool },
    { inputs: { dy: F([1, 3, 3, 2]), input: F([1, 5, 5, 2]) }, attrs: { filterSize: [3, 3], strides: [2, 2], pad: 'same' } },
  ],
  FusedBatchNorm: [{ inputs: { x: F([2, 3, 4]), mean: F([4]), variance: F([4], 0.5, 2), offset: F([4]), scale: F([4]) }, attrs: { varianceEpsilon: 1e-3 } }],
  ResizeBilinear: [
    { inputs: { images: F([1, 3, 4, 2]) }, attrs: { alignCorners: true, halfPixelCenters: false, size: [5, 7] } },
    { inputs: { images: F([1, 3, 4, 2]) }, attrs: { alignCorners: false, halfPixelCenters: true, size: [6, 8] } },
  ],
  // square images: the cpu kernel labels its output [batch, width, height, depth]
  ResizeBilinearGrad: [
    { inputs: { images: F([1, 4, 4, 2]), dy: F([1, 5, 7, 2]) }, attrs: { alignCorners: true, halfPixelCenters: false } },
    { inputs: { images: F([2, 3, 3, 1]), dy: F([2, 6, 8, 1]) }, attrs: { alignCorners: true, halfPixelCenters: false } },
  ],
  ResizeNearestNeighbor: [
    { inputs: { images: F([1, 3, 4, 2]) }, attrs: { alignCorners: false, halfPixelCenters: false, size: [6, 8] } },
    { inputs: { images: F([1, 5, 4, 2]) }, attrs: { alignCorners: false, halfPixelCenters: false, size: [3, 7] } },
    { inputs: { images: F([1, 3, 4, 2]) }, attrs: { alignCorners: false, halfPixelCenters: true, size: [7, 5] } },
  ],
  ResizeNearestNeighborGrad: [
    { inputs: { images: F([1, 3, 4, 2]), dy: F([1, 6, 8, 2]) }, attrs: { alignCorners: false, halfPixelCenters: false } },
    { inputs: { images: F([1, 3, 4, 2]), dy: F([1, 7, 5, 2]) }, attrs: { alignCorners: false, halfPixelCenters: true } },
  ],
  Conv3D: [
    { inputs: { x: F([2, 4, 5, 3, 2]), filter: F([3, 3, 3, 2, 3]) }, attrs: conv3 },
    // asymmetric 'same' padding (even windows): padded explicitly
    { inputs: { x: F([1, 5, 6, 4, 2]), filter: F([2, 2, 3, 2, 2]) }, attrs: conv3 },
    { inputs: { x: F([1, 6, 5, 7, 1]), filter: F([2, 3, 2, 1, 2]) }, attrs: { ...conv3, pad: 'valid', strides: [2, 2, 3] } },
    { inputs: { x: F([1, 5, 5, 6, 2]), filter: F([2, 2, 2, 2, 1]) }, attrs: { ...conv3, pad: 'valid', dilations: [2, 1, 2] } },
    { inputs: { x: F([2, 3, 4, 3, 2]), filter: F([3, 2, 3, 2, 2]) }, attrs: { ...conv3, pad: 1, strides: [1, 2, 1] } },
    // stride > window with 'same': a negative leading pad
    { inputs: { x: F([1, 5, 4, 6, 1]), filter: F([1, 1, 1, 1, 2]) }, attrs: { ...conv3, strides: [3, 3, 4] } },
    { inputs: { x: I([1, 3, 3, 3, 2]), filter: I([2, 2, 2, 2, 2]) }, attrs: conv3 },
  ],
  Conv3DBackpropInputV2: [
    { inputs: { dy: F([2, 4, 5, 3, 3]), filter: F([3, 3, 3, 2, 3]) }, attrs: { ...conv3, inputShape: [2, 4, 5, 3, 2] } },
    { inputs: { dy: F([1, 5, 6, 4, 2]), filter: F([2, 2, 3, 2, 2]) }, attrs: { ...conv3, inputShape: [1, 5, 6, 4, 2] } },
    { inputs: { dy: F([1, 3, 2, 2, 2]), filter: F([2, 3, 2, 1, 2]) }, attrs: { ...conv3, pad: 'valid', strides: [2, 2, 3], inputShape: [1, 6, 5, 7, 1] } },
    { inputs: { dy: F([1, 3, 3, 2, 2]), filter: F([3, 2, 3, 2, 2]) }, attrs: { ...conv3, strides: [2, 2, 3], inputShape: [1, 5, 6, 4, 2] } },
    { inputs: { dy: F([1, 2, 2, 2, 2]), filter: F([1, 1, 1, 1, 2]) }, attrs: { ...conv3, strides: [3, 3, 4], inputShape: [1, 5, 4, 6, 1] } },
  ],
  Conv3DBackpropFilterV2: [
    { inputs: { x: F([2, 4, 5, 3, 2]), dy: F([2, 4, 5, 3, 3]) }, attrs: { ...conv3, filterShape: [3, 3, 3, 2, 3] } },
    { inputs: { x: F([1, 5, 6, 4, 2]), dy: F([1, 5, 6, 4, 2]) }, attrs: { ...conv3, filterShape: [2, 2, 3, 2, 2] } },
    { inputs: { x: F([1, 6, 5, 7, 1]), dy: F([1, 3, 2, 2, 2]) }, attrs: { ...conv3, pad: 'valid', strides: [2, 2, 3], filterShape: [2, 3, 2, 1, 2] } },
    { inputs: { x: F([1, 5, 6, 4, 2]), dy: F([1, 3, 3, 2, 2]) }, attrs: { ...conv3, strides: [2, 2, 3], filterShape: [3, 2, 3, 2, 2] } },
    { inputs: { x: F([1, 5, 4, 6, 1]), dy: F([1, 2, 2, 2, 2]) }, attrs: { ...conv3, strides: [3, 3, 4], filterShape: [1, 1, 1, 1, 2] } },
  ],
  MaxPool3D: [
    ...POOL3.map(([shape, attrs]) => ({ inputs: { x: F(shape) }, attrs })),
    { inputs: { x: T([1, 4, 4, 4, 2], 5) }, attrs: pool3(2, 2, 'same'), label: 'NaN skipped' },
    { inputs: { x: I([1, 3, 4, 4, 2]) }, attrs: pool3(2, 1, 'valid') },
  ],
  AvgPool3D: [
    ...POOL3.map(([shape, attrs]) => ({ inputs: { x: F(shape) }, attrs })),
    { inputs: { x: I([1, 3, 4, 4, 2]) }, attrs: pool3(3, 1, 'same') },
  ],
  AvgPool3DGrad: POOL3.map(([shape, attrs]) => ({ inputs: { dy: F(pool3Out(shape, attrs)), input: F(shape) }, attrs })),
  MaxPool3DGrad: [
    // (windows with fh != fw run on the fallback: see kernels-extra.ts)
    ...POOL3.filter(([, a]) => typeof a.filterSize === 'number' || a.filterSize[1] === a.filterSize[2])
      .map(([shape, attrs]) => ({ inputs: { dy: F(pool3Out(shape, attrs)), input: F(shape), output: F(pool3Out(shape, attrs)) }, attrs })),
    // ties go to the last cell, NaN never wins
    ...[pool3(2, 1, 'valid'), pool3([3, 2, 2], 2, 'same')].map((attrs) => ({
      inputs: { dy: F(pool3Out([1, 4, 5, 5, 2], attrs)), input: T([1, 4, 5, 5, 2], 4), output: F(pool3Out([1, 4, 5, 5, 2], attrs)) }, attrs })),
  ],
  MirrorPad: [
    { inputs: { x: F([3, 4]) }, attrs: { paddings: [[2, 1], [3, 3]], mode: 'reflect' } },
    { inputs: { x: F([3, 4]) }, attrs: { paddings: [[3, 1], [0, 4]], mode: 'symmetric' } },
    { inputs: { x: I([2, 3, 2]) }, attrs: { paddings: [[1, 1], [0, 2], [1, 0]], mode: 'reflect' } },
    { inputs: { x: F([5]) }, attrs: { paddings: [[0, 0]], mode: 'symmetric' } },
  ],
  DepthToSpace: [
    { inputs: { x: F([2, 2, 3, 8]) }, attrs: { blockSize: 2, dataFormat: 'NHWC' } },
    { inputs: { x: I([1, 1, 2, 18]) }, attrs: { blockSize: 3, dataFormat: 'NHWC' } },
  ],
  SpaceToBatchND: [
    { inputs: { x: F([2, 4, 6, 3]) }, attrs: { blockShape: [2, 3], paddings: [[0, 0], [0, 0]] } },
    { inputs: { x: F([1, 3, 5, 2]) }, attrs: { blockShape: [2, 2], paddings: [[1, 0], [2, 1]] } },
    { inputs: { x: I([2, 5, 1]) }, attrs: { blockShape: [3], paddings: [[0, 1]] } },
  ],
  BatchToSpaceND: [
    { inputs: { x: F([12, 2, 2, 3]) }, attrs: { blockShape: [2, 3], crops: [[0, 0], [0, 0]] } },
    { inputs: { x: F([4, 2, 4, 2]) }, attrs: { blockShape: [2, 2], crops: [[1, 0], [2, 1]] } },
    { inputs: { x: I([6, 2, 1]) }, attrs: { blockShape: [3], crops: [[0, 1]] } },
  ],
  Diag: [{ inputs: { x: F([4]) } }, { inputs: { x: I([2, 3]) } }, { inputs: { x: B([3]) } }],
  FlipLeftRight: [{ inputs: { image: F([2, 3, 5, 3]) } }, { inputs: { image: I([1, 2, 4, 1], 0, 255) } }],
  SearchSorted: ['left', 'right'].flatMap((side) => [
    { inputs: { sortedSequence: V([-1, 0, 0.5, 0.5, 2, 3, -2, -1, 0, 1, 1, 1], [2, 6], 'float32'), values: V([0.5, 1, NaN, -5, 10, 1, 0, 0.5, 3, -2], [2, 5], 'float32') }, attrs: { side } },
    { inputs: { sortedSequence: V([-1, 0, 0.5, 0.5, 2, 3], [1, 6], 'float32'), values: F([1, 7], -3, 4) }, attrs: { side } },
    { inputs: { sortedSequence: V([1, 3, 3, 5, 8], [1, 5]), values: I([1, 6], 0, 9) }, attrs: { side } },
  ]),
  Bincount: [
    { inputs: { x: I([9], 0, 6), weights: F([9]) }, attrs: { size: 5 } },
    { inputs: { x: I([7], 0, 4), weights: F([0]) }, attrs: { size: 6 } },
    { inputs: { x: I([6], 0, 4), weights: I([6]) }, attrs: { size: 4 } },
  ],
  DenseBincount: [
    { inputs: { x: I([9], 0, 6), weights: F([9]) }, attrs: { size: 5, binaryOutput: false } },
    { inputs: { x: I([9], 0, 6), weights: F([0]) }, attrs: { size: 5, binaryOutput: true } },
    { inputs: { x: I([3, 5], 0, 6), weights: F([3, 5]) }, attrs: { size: 5, binaryOutput: false } },
    { inputs: { x: I([3, 5], 0, 6), weights: F([3, 5]) }, attrs: { size: 5, binaryOutput: true } },
    { inputs: { x: I([2, 4], 0, 3), weights: I([0]) }, attrs: { size: 4, binaryOutput: false } },
  ],
  LRNGrad: [
    { inputs: { x: F([2, 3, 3, 7]), y: F([2, 3, 3, 7]), dy: F([2, 3, 3, 7]) }, attrs: { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 } },
    { inputs: { x: F([1, 2, 2, 3]), y: F([1, 2, 2, 3]), dy: F([1, 2, 2, 3]) }, attrs: { depthRadius: 5, bias: 2, alpha: 1e-4, beta: 0.5 } },
  ],
  MaxPoolWithArgmax: [
    { inputs: { x: F([2, 4, 6, 3]) }, attrs: { ...pool, includeBatchInIndex: true } },
    { inputs: { x: F([2, 5, 5, 2]) }, attrs: { filterSize: [3, 3], strides: [2, 2], pad: 'same', includeBatchInIndex: false } },
    { inputs: { x: T([2, 4, 5, 3], 4) }, attrs: { filterSize: [2, 3], strides: [1, 2], pad: 'same', includeBatchInIndex: true }, label: 'ties, NaN' },
    { inputs: { x: I([1, 4, 4, 2]) }, attrs: { ...pool, includeBatchInIndex: false } },
  ],
  Dilation2D: [...DIL.map(([x, f, attrs]) => ({ inputs: { x: F(x), filter: F(f) }, attrs })), { inputs: { x: DIL_TIES.x, filter: DIL_TIES.filter }, attrs: DIL_TIES_ATTRS }],
  Dilation2DBackpropInput: [...DIL.map(([x, f, attrs]) => ({ inputs: { x: F(x), filter: F(f), dy: F(dilOut(x, f, attrs)) }, attrs })), { inputs: DIL_TIES, attrs: DIL_TIES_ATTRS }],
  Dilation2DBackpropFilter: [...DIL.map(([x, f, attrs]) => ({ inputs: { x: F(x), filter: F(f), dy: F(dilOut(x, f, attrs)) }, attrs })), { inputs: DIL_TIES, attrs: DIL_TIES_ATTRS }],
  Unique: [
    { inputs: { x: I([12], 0, 4) }, attrs: { axis: 0 } },
    { inputs: { x: V([2, -0, 1.5, 0, 2, -3, 1.5], [7], 'float32') }, attrs: { axis: 0 } },
    { inputs: { x: V([1, 0, 1, 1, 0, 1, 0, 0, 1], [3, 3]) }, attrs: { axis: 1 } },
    { inputs: { x: V([1, 2, 1, 2, 3, 4, 1, 2], [4, 2]) }, attrs: { axis: 0 } },
    { inputs: { x: I([2, 5, 3], 0, 1) }, attrs: { axis: -1 } },
    { inputs: { x: B([6]) }, attrs: { axis: 0 } },
  ],
  BroadcastArgs: [
    { inputs: { s0: V([2, 1, 3], [3]), s1: V([4, 1], [2]) } },
    { inputs: { s0: V([5], [1]), s1: V([], [0]) } },
  ],
  SparseSegmentSum: SPARSE_SEGMENT,
  SparseSegmentMean: SPARSE_SEGMENT,
  SparseToDense: [
    // repeated index [1, 2]: the last update wins
    { inputs: { sparseIndices: V([0, 1, 1, 2, 2, 0, 1, 2], [4, 2]), sparseValues: F([4]), defaultValue: V([0.5], [], 'float32') }, attrs: { outputShape: [3, 4] } },
    { inputs: { sparseIndices: V([3, 0, 3], [3]), sparseValues: I([3, 2]), defaultValue: V([-1], []) }, attrs: { outputShape: [5, 2] } },
    { inputs: { sparseIndices: V([0, 4], [2]), sparseValues: V([1], [], 'bool'), defaultValue: V([0], [], 'bool') }, attrs: { outputShape: [6] } },
    // TF.js checks the flattened index only: [0, 5] lands on row 1
    { inputs: { sparseIndices: V([0, 5], [1, 2]), sparseValues: F([1]), defaultValue: V([0], [], 'float32') }, attrs: { outputShape: [3, 4] } },
    { inputs: { sparseIndices: V([], [0, 2]), sparseValues: F([0]), defaultValue: V([2], [], 'float32') }, attrs: { outputShape: [2, 3] } },
  ],
  CropAndResize: [
    // boxes inside, partly and wholly outside the image, flipped (y2 < y1), and one whose index
    // is >= batch (the cpu kernel leaves it 0); crop sizes with 1 (the box centre)
    ...(['bilinear', 'nearest'] as const).flatMap((method) => [
      { inputs: { image: F([2, 5, 6, 3]), boxes: V([0, 0, 1, 1, 0.1, 0.2, 0.7, 0.9, -0.3, 0.4, 0.6, 1.5, 0.9, 0.8, 0.2, 0.1, 1.2, -0.5, 1.6, -0.1, 0.2, 0.3, 0.5, 0.5], [6, 4], 'float32'),
        boxInd: V([0, 1, 1, 0, 1, 2], [6]) }, attrs: { cropSize: [4, 3], method, extrapolationValue: -1.5 } },
      { inputs: { image: I([1, 4, 4, 2], -9, 9), boxes: V([0.25, 0.125, 0.75, 0.625, -0.2, 1.1, 1.3, -0.4], [2, 4], 'float32'), boxInd: V([0, 0], [2]) },
        attrs: { cropSize: [1, 3], method, extrapolationValue: 0 } },
      { inputs: { image: F([2, 1, 3, 1]), boxes: V([0, 0, 1, 1, 0.3, 0.2, 0.3, 0.8], [2, 4], 'float32'), boxInd: V([1, 0], [2]) },
        attrs: { cropSize: [2, 1], method, extrapolationValue: 7 } },
      { inputs: { image: F([1, 3, 3, 2]), boxes: V([], [0, 4], 'float32'), boxInd: V([], [0]) }, attrs: { cropSize: [2, 2], method, extrapolationValue: 0 } },
    ]),
  ],
  RotateWithOffset: [
    { inputs: { image: F([2, 5, 6, 3]) }, attrs: { radians: 0.7, fillValue: 0.25, center: 0.5 } },
    { inputs: { image: F([1, 4, 7, 4]) }, attrs: { radians: -2.1, fillValue: [10, 20, 30], center: [0.2, 0.7] } },
    { inputs: { image: F([1, 3, 3, 5]) }, attrs: { radians: Math.PI / 2, fillValue: [1, 2, 3], center: 0.5 } }, // channel 4: NaN fill
    { inputs: { image: F([1, 6, 4, 1]) }, attrs: { radians: 0, fillValue: 0, center: 0 } },
    { inputs: { image: F([1, 1, 1, 2]) }, attrs: { radians: 1, fillValue: -1, center: 0.5 } },
  ],
  Transform: [
    // projective maps (rotation, scale, shear, translation, perspective terms) over every fill
    // mode and both interpolations; batch 2 (the cpu kernel transforms batch 0 only); an output
    // shape; a column where the projection is 0 (fill value)
    ...(['nearest', 'bilinear'] as const).flatMap((interpolation) =>
      (['constant', 'reflect', 'wrap', 'nearest'] as const).flatMap((fillMode) => [
        { inputs: { image: F([2, 5, 6, 3]), transforms: V([0.8, -0.5, 2.3, 0.6, 1.1, -1.7, 0.02, -0.03], [1, 8], 'float32') },
          attrs: { interpolation, fillMode, fillValue: 0.5 } },
        { inputs: { image: F([1, 4, 5, 2]), transforms: V([2.5, 0.3, -6.2, -0.4, 1.9, 3.1, 0, 0], [1, 8], 'float32') },
          attrs: { interpolation, fillMode, fillValue: -2, outputShape: [7, 3] } },
        { inputs: { image: F([1, 1, 4, 2]), transforms: V([1, 0, -2.5, 0, 1, 0.5, -0.5, 0], [1, 8], 'float32') },
          attrs: { interpolation, fillMode, fillValue: 3, outputShape: [2, 5] } },
      ])),
  ],
  SparseReshape: [
    { inputs: { inputIndices: V([0, 0, 1, 0, 1, 2, 1, 2, 0, 3, 3, 5], [4, 3]), inputShape: V([2, 3, 6], [3]), newShape: V([9, -1], [2]) } },
    { inputs: { inputIndices: V([0, 7, 3, 1, 5, 11], [3, 2]), inputShape: V([6, 12], [2]), newShape: V([2, 3, 3, 4], [4]) } },
    { inputs: { inputIndices: V([4, 2, 0], [3, 1]), inputShape: V([5], [1]), newShape: V([-1], [1]) } },
    { inputs: { inputIndices: V([], [0, 2]), inputShape: V([3, 4], [2]), newShape: V([2, 6], [2]) } },
    { inputs: { inputIndices: V([1, 1], [1, 2]), inputShape: V([2, 2], [2]), newShape: V([1, 4, 1], [3]) } },
  ],
  SparseFillEmptyRows: [
    // rows 1, 4 empty; row 3 out of order and repeated (entries keep their input order in a row)
    { inputs: { indices: V([0, 1, 3, 2, 2, 0, 3, 0, 0, 3], [5, 2]), values: F([5]), denseShape: V([6, 4], [2]), defaultValue: V([-7.5], [], 'float32') } },
    // every row full and ordered (the cpu kernel's pass-through path)
    { inputs: { indices: V([0, 0, 1, 1, 1, 2, 2, 0], [4, 2]), values: I([4]), denseShape: V([3, 3], [2]), defaultValue: V([9], []) } },
    { inputs: { indices: V([], [0, 3]), values: F([0]), denseShape: V([3, 2, 2], [3]), defaultValue: V([1], [], 'float32') } },
    { inputs: { indices: V([2, 0, 2], [3, 1]), values: V([1, 0, 1], [3], 'bool'), denseShape: V([4], [1]), defaultValue: V([1], [], 'bool') } },
    { inputs: { indices: V([], [0, 2]), values: F([0]), denseShape: V([0, 5], [2]), defaultValue: V([1], [], 'float32') } },
  ],
  RaggedRange: [
    { inputs: { starts: V([0, 5, 8, 3], [4], 'float32'), limits: V([3, 5, 1, 10], [4], 'float32'), deltas: V([1, 1, -2.5, 0.7], [4], 'float32') } },
    { inputs: { starts: V([0.1], [], 'float32'), limits: V([1.05, -2, 0.1], [3], 'float32'), deltas: V([0.1], [], 'float32') } },
    { inputs: { starts: V([-3, 7, 0], [3]), limits: V([4], []), deltas: V([2, -3, 5], [3]) } },
    { inputs: { starts: V([2], []), limits: V([2], []), deltas: V([1], []) } },
    { inputs: { starts: V([1], []), limits: V([-6], []), deltas: V([-2], []) } },
  ],
  RaggedGather: [
    // rows of one ragged dimension, an empty row, repeated and reordered indices
    { inputs: { paramsNestedSplits: [V([0, 2, 2, 5, 6], [5])], paramsDenseValues: F([6]), indices: V([3, 0, 1, 2, 0], [5]) }, attrs: { outputRaggedRank: 1 } },
    // 2-D indices (an extra uniform splits tensor), int32 values of rank 2
    { inputs: { paramsNestedSplits: [V([0, 1, 3, 4], [4])], paramsDenseValues: I([4, 3]), indices: V([2, 1, 0, 1], [2, 2]) }, attrs: { outputRaggedRank: 2 } },
    // two nested splits (3-D params), float values of rank 2
    { inputs: { paramsNestedSplits: [V([0, 2, 3, 3, 5], [5]), V([0, 1, 4, 4, 6, 9], [6])], paramsDenseValues: F([9, 2]), indices: V([3, 1, 0, 3, 2], [5]) },
      attrs: { outputRaggedRank: 2 } },
    // three nested splits, bool values, 2-D indices
    { inputs: { paramsNestedSplits: [V([0, 1, 3], [3]), V([0, 2, 2, 3], [4]), V([0, 1, 3, 6], [4])], paramsDenseValues: B([6]), indices: V([1, 0, 1, 1], [2, 2]) },
      attrs: { outputRaggedRank: 4 } },
    // a scalar index drops the outer splits; no indices
    { inputs: { paramsNestedSplits: [V([0, 2, 3], [3]), V([0, 3, 3, 5], [4])], paramsDenseValues: I([5]), indices: V([0], []) }, attrs: { outputRaggedRank: 1 } },
    { inputs: { paramsNestedSplits: [V([0, 2, 3], [3])], paramsDenseValues: F([3, 2]), indices: V([], [0]) }, attrs: { outputRaggedRank: 1 } },
  ],
  RaggedTensorToTensor: [
    // row splits, shape [-1, -1] from the widest row, scalar default
    { inputs: { shape: V([-1, -1], [2]), values: F([7]), defaultValue: V([9.5], [], 'float32'), rowPartitionTensors: [V([0, 2, 2, 5, 7], [5])] },
      attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    // a smaller shape truncates rows and columns; a larger one pads
    { inputs: { shape: V([3, 2], [2]), values: I([7]), defaultValue: V([-1], []), rowPartitionTensors: [V([0, 3, 4, 4, 7], [5])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    { inputs: { shape: V([6, -1], [2]), values: I([7]), defaultValue: V([4], []), rowPartitionTensors: [V([0, 3, 4, 4, 7], [5])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    // first dim size and value row ids (empty rows 1 and 4)
    { inputs: { shape: V([-1, -1], [2]), values: F([6]), defaultValue: V([0.25], [], 'float32'), rowPartitionTensors: [V([5], []), V([0, 0, 2, 2, 2, 3], [6])] },
      attrs: { rowPartitionTypes: ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'] } },
    // unsorted row ids: the cpu kernel's copy loop places them by its runs
    { inputs: { shape: V([-1, -1], [2]), values: F([4]), defaultValue: V([7], [], 'float32'), rowPartitionTensors: [V([3], []), V([2, 0, 0, 1], [4])] },
      attrs: { rowPartitionTypes: ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'] } },
    // two ragged dimensions: full, then truncated in both
    { inputs: { shape: V([-1, -1, -1], [3]), values: I([6]), defaultValue: V([-3], []), rowPartitionTensors: [V([0, 2, 3], [3]), V([0, 1, 4, 6], [4])] },
      attrs: { rowPartitionTypes: ['ROW_SPLITS', 'ROW_SPLITS'] } },
    { inputs: { shape: V([2, 1, 2], [3]), values: I([6]), defaultValue: V([-3], []), rowPartitionTensors: [V([0, 2, 3], [3]), V([0, 1, 4, 6], [4])] },
      attrs: { rowPartitionTypes: ['ROW_SPLITS', 'ROW_SPLITS'] } },
    { inputs: { shape: V([-1, -1, 2], [3]), values: F([5]), defaultValue: V([1.5], [], 'float32'), rowPartitionTensors: [V([4], [1]), V([0, 0, 2], [3]), V([0, 1, 1, 1, 2], [5])] },
      attrs: { rowPartitionTypes: ['FIRST_DIM_SIZE', 'VALUE_ROWIDS', 'VALUE_ROWIDS'] } },
    // values of rank 2 and 3: scalar default, [1] default, and defaults the cpu kernel pads with zeros (broadcast)
    { inputs: { shape: V([-1, -1, 2], [3]), values: F([3, 2]), defaultValue: V([0.5], [], 'float32'), rowPartitionTensors: [V([0, 1, 3, 3], [4])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    { inputs: { shape: V([-1, 3, 2], [3]), values: F([3, 2]), defaultValue: V([2], [1], 'float32'), rowPartitionTensors: [V([0, 1, 3, 3], [4])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    { inputs: { shape: V([-1, -1, 2], [3]), values: F([3, 2]), defaultValue: V([1, 2], [2], 'float32'), rowPartitionTensors: [V([0, 1, 3, 3], [4])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    { inputs: { shape: V([-1, -1, 2, 3], [4]), values: I([4, 2, 3]), defaultValue: V([5, 6, 7], [1, 3]), rowPartitionTensors: [V([0, 3, 4], [3])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    // bool values; no values at all
    { inputs: { shape: V([-1, -1], [2]), values: B([3]), defaultValue: V([1], [], 'bool'), rowPartitionTensors: [V([0, 2, 3, 3], [4])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
    { inputs: { shape: V([-1, -1], [2]), values: F([0]), defaultValue: V([1], [], 'float32'), rowPartitionTensors: [V([0, 0, 0], [3])] }, attrs: { rowPartitionTypes: ['ROW_SPLITS'] } },
  ],
  NonMaxSuppressionV3: NMS.map(([boxes, scores, a]) => ({ inputs: { boxes, scores }, attrs: a })),
  NonMaxSuppressionV4: NMS.flatMap(([boxes, scores, a]) => [false, true].map((padToMaxOutputSize) => ({ inputs: { boxes, scores }, attrs: { ...a, padToMaxOutputSize } }))),
  NonMaxSuppressionV5: NMS.flatMap(([boxes, scores, a]) => [0, 0.5, 2].map((softNmsSigma) => ({ inputs: { boxes, scores }, attrs: { ...a, softNmsSigma } }))),
  LRN: [
    { inputs: { x: F([2, 3, 3, 7]) }, attrs: { depthRadius: 2, bias: 1, alpha: 0.5, beta: 0.75 } },
    { inputs: { x: F([1, 2, 2, 3]) }, attrs: { depthRadius: 5, bias: 2, alpha: 1e-4, beta: 0.5 } },
  ],
};

// complex64 kernels take their inputs from Complex (values are made in the test body)
const COMPLEX = new Set(['Complex', 'Real', 'Imag', 'ComplexAbs', 'FFT', 'IFFT']);

type Made = tf.TensorInfo[] | Record<string, tf.TensorInfo | tf.TensorInfo[]>;

function makeInputs(c: Case, make: (x: In) => tf.TensorInfo): Made {
  return Array.isArray(c.inputs) ? c.inputs.map(make) : Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, Array.isArray(v) ? v.map(make) : make(v)]));
}

function expectSame(name: string, got: { shape: number[]; dtype: string; values: ArrayLike<number> }, want: { shape: number[]; dtype: string; values: ArrayLike<number> }) {
  const where = `${name}`;
  expect([where, got.shape]).toEqual([where, want.shape]);
  expect([where, got.dtype]).toEqual([where, want.dtype]);
  expect(got.values.length).toBe(want.values.length);
  for (let i = 0; i < want.values.length; i++) {
    const g = got.values[i];
    const w = want.values[i];
    if (Number.isNaN(w)) {
      if (!Number.isNaN(g)) throw new Error(`${where}[${i}]: got ${g}, cpu NaN`);
      continue;
    }
    if (Math.abs(g - w) > 1e-4 + 1e-4 * Math.abs(w)) throw new Error(`${where}[${i}]: got ${g}, cpu ${w}`);
  }
}

describe('torch kernels match the cpu backend', () => {
  beforeAll(() => {
    setStrictNative(true);
    (tf.findBackend('cpu') as unknown as { firstUse: boolean }).firstUse = false; // no tfjs-node advert
  });
  afterAll(() => setStrictNative(false));

  it('every native kernel has conformance cases', () => {
    const missing = nativeKernelNames().filter((n) => !(n in CASES) && !COMPLEX.has(n));
    expect(missing).toEqual([]);
    expect(nativeKernelNames().length).toBeGreaterThanOrEqual(120);
  });

  const cpu = () => tf.findBackend('cpu')!;
  for (const [name, cases] of Object.entries(CASES)) {
    for (const strided of [false, true]) {
      it(`${name}${strided ? ' (strided ATen inputs)' : ''}`, () => {
        for (const [k, c] of cases.entries()) {
          const label = `${name} case ${k}${strided ? ' strided' : ''}`;
          const data = new Map<In, number[]>();
          const vals = (x: In) => {
            if (!data.has(x)) data.set(x, values(x));
            return data.get(x)!;
          };
          // torch: through the engine, strided inputs as transposed views of their transpose
          const before = tf.memory().numTensors;
          tf.tidy(() => {
            const torchIn = makeInputs(c, (x) => {
              const dtype = x.dtype ?? 'float32';
              if (!strided || x.shape.length < 2) return tf.tensor(vals(x), x.shape, dtype);
              const perm = x.shape.map((_, i) => x.shape.length - 1 - i);
              const t = tf.tensor(vals(x), x.shape, dtype).transpose(perm);
              return tf.engine().runKernel('Transpose', { x: t.clone() }, { perm }) as tf.Tensor; // non-contiguous in ATen
            }) as unknown as tf.NamedTensorMap;
            const out = tf.engine().runKernel(name, torchIn, (c.attrs ?? {}) as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
            const outs = Array.isArray(out) ? out : [out];
            // cpu: its own kernel on the same values
            const cb = cpu();
            const cpuIn = makeInputs(c, (x) => {
              const dtype = x.dtype ?? 'float32';
              const v = dtype === 'float32' ? new Float32Array(vals(x)) : dtype === 'int32' ? new Int32Array(vals(x)) : new Uint8Array(vals(x));
              const info = { dataId: cb.write(v, x.shape, dtype), shape: x.shape, dtype };
              return Object.assign(info, { rank: x.shape.length, size: v.length });
            });
            const ref = tf.getKernel(name, 'cpu')!.kernelFunc({ inputs: cpuIn as tf.NamedTensorInfoMap, backend: cb, attrs: (c.attrs ?? {}) as tf.NamedAttrMap });
            const refs = Array.isArray(ref) ? ref : [ref];
            expect(outs.length).toBe(refs.length);
            outs.forEach((o, i) => {
              expectSame(`${label} output ${i}`, { shape: o.shape, dtype: o.dtype, values: o.dataSync() as ArrayLike<number> },
                { shape: refs[i].shape, dtype: refs[i].dtype, values: cb.readSync(refs[i].dataId) as ArrayLike<number> });
            });
            for (const r of refs) cb.disposeData(r.dataId);
            for (const t of Object.values(cpuIn).flat()) cb.disposeData((t as tf.TensorInfo).dataId);
          });
          expect(tf.memory().numTensors).toBe(before);
        }
      });
    }
  }

  it('ragged inputs the cpu kernel rejects give its error through the fallback', () => {
    setStrictNative(false);
    try {
      const bad: [string, () => unknown][] = [
        ['indices[1] = 3 is not in [0, 3)', () => tf.raggedGather([tf.tensor1d([0, 1, 1, 2], 'int32')], tf.tensor1d([1, 2]), tf.tensor1d([0, 3], 'int32'), 1)],
        ['indices[0] = -1 is not in [0, 3)', () => tf.raggedGather([tf.tensor1d([0, 1, 1, 2], 'int32')], tf.tensor1d([1, 2]), tf.tensor1d([-1], 'int32'), 1)],
        ['Ragged splits must be sorted in ascending order', () => tf.raggedGather([tf.tensor1d([0, 2, 1, 2], 'int32')], tf.tensor1d([1, 2]), tf.tensor1d([0], 'int32'), 1)],
        ['not less than 2', () => tf.raggedTensorToTensor([-1, -1], [1, 2, 3], 0, [tf.scalar(2, 'int32'), tf.tensor1d([0, 1, 2], 'int32')], ['FIRST_DIM_SIZE', 'VALUE_ROWIDS'])],
      ];
      for (const [message, run] of bad) tf.tidy(() => expect(run).toThrow(message));
    } finally {
      setStrictNative(true);
    }
  });

  it('complex kernels (Complex, Real, Imag, ComplexAbs, FFT, IFFT)', () => {
    const re = [1, -2, 0.5, 3, 0, -1];
    const im = [0.5, 1, -2, 0, 4, -0.25];
    tf.tidy(() => {
      const c = tf.complex(tf.tensor(re, [2, 3]), tf.tensor(im, [2, 3]));
      expect(Array.from(tf.real(c).dataSync())).toEqual(re);
      expect(Array.from(tf.imag(c).dataSync())).toEqual(im);
      const abs = tf.abs(c).dataSync();
      re.forEach((r, i) => expect(abs[i]).toBeCloseTo(Math.hypot(r, im[i]), 5));
      // FFT of a row against the DFT sum; IFFT brings it back
      const f = tf.spectral.fft(c);
      const fr = tf.real(f).dataSync();
      const fi = tf.imag(f).dataSync();
      for (let row = 0; row < 2; row++)
        for (let k = 0; k < 3; k++) {
          let sr = 0;
          let si = 0;
          for (let n = 0; n < 3; n++) {
            const a = (-2 * Math.PI * k * n) / 3;
            const [xr, xi] = [re[row * 3 + n], im[row * 3 + n]];
            sr += xr * Math.cos(a) - xi * Math.sin(a);
            si += xr * Math.sin(a) + xi * Math.cos(a);
          }
          expect(fr[row * 3 + k]).toBeCloseTo(sr, 4);
          expect(fi[row * 3 + k]).toBeCloseTo(si, 4);
        }
      const back = tf.spectral.ifft(f);
      tf.real(back).dataSync().forEach((v, i) => expect(v).toBeCloseTo(re[i], 4));
    });
  });
});
