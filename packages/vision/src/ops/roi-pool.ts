/**
 * RoI Pool (Girshick, 2015, "Fast R-CNN"): box corners rounded to feature cells, each output bin
 * the maximum over its cells. Numerics follow torchvision.ops.roi_pool (rounding, bin edges,
 * empty bins give 0, the first maximum in row-major order takes the gradient); NHWC. Host loop
 * with its own gradient (tf.customGrad).
 */
import { tf } from '@neuralzoo/core';
import { groupMax, outputHW, readRois, RoiOutputSize } from './common';

/** Options of `roiPool`, torchvision's names in camelCase with its defaults. */
export interface RoiPoolOptions {
  /** Bins per RoI: a side or [height, width]. Required. */
  outputSize: RoiOutputSize;
  /** Feature-map pixels per input pixel (1 / stride), applied to the boxes. Default 1. */
  spatialScale?: number;
}

const f32 = Math.fround;
/** C's round(): halves away from zero. */
const cRound = (v: number) => Math.sign(v) * Math.round(Math.abs(v));

/**
 * features [B, H, W, C], boxes [K, 4] as (x1, y1, x2, y2) in input pixels, boxIndices [K] ->
 * [K, ph, pw, C]. Differentiable in `features`.
 */
export function roiPool(
  features: tf.Tensor4D,
  boxes: tf.Tensor2D,
  boxIndices: tf.Tensor1D | ArrayLike<number>,
  opts: RoiPoolOptions,
): tf.Tensor4D {
  const [ph, pw] = outputHW('roiPool', opts.outputSize);
  const scale = opts.spatialScale ?? 1;
  if (!(scale > 0)) throw new Error(`roiPool: spatialScale must be > 0, got ${scale}`);
  const { boxes: bx, batch } = readRois('roiPool', features, boxes, boxIndices);
  const [B, H, W, C] = features.shape;
  const K = batch.length;
  if (K === 0) return tf.zeros([0, ph, pw, C]);

  // Cells of every bin (row-major, so argMax's first maximum is torchvision's).
  const cells: number[][] = [];
  let perBin = 1;
  for (let k = 0; k < K; k++) {
    const b = batch[k];
    const [x1, y1, x2, y2] = [0, 1, 2, 3].map((c) => cRound(f32(bx[4 * k + c] * scale)));
    const binH = f32(Math.max(y2 - y1 + 1, 1) / ph);
    const binW = f32(Math.max(x2 - x1 + 1, 1) / pw);
    const clip = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
    for (let i = 0; i < ph; i++)
      for (let j = 0; j < pw; j++) {
        const hs = clip(Math.floor(f32(i * binH)) + y1, H);
        const he = clip(Math.ceil(f32((i + 1) * binH)) + y1, H);
        const ws = clip(Math.floor(f32(j * binW)) + x1, W);
        const we = clip(Math.ceil(f32((j + 1) * binW)) + x1, W);
        const bin: number[] = [];
        for (let y = hs; y < he; y++) for (let x = ws; x < we; x++) bin.push((b * H + y) * W + x);
        perBin = Math.max(perBin, bin.length);
        cells.push(bin);
      }
  }
  const N = cells.length;
  const index = new Int32Array(N * perBin);
  const count = new Int32Array(N);
  cells.forEach((bin, n) => {
    index.set(bin, n * perBin);
    count[n] = bin.length;
  });
  return tf.tidy(() => {
    const flat = features.reshape([B * H * W, C]) as tf.Tensor2D; // [B·H·W, C]
    return groupMax(flat, index, count, perBin).reshape([K, ph, pw, C]) as tf.Tensor4D; // [K, ph, pw, C]; empty bins are 0
  });
}
