/**
 * MaxPoolGrad and AvgPoolGrad on wasm as one scatter pass over the output positions on the wasm
 * heap's typed arrays (the stock kernels take 9-18x the forward pool's time). Semantics are cpu's:
 * max pooling routes dy to the first maximum of each window in scan order (NaN never wins), average
 * pooling spreads dy / (filterHeight * filterWidth) over the window's in-bounds pixels.
 * Layouts NHWC: x [B, H, W, C], dy [B, OH, OW, C].
 */
import { tf } from '../../tf';
import { WasmBackend } from './kernel_util';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function poolInfo(x: TensorInfo, attrs: PoolAttrs, rounding: boolean) {
  return tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize,
    attrs.strides, 1, attrs.pad, rounding ? attrs.dimRoundingMode : undefined);
}

const maxPoolGrad = (stock: tf.KernelFunc) => (args: KernelArgs): TensorInfo => {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  if (dy.dtype !== 'float32' || input.dtype !== 'float32') return stock(args) as TensorInfo;
  const backend = args.backend as WasmBackend;
  const info = poolInfo(input, args.attrs as unknown as PoolAttrs, true);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C } = info;
  // dy indexed by its own shape: TF.js's MaxPool gradient drops dimRoundingMode, so dy can be
  // larger than the windows counted here (cpu reads it the same way).
  const [DOH, DOW] = [dy.shape[1], dy.shape[2]];
  const [OH, OW] = [Math.min(info.outHeight, DOH), Math.min(info.outWidth, DOW)];
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const acc = new Float32Array(B * H * W * C);
  const best = new Float32Array(C);
  const where = new Int32Array(C);
  const out = backend.makeOutput(input.shape, 'float32');
  const xv = backend.typedArrayFromHeap(input);
  const dyv = backend.typedArrayFromHeap(dy);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sh - top);
      const r1 = Math.min(H, oh * sh - top + KH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = Math.max(0, ow * sw - left);
        const c1 = Math.min(W, ow * sw - left + KW);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r1; r++)
          for (let col = c0; col < c1; col++) {
            const base = ((b * H + r) * W + col) * C;
            for (let c = 0; c < C; c++) {
              const v = xv[base + c];
              if (v > best[c]) {
                best[c] = v;
                where[c] = base + c;
              }
            }
          }
        const dyBase = ((b * DOH + oh) * DOW + ow) * C;
        for (let c = 0; c < C; c++) if (where[c] >= 0) acc[where[c]] += dyv[dyBase + c];
      }
    }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
};

const avgPoolGrad = (stock: tf.KernelFunc) => (args: KernelArgs): TensorInfo => {
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  if (dy.dtype !== 'float32') return stock(args) as TensorInfo;
  const backend = args.backend as WasmBackend;
  // cpu's AvgPoolGrad sizes the output without dimRoundingMode; so does this one.
  const info = poolInfo(input, args.attrs as unknown as PoolAttrs, false);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C } = info;
  // dy indexed by its own shape: TF.js's MaxPool gradient drops dimRoundingMode, so dy can be
  // larger than the windows counted here (cpu reads it the same way).
  const [DOH, DOW] = [dy.shape[1], dy.shape[2]];
  const [OH, OW] = [Math.min(info.outHeight, DOH), Math.min(info.outWidth, DOW)];
  const { strideHeight: sh, strideWidth: sw, filterHeight: KH, filterWidth: KW } = info;
  const { top, left } = info.padInfo;
  const scale = 1 / (KH * KW);
  const acc = new Float32Array(B * H * W * C);
  const out = backend.makeOutput(input.shape, 'float32');
  const dyv = backend.typedArrayFromHeap(dy);
  for (let b = 0; b < B; b++)
    for (let oh = 0; oh < OH; oh++) {
      const r0 = Math.max(0, oh * sh - top);
      const r1 = Math.min(H, oh * sh - top + KH);
      for (let ow = 0; ow < OW; ow++) {
        const c0 = Math.max(0, ow * sw - left);
        const c1 = Math.min(W, ow * sw - left + KW);
        const dyBase = ((b * DOH + oh) * DOW + ow) * C;
        for (let r = r0; r < r1; r++)
          for (let col = c0; col < c1; col++) {
            const base = ((b * H + r) * W + col) * C;
            for (let c = 0; c < C; c++) acc[base + c] += dyv[dyBase + c] * scale;
          }
      }
    }
  backend.typedArrayFromHeap(out).set(acc);
  return out;
};

export const POOL_GRAD_FIXES = { MaxPoolGrad: maxPoolGrad, AvgPoolGrad: avgPoolGrad };
