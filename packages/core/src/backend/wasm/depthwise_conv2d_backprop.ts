/**
 * DepthwiseConv2dNativeBackpropFilter and ...BackpropInput (depthwiseConv2d's gradients) on wasm.
 * Layouts: x [B, H, W, C], filter [KH, KW, C, M], dy [B, OH, OW, C*M].
 *
 * Fast paths through the wasm backend's XNNPACK depthwise convolution (dilation 1):
 * - filter (multiplier 1): channels and batch swap roles, dW = sum_b dwconv(x as
 *   [1, H, W, C*B], dy as the filter [OH, OW, C*B, 1], dilation = stride);
 * - input: dx = sum_m dwconv(dy with zeros inserted for stride 2, filter rotated 180°).
 * Otherwise (dilated filters, strides above 2, paddings past the filter, a multiplier above 1 for
 * the filter gradient) one pass over the output positions in tight loops on the wasm heap's typed
 * arrays, as costly as the forward op.
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, reshape, transpose, wasmKernel } from './kernel_util';
import { insertZeros } from './conv2d_backprop_input';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The loop bounds every kernel here shares. */
function geometry(xShape: number[], filterShape: number[], attrs: Attrs) {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  return {
    B: info.batchSize, H: info.inHeight, W: info.inWidth, C: info.inChannels,
    OH: info.outHeight, OW: info.outWidth, KH: info.filterHeight, KW: info.filterWidth,
    M: info.outChannels / info.inChannels,
    sh: info.strideHeight, sw: info.strideWidth, dh: info.dilationHeight, dw: info.dilationWidth,
    top: info.padInfo.top, left: info.padInfo.left,
  };
}

function checkFloat(kernel: string, ...xs: TensorInfo[]): void {
  for (const x of xs)
    if (x.dtype !== 'float32') throw new Error(`${kernel} on wasm supports float32 only, got ${x.dtype}`);
}

type Geometry = ReturnType<typeof geometry>;

/** dW through XNNPACK, or null where the identity needs a negative padding or a dilation. */
function backpropFilterFast(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, g: Geometry): TensorInfo | null {
  // With a channel multiplier XNNPACK runs this as a grouped GEMM, slower than the loops below.
  if (g.dh !== 1 || g.dw !== 1 || g.M !== 1) return null;
  // Padding after x so the dilated "filter" dy slides exactly KH x KW times.
  const bottom = g.KH - 1 + (g.OH - 1) * g.sh - g.top - (g.H - 1);
  const right = g.KW - 1 + (g.OW - 1) * g.sw - g.left - (g.W - 1);
  if (bottom < 0 || right < 0 || g.top < 0 || g.left < 0) return null;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    const xt = keep(transpose(backend, x, [1, 2, 3, 0])); // [H, W, C, B]
    const input = keep(reshape(backend, xt, [1, g.H, g.W, g.C * g.B]));
    const dy5 = keep(reshape(backend, dy, [g.B, g.OH, g.OW, g.C, g.M]));
    const dyt = keep(transpose(backend, dy5, [1, 2, 3, 0, 4])); // [OH, OW, C, B, M]
    const filter = keep(reshape(backend, dyt, [g.OH, g.OW, g.C * g.B, g.M]));
    const y = keep(wasmKernel(backend, 'DepthwiseConv2dNative', { x: input, filter }, {
      strides: [1, 1], dilations: [g.sh, g.sw], pad: [[0, 0], [g.top, bottom], [g.left, right], [0, 0]],
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap)); // [1, KH, KW, C*B*M]
    const y5 = keep(reshape(backend, y, [g.KH, g.KW, g.C, g.B, g.M]));
    return wasmKernel(backend, 'Sum', { x: y5 }, { axis: [3], keepDims: false }); // [KH, KW, C, M]
  } finally {
    disposeAll(backend, temps);
  }
}

/** dx through XNNPACK, or null where the identity does not apply. */
function backpropInputFast(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, g: Geometry): TensorInfo | null {
  if (g.dh !== 1 || g.dw !== 1 || g.sh > 2 || g.sw > 2) return null;
  const [DH, DW] = [(g.OH - 1) * g.sh + 1, (g.OW - 1) * g.sw + 1];
  const top = g.KH - 1 - g.top;
  const left = g.KW - 1 - g.left;
  const bottom = g.H - 1 + g.KH - DH - top;
  const right = g.W - 1 + g.KW - DW - left;
  if (Math.min(top, left, bottom, right) < 0) return null;
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    const dyD = g.sh === 1 && g.sw === 1 ? dy : keep(insertZeros(backend, dy, g.sh, g.sw));
    const rotated = keep(rotateSpatially(backend, filter)); // [KH, KW, C*M, 1]
    const y = keep(wasmKernel(backend, 'DepthwiseConv2dNative', { x: dyD, filter: rotated }, {
      strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap)); // [B, H, W, C*M]
    if (g.M === 1) {
      temps.pop();
      return y;
    }
    const y5 = keep(reshape(backend, y, [g.B, g.H, g.W, g.C, g.M]));
    return wasmKernel(backend, 'Sum', { x: y5 }, { axis: [4], keepDims: false });
  } finally {
    disposeAll(backend, temps);
  }
}

/** filter [KH, KW, C, M] rotated 180° in space, as a multiplier-1 filter [KH, KW, C*M, 1]. */
function rotateSpatially(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [KH, KW, C, M] = filter.shape;
  const CM = C * M;
  const out = backend.makeOutput([KH, KW, CM, 1], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++) {
      const from = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CM;
      dst.set(src.subarray(from, from + CM), (kh * KW + kw) * CM);
    }
  return out;
}

function backpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Attrs & { filterShape: [number, number, number, number] };
  checkFloat('DepthwiseConv2dNativeBackpropFilter', x, dy);
  const g = geometry(x.shape, attrs.filterShape, attrs);
  const fast = backpropFilterFast(backend, x, dy, g);
  if (fast) return fast;
  const CM = g.C * g.M;
  const acc = new Float64Array(g.KH * g.KW * CM);
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  // Views after the last allocation: growing the heap detaches earlier ones.
  const xv = backend.typedArrayFromHeap(x);
  const dyv = backend.typedArrayFromHeap(dy);
  for (let b = 0; b < g.B; b++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let kh = 0; kh < g.KH; kh++) {
        const ih = oh * g.sh + kh * g.dh - g.top;
        if (ih < 0 || ih >= g.H) continue;
        for (let ow = 0; ow < g.OW; ow++) {
          const dyBase = ((b * g.OH + oh) * g.OW + ow) * CM;
          for (let kw = 0; kw < g.KW; kw++) {
            const iw = ow * g.sw + kw * g.dw - g.left;
            if (iw < 0 || iw >= g.W) continue;
            const xBase = ((b * g.H + ih) * g.W + iw) * g.C;
            const aBase = (kh * g.KW + kw) * CM;
            for (let c = 0; c < g.C; c++) {
              const xc = xv[xBase + c];
              const o = c * g.M;
              for (let m = 0; m < g.M; m++) acc[aBase + o + m] += xc * dyv[dyBase + o + m];
            }
          }
        }
      }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

function backpropInput(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Attrs & { inputShape: [number, number, number, number] };
  checkFloat('DepthwiseConv2dNativeBackpropInput', dy, filter);
  const g = geometry(attrs.inputShape, filter.shape, attrs);
  const fast = backpropInputFast(backend, dy, filter, g);
  if (fast) return fast;
  const CM = g.C * g.M;
  const acc = new Float64Array(g.B * g.H * g.W * g.C);
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  const dyv = backend.typedArrayFromHeap(dy);
  const fv = backend.typedArrayFromHeap(filter);
  for (let b = 0; b < g.B; b++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let kh = 0; kh < g.KH; kh++) {
        const ih = oh * g.sh + kh * g.dh - g.top;
        if (ih < 0 || ih >= g.H) continue;
        for (let ow = 0; ow < g.OW; ow++) {
          const dyBase = ((b * g.OH + oh) * g.OW + ow) * CM;
          for (let kw = 0; kw < g.KW; kw++) {
            const iw = ow * g.sw + kw * g.dw - g.left;
            if (iw < 0 || iw >= g.W) continue;
            const xBase = ((b * g.H + ih) * g.W + iw) * g.C;
            const fBase = (kh * g.KW + kw) * CM;
            for (let c = 0; c < g.C; c++) {
              const o = c * g.M;
              let s = 0;
              for (let m = 0; m < g.M; m++) s += dyv[dyBase + o + m] * fv[fBase + o + m];
              acc[xBase + c] += s;
            }
          }
        }
      }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
}

export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: backpropFilter as unknown as tf.KernelFunc,
};

export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: backpropInput as unknown as tf.KernelFunc,
};
