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
 * Weighted gather: out[n, :] = sum_m weights[n, m] · flat[index[n, m], :], with `m` < `perRow`.
 * flat [R, C], index/weights [N·perRow] -> [N, C]. Differentiable in `flat` (tf.gather's gradient).
 */
export function weightedGather(flat: tf.Tensor2D, index: Int32Array, weights: Float32Array, perRow: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = index.length / perRow;
    const c = flat.shape[1];
    const g = tf.gather(flat, tf.tensor1d(index, 'int32')); // [N·M, C]
    const w = tf.tensor2d(weights, [n * perRow, 1]); // [N·M, 1]
    return g.mul(w).reshape([n, perRow, c]).sum(1) as tf.Tensor2D; // [N, C]
  });
}
