/**
 * Conv2DBackpropFilter (the filter gradient of conv2d, conv1d and conv2dTranspose) on wasm,
 * computed by the wasm backend's own XNNPACK Conv2D through the identity
 *   dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*s + kh - pt, ow*s + kw - pl, ci] * dy[b, oh, ow, co]
 *                      = conv2d(input = x as [ci, H, W, b], filter = dy as [OH, OW, b, co],
 *                               dilation = stride, stride 1)[ci, kh, kw, co]
 * i.e. the batch axis becomes the contracted channel axis and the stride becomes a dilation.
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, pair, transpose, wasmKernel } from './kernel_util';

type TensorInfo = tf.TensorInfo;

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2DBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackend;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Attrs;
  const temps: TensorInfo[] = [];
  try {
    // Everything below works in NHWC; NCHW inputs are transposed once.
    const nchw = dataFormat === 'NCHW';
    const x4 = nchw ? keep(temps, transpose(backend, x, [0, 2, 3, 1])) : x;   // [B, H, W, Ci]
    const dy4 = nchw ? keep(temps, transpose(backend, dy, [0, 2, 3, 1])) : dy; // [B, OH, OW, Co]
    const info = tf.backend_util.computeConv2DInfo(
      x4.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const [kh, kw] = [info.filterHeight, info.filterWidth];
    const [sh, sw] = pair(strides);
    const [H, W] = [x4.shape[1], x4.shape[2]];
    const [OH, OW] = [dy4.shape[1], dy4.shape[2]];
    const { top, left } = info.padInfo;
    // Padding after the input so that the dilated "filter" (dy) slides exactly kh x kw times;
    // negative means the last rows/columns of x never reach any output: crop them.
    const bottom = kh - 1 + (OH - 1) * sh - top - (H - 1);
    const right = kw - 1 + (OW - 1) * sw - left - (W - 1);
    let input = keep(temps, transpose(backend, x4, [3, 1, 2, 0])); // [Ci, H, W, B]
    if (bottom < 0 || right < 0) {
      const [ci, , , b] = input.shape;
      const size = [ci, H + Math.min(bottom, 0), W + Math.min(right, 0), b];
      input = keep(temps, wasmKernel(backend, 'Slice', { x: input }, { begin: [0, 0, 0, 0], size }));
    }
    const filter = keep(temps, transpose(backend, dy4, [1, 2, 0, 3])); // [OH, OW, B, Co]
    const explicit = [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]];
    const dw = keep(temps, wasmKernel(backend, 'Conv2D', { x: input, filter }, {
      strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [sh, sw], dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap)); // [Ci, kh, kw, Co]
    return transpose(backend, dw, [1, 2, 0, 3]); // [kh, kw, Ci, Co]
  } finally {
    disposeAll(backend, temps);
  }
}

function keep(temps: TensorInfo[], t: TensorInfo): TensorInfo {
  temps.push(t);
  return t;
}

export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
