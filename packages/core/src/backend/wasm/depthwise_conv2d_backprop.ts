/**
 * DepthwiseConv2dNativeBackpropFilter and ...BackpropInput (depthwiseConv2d's gradients) on wasm:
 * one pass over the output positions in tight loops on the wasm heap's typed arrays. Their cost
 * equals the forward depthwise convolution's (B*OH*OW*KH*KW*C*M multiply-adds).
 * Layouts: x [B, H, W, C], filter [KH, KW, C, M], dy [B, OH, OW, C*M].
 */
import { tf } from '../../tf';
import { WasmBackend } from './kernel_util';

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

function backpropFilter(args: KernelArgs): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Attrs & { filterShape: [number, number, number, number] };
  checkFloat('DepthwiseConv2dNativeBackpropFilter', x, dy);
  const g = geometry(x.shape, attrs.filterShape, attrs);
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
