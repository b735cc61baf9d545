/**
 * Conv2D, DepthwiseConv2dNative, FusedConv2D, FusedDepthwiseConv2D and _FusedMatMul cases the stock wasm kernels reject,
 * run as their parts on the wasm backend's own kernels:
 * - dataFormat NCHW (XNNPACK convolves NHWC only): transpose in, convolve NHWC, transpose out;
 * - a bias (or NCHW prelu weights) of rank other than 1: unfused op, then Add and the activation;
 * - a numeric padding with unequal strides: given explicitly (see explicitNumericPad).
 * Every other call goes to the stock kernel unchanged.
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, reshape, transpose, wasmKernel } from './kernel_util';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };
type Stock = tf.KernelFunc;

/**
 * TF.js sizes the output of a numeric padding with the height stride on both axes, XNNPACK with
 * each axis' own stride: for unequal strides XNNPACK then writes past the output buffer and
 * corrupts the wasm heap. The same padding given explicitly is sized per axis by both.
 */
function explicitNumericPad(args: KernelArgs): KernelArgs {
  const { pad, strides, dataFormat } = args.attrs as unknown as { pad: unknown; strides: number | number[]; dataFormat?: string };
  if (typeof pad !== 'number' || typeof strides === 'number' || strides[0] === strides[1]) return args;
  const p = [pad, pad];
  const explicit = dataFormat === 'NCHW' ? [[0, 0], [0, 0], p, p] : [[0, 0], p, p, [0, 0]];
  return { ...args, attrs: { ...args.attrs, pad: explicit } as unknown as tf.NamedAttrMap };
}

const depthwiseConv2d = (stock: Stock) => (args: KernelArgs): TensorInfo => stock(explicitNumericPad(args)) as TensorInfo;

const conv2d = (stock: Stock) => (argsIn: KernelArgs): TensorInfo => {
  const args = explicitNumericPad(argsIn);
  const attrs = args.attrs as unknown as { dataFormat: string };
  if (attrs.dataFormat !== 'NCHW') return stock(args) as TensorInfo;
  const backend = args.backend as WasmBackend;
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const temps: TensorInfo[] = [];
  try {
    const xNhwc = transpose(backend, x, [0, 2, 3, 1]); // [B, C, H, W] -> [B, H, W, C]
    temps.push(xNhwc);
    const { pad } = args.attrs as unknown as { pad: unknown };
    // Explicit padding lists the axes in data order: [[0, 0], [0, 0], top/bottom, left/right].
    const nhwcPad = Array.isArray(pad) ? [pad[0], pad[2], pad[3], pad[1]] : pad;
    const nhwcAttrs = { ...args.attrs, dataFormat: 'NHWC', pad: nhwcPad } as unknown as tf.NamedAttrMap;
    const y = stock({ ...args, inputs: { x: xNhwc, filter }, attrs: nhwcAttrs }) as TensorInfo;
    temps.push(y);
    return transpose(backend, y, [0, 3, 1, 2]); // [B, OH, OW, Co] -> [B, Co, OH, OW]
  } finally {
    disposeAll(backend, temps);
  }
};

interface FusedAttrs {
  dataFormat?: string;
  activation?: string;
  leakyreluAlpha?: number;
}

/** act(y + bias), channels on axis 1 for NCHW (a rank-1 bias or prelu weight then broadcasts there). */
function biasAndActivation(backend: WasmBackend, y: TensorInfo, bias: TensorInfo | undefined,
  prelu: TensorInfo | undefined, attrs: FusedAttrs, temps: TensorInfo[]): TensorInfo {
  const nchw = attrs.dataFormat === 'NCHW';
  const perChannel = (t: TensorInfo) => {
    if (!nchw || t.shape.length !== 1 || t.shape[0] === 1) return t;
    const r = reshape(backend, t, [t.shape[0], 1, 1]);
    temps.push(r);
    return r;
  };
  let out = y;
  if (bias) {
    out = wasmKernel(backend, 'Add', { a: out, b: perChannel(bias) });
    temps.push(out);
  }
  const act = attrs.activation ?? 'linear';
  const simple: Record<string, string> = { relu: 'Relu', relu6: 'Relu6', elu: 'Elu', sigmoid: 'Sigmoid' };
  if (act === 'linear') {
    temps.splice(temps.indexOf(out), 1); // the result: not a temporary
    return out;
  }
  if (simple[act]) return wasmKernel(backend, simple[act], { x: out });
  if (act === 'leakyrelu') return wasmKernel(backend, 'LeakyRelu', { x: out }, { alpha: attrs.leakyreluAlpha ?? 0.2 });
  if (act === 'prelu' && prelu) {
    // relu(y) + alpha * (y - relu(y)) with broadcasting kernels: the stock Prelu takes alpha
    // per last axis only, not the [C, 1, 1] of NCHW.
    const pos = wasmKernel(backend, 'Relu', { x: out });
    temps.push(pos);
    const neg = wasmKernel(backend, 'Sub', { a: out, b: pos });
    temps.push(neg);
    const scaled = wasmKernel(backend, 'Multiply', { a: neg, b: perChannel(prelu) });
    temps.push(scaled);
    return wasmKernel(backend, 'Add', { a: pos, b: scaled });
  }
  throw new Error(`fused op on wasm: unknown activation '${act}'`);
}

/** Wraps a fused kernel: stock when it can, else `unfused` + bias + activation. */
function fusedFallback(needsFallback: (args: KernelArgs) => boolean, unfused: (args: KernelArgs, backend: WasmBackend) => TensorInfo) {
  return (stock: Stock) => (args: KernelArgs): TensorInfo => {
    if (!needsFallback(args)) return stock(args) as TensorInfo;
    const backend = args.backend as WasmBackend;
    const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const temps: TensorInfo[] = [];
    try {
      const y = unfused(args, backend);
      temps.push(y);
      return biasAndActivation(backend, y, bias, preluActivationWeights, args.attrs as unknown as FusedAttrs, temps);
    } finally {
      disposeAll(backend, temps);
    }
  };
}

const rank = (t: TensorInfo | undefined) => (t ? t.shape.length : 1);
const convNeedsFallback = (args: KernelArgs) => {
  const { bias, preluActivationWeights } = args.inputs as { bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { dataFormat } = args.attrs as unknown as FusedAttrs;
  return dataFormat === 'NCHW' || rank(bias) !== 1 || rank(preluActivationWeights) > 3 || explicitNumericPad(args) !== args;
};

const convAttrs = (a: tf.NamedAttrMap) => ({
  strides: a.strides, pad: a.pad, dataFormat: a.dataFormat, dilations: a.dilations, dimRoundingMode: a.dimRoundingMode,
}) as unknown as tf.NamedAttrMap;

const fusedConv2d = fusedFallback(convNeedsFallback, (args, backend) => {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  return wasmKernel(backend, 'Conv2D', { x, filter }, convAttrs(args.attrs as tf.NamedAttrMap));
});

const fusedDepthwiseConv2d = fusedFallback(convNeedsFallback, (args, backend) => {
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  return wasmKernel(backend, 'DepthwiseConv2dNative', { x, filter }, convAttrs(args.attrs as tf.NamedAttrMap));
});

const fusedMatMul = fusedFallback(
  (args) => rank((args.inputs as { bias?: TensorInfo }).bias) !== 1,
  (args, backend) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
    return wasmKernel(backend, 'BatchMatMul', { a, b }, { transposeA, transposeB });
  },
);

/** Stock kernel name -> wrapper around the stock kernelFunc. */
export const FUSED_FIXES: Record<string, (stock: Stock) => (args: KernelArgs) => TensorInfo> = {
  Conv2D: conv2d,
  DepthwiseConv2dNative: depthwiseConv2d,
  FusedConv2D: fusedConv2d,
  FusedDepthwiseConv2D: fusedDepthwiseConv2d,
  _FusedMatMul: fusedMatMul,
};
