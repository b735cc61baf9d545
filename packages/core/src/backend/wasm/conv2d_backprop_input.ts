/**
 * Conv2DBackpropInput (conv2d's input gradient and conv2dTranspose's forward) on wasm through
 * XNNPACK's Conv2D instead of the stock kernel's scalar loop (5x slower than the forward conv):
 *   dx = conv2d(dy with stride-1 zeros inserted, filter rotated 180° with in/out swapped,
 *               padding K - 1 - pad)
 * For stride s the zero insertion makes s² times the forward's work, still less than the scalar
 * loop up to stride 2; larger strides, and paddings past the filter, keep the stock kernel.
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, pair, wasmKernel } from './kernel_util';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

/** dy [B, OH, OW, C] with s-1 zeros between rows and columns: [B, (OH-1)sh+1, (OW-1)sw+1, C]. */
export function insertZeros(backend: WasmBackend, dy: TensorInfo, sh: number, sw: number): TensorInfo {
  const [B, OH, OW, C] = dy.shape;
  const [DH, DW] = [(OH - 1) * sh + 1, (OW - 1) * sw + 1];
  const out = backend.makeOutput([B, DH, DW, C], 'float32');
  const src = backend.typedArrayFromHeap(dy);
  const dst = backend.typedArrayFromHeap(out);
  dst.fill(0);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) {
        const from = ((b * OH + oh) * OW + ow) * C;
        const to = ((b * DH + oh * sh) * DW + ow * sw) * C;
        dst.set(src.subarray(from, from + C), to);
      }
  return out;
}

/** filter [K1, K2, Ci, Co] rotated 180° in space with channels swapped: [K1, K2, Co, Ci]. */
function rotateFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [K1, K2, Ci, Co] = filter.shape;
  const out = backend.makeOutput([K1, K2, Co, Ci], 'float32');
  const src = backend.typedArrayFromHeap(filter);
  const dst = backend.typedArrayFromHeap(out);
  for (let kh = 0; kh < K1; kh++)
    for (let kw = 0; kw < K2; kw++) {
      const from = ((K1 - 1 - kh) * K2 + (K2 - 1 - kw)) * Ci * Co;
      const to = (kh * K2 + kw) * Co * Ci;
      for (let ci = 0; ci < Ci; ci++)
        for (let co = 0; co < Co; co++) dst[to + co * Ci + ci] = src[from + ci * Co + co];
    }
  return out;
}

const conv2DBackpropInput = (stock: tf.KernelFunc) => (args: KernelArgs): TensorInfo => {
  const backend = args.backend as WasmBackend;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Attrs;
  const [sh, sw] = pair(strides);
  if (sh > 2 || sw > 2 || dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32')
    return stock(args) as TensorInfo;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [K1, K2] = [info.filterHeight, info.filterWidth];
  const [H, W] = [inputShape[1], inputShape[2]];
  const [DH, DW] = [(dy.shape[1] - 1) * sh + 1, (dy.shape[2] - 1) * sw + 1];
  const top = K1 - 1 - info.padInfo.top;
  const left = K2 - 1 - info.padInfo.left;
  const bottom = H - 1 + K1 - DH - top;
  const right = W - 1 + K2 - DW - left;
  if (Math.min(top, left, bottom, right) < 0) return stock(args) as TensorInfo;
  const temps: TensorInfo[] = [];
  try {
    const dyD = sh === 1 && sw === 1 ? dy : insertZeros(backend, dy, sh, sw);
    if (dyD !== dy) temps.push(dyD);
    const f = rotateFilter(backend, filter); // [K1, K2, Co, Ci]
    temps.push(f);
    return wasmKernel(backend, 'Conv2D', { x: dyD, filter: f }, {
      strides: [1, 1], pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1],
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
  } finally {
    disposeAll(backend, temps);
  }
};

export const CONV2D_BACKPROP_INPUT_FIX = { Conv2DBackpropInput: conv2DBackpropInput };
