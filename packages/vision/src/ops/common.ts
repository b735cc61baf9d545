/** Input checks and box reading shared by the RoI ops. */
import { tf } from '@neuralzoo/core';

/** Output side(s) of a RoI op: one number for square bins or [height, width]. */
export type RoiOutputSize = number | [number, number];

/** Checked [ph, pw] of `outputSize`. */
export function outputHW(op: string, outputSize: RoiOutputSize): [number, number] {
  const [ph, pw] = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (!Number.isInteger(ph) || !Number.isInteger(pw) || ph < 1 || pw < 1)
    throw new Error(`${op}: outputSize must be positive integers, got [${ph}, ${pw}]`);
  return [ph, pw];
}

/**
 * Validates features [B, H, W, C], boxes [K, 4] and boxIndices [K] and reads boxes and indices
 * into JS arrays (RoI ops take no gradient with respect to boxes, as in torchvision).
 */
export function readRois(
  op: string,
  features: tf.Tensor,
  boxes: tf.Tensor,
  boxIndices: tf.Tensor | ArrayLike<number>,
): { boxes: Float32Array; batch: Int32Array } {
  if (features.rank !== 4) throw new Error(`${op}: features must be NHWC [batch, height, width, channels], got shape [${features.shape}]`);
  if (boxes.rank !== 2 || boxes.shape[1] !== 4) throw new Error(`${op}: boxes must be [numBoxes, 4] (x1, y1, x2, y2), got shape [${boxes.shape}]`);
  const k = boxes.shape[0];
  const batch = Int32Array.from(boxIndices instanceof tf.Tensor ? (boxIndices.dataSync() as ArrayLike<number>) : boxIndices);
  if (boxIndices instanceof tf.Tensor && boxIndices.rank !== 1)
    throw new Error(`${op}: boxIndices must be [numBoxes], got shape [${boxIndices.shape}]`);
  if (batch.length !== k) throw new Error(`${op}: boxIndices has ${batch.length} entries but boxes has ${k} rows`);
  const B = features.shape[0];
  for (let i = 0; i < k; i++)
    if (!(batch[i] >= 0 && batch[i] < B)) throw new Error(`${op}: boxIndices[${i}] (${batch[i]}) is outside [0, ${B - 1}]`);
  return { boxes: Float32Array.from(boxes.dataSync() as ArrayLike<number>), batch };
}

/**
 * Weighted gather: out[n, :] = sum_m weights[n·M + m] · flat[index[n·M + m], :] (M = `perRow`).
 * flat [R, C] -> [N, C]. Runs as a plain loop on the host with its own gradient (the transposed
 * scatter-add), so it is equally fast on every backend and needs no UnsortedSegmentSum kernel.
 */
export function weightedGather(flat: tf.Tensor2D, index: Int32Array, weights: Float32Array, perRow: number): tf.Tensor2D {
  const [rows, c] = flat.shape;
  const n = index.length / perRow;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const src = (inputs[0] as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(n * c);
    for (let i = 0; i < n * perRow; i++) {
      const w = weights[i];
      if (w === 0) continue;
      const o = Math.floor(i / perRow) * c;
      const s = index[i] * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] += w * src[s + ch];
    }
    return {
      value: tf.tensor2d(out, [n, c]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(rows * c);
        for (let i = 0; i < n * perRow; i++) {
          const w = weights[i];
          if (w === 0) continue;
          const o = Math.floor(i / perRow) * c;
          const s = index[i] * c;
          for (let ch = 0; ch < c; ch++) dx[s + ch] += w * g[o + ch];
        }
        return tf.tensor2d(dx, [rows, c]);
      },
    };
  });
  return op(flat) as tf.Tensor2D;
}

/**
 * Max over index groups: out[n, ch] = max_m flat[index[n·M + m], ch] over the first count[n]
 * entries (0 where count[n] = 0); the gradient goes to the first maximum (row-major order).
 * flat [R, C] -> [N, C], host loop with its own gradient as `weightedGather`.
 */
export function groupMax(flat: tf.Tensor2D, index: Int32Array, count: Int32Array, perRow: number): tf.Tensor2D {
  const [rows, c] = flat.shape;
  const n = count.length;
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const src = (inputs[0] as tf.Tensor).dataSync() as Float32Array;
    const out = new Float32Array(n * c);
    const arg = new Int32Array(n * c).fill(-1); // source row of each output, -1 for empty bins
    for (let i = 0; i < n; i++)
      for (let m = 0; m < count[i]; m++) {
        const s = index[i * perRow + m] * c;
        for (let ch = 0; ch < c; ch++) {
          const o = i * c + ch;
          if (arg[o] < 0 || src[s + ch] > out[o]) {
            out[o] = src[s + ch];
            arg[o] = index[i * perRow + m];
          }
        }
      }
    return {
      value: tf.tensor2d(out, [n, c]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const dx = new Float32Array(rows * c);
        for (let o = 0; o < n * c; o++) if (arg[o] >= 0) dx[arg[o] * c + (o % c)] += g[o];
        return tf.tensor2d(dx, [rows, c]);
      },
    };
  });
  return op(flat) as tf.Tensor2D;
}
