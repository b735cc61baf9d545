/**
 * RoI Align (He et al., 2017, "Mask R-CNN"): average of bilinear samples on a regular grid in
 * each output bin, with no rounding of box coordinates. Numerics follow torchvision.ops.roi_align
 * (bins, adaptive sampling grid, border clamping, `aligned` half-pixel offset); activations are
 * NHWC. Differentiable in `features` (tf.customGrad over a host loop and its transposed
 * scatter-add, equally fast on every backend).
 */
import { tf } from '@neuralzoo/core';
import { outputHW, readRois, RoiOutputSize, weightedGather } from './common';

/** Options of `roiAlign`, torchvision's names in camelCase with its defaults. */
export interface RoiAlignOptions {
  /** Bins per RoI: a side or [height, width]. Required. */
  outputSize: RoiOutputSize;
  /** Feature-map pixels per input pixel (1 / stride), applied to the boxes. Default 1. */
  spatialScale?: number;
  /** Samples per bin along each axis; <= 0 picks ceil(roi side / bins) per RoI. Default -1. */
  samplingRatio?: number;
  /** Shift boxes by -0.5 feature pixels so that pixel centres line up (torchvision `aligned`). Default false. */
  aligned?: boolean;
}

const f32 = Math.fround;

/**
 * features [B, H, W, C], boxes [K, 4] as (x1, y1, x2, y2) in input pixels, boxIndices [K] (image of
 * each box) -> [K, ph, pw, C]. No gradient flows to `boxes` (as in torchvision).
 */
export function roiAlign(
  features: tf.Tensor4D,
  boxes: tf.Tensor2D,
  boxIndices: tf.Tensor1D | ArrayLike<number>,
  opts: RoiAlignOptions,
): tf.Tensor4D {
  const [ph, pw] = outputHW('roiAlign', opts.outputSize);
  const scale = opts.spatialScale ?? 1;
  const ratio = opts.samplingRatio ?? -1;
  const offset = opts.aligned ? 0.5 : 0;
  if (!(scale > 0)) throw new Error(`roiAlign: spatialScale must be > 0, got ${scale}`);
  const { boxes: bx, batch } = readRois('roiAlign', features, boxes, boxIndices);
  const [B, H, W, C] = features.shape;
  const K = batch.length;
  if (K === 0) return tf.zeros([0, ph, pw, C]);

  // Per output bin: unique feature positions and their summed weights (bilinear weight / samples).
  const bins: { pos: number[]; w: number[] }[] = [];
  let perBin = 1;
  for (let k = 0; k < K; k++) {
    const b = batch[k];
    const x0 = f32(f32(bx[4 * k] * scale) - offset);
    const y0 = f32(f32(bx[4 * k + 1] * scale) - offset);
    let rw = f32(f32(f32(bx[4 * k + 2] * scale) - offset) - x0);
    let rh = f32(f32(f32(bx[4 * k + 3] * scale) - offset) - y0);
    if (!opts.aligned) {
      rw = Math.max(rw, 1); // legacy behaviour: malformed boxes become 1×1
      rh = Math.max(rh, 1);
    }
    const binH = f32(rh / ph);
    const binW = f32(rw / pw);
    const gh = ratio > 0 ? ratio : Math.ceil(rh / ph);
    const gw = ratio > 0 ? ratio : Math.ceil(rw / pw);
    const count = Math.max(gh * gw, 1);
    for (let i = 0; i < ph; i++)
      for (let j = 0; j < pw; j++) {
        const bin = { pos: [] as number[], w: [] as number[] };
        const add = (y: number, x: number, w: number) => {
          if (w === 0) return;
          const p = (b * H + y) * W + x;
          const at = bin.pos.indexOf(p);
          if (at >= 0) bin.w[at] += w;
          else {
            bin.pos.push(p);
            bin.w.push(w);
          }
        };
        for (let iy = 0; iy < gh; iy++) {
          let y = f32(y0 + i * binH + ((iy + 0.5) * binH) / gh);
          for (let ix = 0; ix < gw; ix++) {
            let x = f32(x0 + j * binW + ((ix + 0.5) * binW) / gw);
            if (y < -1 || y > H || x < -1 || x > W) continue; // sample outside the map counts as 0
            y = Math.max(y, 0);
            x = Math.max(x, 0);
            let yl = Math.floor(y);
            let xl = Math.floor(x);
            let yh = yl + 1;
            let xh = xl + 1;
            let yy = y;
            let xx = x;
            if (yl >= H - 1) [yl, yh, yy] = [H - 1, H - 1, H - 1];
            if (xl >= W - 1) [xl, xh, xx] = [W - 1, W - 1, W - 1];
            const ly = yy - yl;
            const lx = xx - xl;
            add(yl, xl, ((1 - ly) * (1 - lx)) / count);
            add(yl, xh, ((1 - ly) * lx) / count);
            add(yh, xl, (ly * (1 - lx)) / count);
            add(yh, xh, (ly * lx) / count);
          }
        }
        perBin = Math.max(perBin, bin.pos.length);
        bins.push(bin);
      }
  }
  const index = new Int32Array(bins.length * perBin);
  const weights = new Float32Array(bins.length * perBin);
  bins.forEach((bin, n) => {
    index.set(bin.pos, n * perBin);
    weights.set(bin.w, n * perBin);
  });
  return tf.tidy(() => {
    const flat = features.reshape([B * H * W, C]) as tf.Tensor2D; // [B·H·W, C]
    return weightedGather(flat, index, weights, perBin).reshape([K, ph, pw, C]) as tf.Tensor4D; // [K, ph, pw, C]
  });
}
