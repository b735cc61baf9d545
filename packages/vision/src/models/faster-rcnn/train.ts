/**
 * Training and evaluation loops of the two-stage detectors (Faster R-CNN, R-CNN) on in-memory
 * detection data (e.g. `digitScenes`); browser-safe, plain data in, numbers out.
 */
import { backward, Generator, nn, optim, tf } from '@neuralzoo/core';
import type { Detections } from '../../detection/nms';
import { GroundTruth, MapResult, meanAveragePrecision } from '../../detection/metrics';
import { unflattenBoxes } from '../../detection/boxes';
import type { DetectionTarget } from './faster-rcnn';

/** Images [N, S, S, C] with flat xyxy boxes and labels per image (the shape of `digitScenes`). */
export interface DetectionData {
  images: Float32Array;
  shape: [number, number, number, number];
  boxes: ArrayLike<number>[];
  labels: ArrayLike<number>[];
}

/** A detector these loops can train and evaluate. */
export interface TwoStageDetector extends nn.Module {
  loss(x: tf.Tensor, targets: DetectionTarget[]): tf.Scalar;
  detect(x: tf.Tensor): Detections[];
}

/** Options of `trainTwoStage`. */
export interface TrainTwoStageOptions {
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate, annealed to 0 by a cosine over all steps. */
  lr: number;
  /** Adam weight decay (L2, torch's `weight_decay`). Default 0. */
  weightDecay?: number;
  /** Seed of the shuffling. Default 0. */
  seed?: number;
  /** Called after every epoch with its mean loss. */
  onEpoch?: (epoch: number, meanLoss: number) => void;
}

/** [n, S, S, C] images of `idx`. */
function batchImages(data: DetectionData, idx: ArrayLike<number>): tf.Tensor4D {
  const [, S, W, C] = data.shape;
  const per = S * W * C;
  const out = new Float32Array(idx.length * per);
  for (let i = 0; i < idx.length; i++) out.set(data.images.subarray(idx[i] * per, (idx[i] + 1) * per), i * per);
  return tf.tensor4d(out, [idx.length, S, W, C]);
}

/** Adam with cosine decay per step over shuffled batches; returns the mean loss per epoch. */
export function trainTwoStage(model: TwoStageDetector, data: DetectionData, opts: TrainTwoStageOptions): number[] {
  const N = data.shape[0];
  if (!(Number.isInteger(opts.batchSize) && opts.batchSize > 0)) throw new Error(`trainTwoStage: batchSize must be a positive integer, got ${opts.batchSize}`);
  if (!(Number.isInteger(opts.epochs) && opts.epochs > 0)) throw new Error(`trainTwoStage: epochs must be a positive integer, got ${opts.epochs}`);
  const gen = new Generator(opts.seed ?? 0);
  const steps = Math.ceil(N / opts.batchSize);
  const opt = new optim.Adam(model.parameters(), { lr: opts.lr, weightDecay: opts.weightDecay ?? 0 });
  const sched = new optim.lr.CosineAnnealingLR(opt, opts.epochs * steps);
  const history: number[] = [];
  model.train();
  for (let e = 0; e < opts.epochs; e++) {
    const perm = gen.permutation(N);
    let sum = 0;
    for (let s = 0; s < steps; s++) {
      const idx = perm.subarray(s * opts.batchSize, Math.min(N, (s + 1) * opts.batchSize));
      const x = batchImages(data, idx);
      const targets = Array.from(idx, (i) => ({ boxes: data.boxes[i], labels: data.labels[i] }));
      sum += backward(() => model.loss(x, targets), model);
      x.dispose();
      opt.step();
      opt.zeroGrad();
      sched.step();
    }
    history.push(sum / steps);
    opts.onEpoch?.(e, sum / steps);
  }
  opt.dispose();
  model.eval();
  return history;
}

/** Detections of every image of `data`, in batches. */
export function detectTwoStage(model: TwoStageDetector, data: DetectionData, batchSize = 32): Detections[] {
  const N = data.shape[0];
  const out: Detections[] = [];
  for (let s = 0; s < N; s += batchSize) {
    const x = batchImages(data, Array.from({ length: Math.min(batchSize, N - s) }, (_, i) => s + i));
    out.push(...model.detect(x));
    x.dispose();
  }
  return out;
}

/** VOC mAP@0.5 (all-point) of `model` on `data`. */
export function evaluateTwoStage(model: TwoStageDetector, data: DetectionData, opts: { batchSize?: number; numClasses?: number } = {}): MapResult {
  const preds = detectTwoStage(model, data, opts.batchSize);
  const gts: GroundTruth[] = data.boxes.map((b, i) => ({ boxes: unflattenBoxes(b), labels: data.labels[i] }));
  return meanAveragePrecision(preds, gts, { iouThreshold: 0.5, numClasses: opts.numClasses });
}
