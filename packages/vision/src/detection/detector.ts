/**
 * What every single-stage detector here (YOLO v1, YOLO v3, SSD) provides, and the model-agnostic
 * parts around it: `detect` (inference + post-processing), scene batching, `evaluateDetector`
 * (mAP on a scene set) and `trainDetector` (the recipes' training loop). Browser-safe.
 */
import { backward, Generator, nn, noGrad, optim, tf } from '@neuralzoo/core';
import { Box, unflattenBoxes } from './boxes';
import { cocoMeanAveragePrecision, GroundTruth, MapResult, meanAveragePrecision } from './metrics';
import { Detections, PostprocessOptions } from './nms';

/** Ground truth of one image as the detectors' losses take it: xyxy pixel boxes and class indices. */
export interface Targets {
  boxes: Box[];
  labels: number[];
}

/** A single-stage detector: one raw output tensor, a loss on it, and a decoder to detections. */
export interface Detector extends nn.Module {
  /** Object classes (background excluded). */
  readonly numClasses: number;
  /** Side of the square input images, in pixels. */
  readonly imageSize: number;
  /** [B, S, S, C] images -> the model's raw output tensor (layout documented per model). */
  forward(x: tf.Tensor): tf.Tensor;
  /** Scalar training loss of a raw output against one `Targets` per image (call inside `backward`). */
  loss(output: tf.Tensor, targets: Targets[]): tf.Scalar;
  /** Raw output -> detections per image (xyxy pixels), after score threshold and per-class NMS. */
  decode(output: tf.Tensor, opts?: PostprocessOptions): Detections[];
}

/**
 * Runs `model` in eval mode without gradients on `images` ([B, S, S, C] or one [S, S, C] image)
 * and returns its detections per image (boxes xyxy in input pixels, labels, scores). The model's
 * train/eval mode is restored afterwards. Defaults: scoreThreshold 0.3, iouThreshold 0.5.
 */
export function detect(model: Detector, images: tf.Tensor, opts: PostprocessOptions = {}): Detections[] {
  if (images.rank !== 3 && images.rank !== 4) throw new Error(`detect: images must be [B, H, W, C] or [H, W, C], got shape [${images.shape}]`);
  const wasTraining = model.training;
  model.eval();
  try {
    const out = noGrad(() => tf.tidy(() => model.forward(images.rank === 3 ? images.expandDims(0) : images)));
    try {
      return model.decode(out, { scoreThreshold: 0.3, iouThreshold: 0.5, ...opts });
    } finally {
      out.dispose();
    }
  } finally {
    if (wasTraining) model.train();
  }
}

/** Images with boxes, e.g. `digitScenes(…)` of `@neuralzoo/datasets` (structurally). */
export interface SceneSet {
  /** [N, S, S, C] row-major pixels. */
  images: Float32Array;
  shape: [number, number, number, number];
  /** Per image: 4 numbers (x1, y1, x2, y2) per object. */
  boxes: ArrayLike<number>[];
  /** Per image: class index per object. */
  labels: ArrayLike<number>[];
}

/** Ground truth of scene `i`. */
export function sceneTargets(scenes: SceneSet, i: number): Targets {
  return { boxes: unflattenBoxes(scenes.boxes[i]), labels: Array.from(scenes.labels[i]) };
}

/** Images `index` of a scene set as a [b, S, S, C] tensor. */
export function sceneImages(scenes: SceneSet, index: ArrayLike<number>): tf.Tensor4D {
  const [, h, w, c] = scenes.shape;
  const per = h * w * c;
  const buf = new Float32Array(index.length * per);
  for (let k = 0; k < index.length; k++) buf.set(scenes.images.subarray(index[k] * per, (index[k] + 1) * per), k * per);
  return tf.tensor4d(buf, [index.length, h, w, c]);
}

export interface EvaluateOptions extends PostprocessOptions {
  /** Images per forward pass. Default 50. */
  batchSize?: number;
  /** Also compute COCO mAP@[.5:.95]. Default false. */
  coco?: boolean;
}

/** Detection quality on a scene set: VOC mAP@0.5 (all-point) and optionally COCO mAP@[.5:.95]. */
export interface DetectorEvaluation extends MapResult {
  /** COCO-style mAP@[.5:.95], when asked for. */
  coco?: number;
}

/**
 * mAP of `model` on `scenes`. Defaults follow the usual evaluation protocol: a low score
 * threshold (0.01) so that the precision/recall curve is complete, NMS IoU 0.5, at most 100
 * candidates per class into NMS and 100 detections per image.
 */
export function evaluateDetector(model: Detector, scenes: SceneSet, opts: EvaluateOptions = {}): DetectorEvaluation {
  const { batchSize = 50, coco = false, ...post } = opts;
  const n = scenes.shape[0];
  const preds: Detections[] = [];
  const gts: GroundTruth[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const index = Array.from({ length: Math.min(batchSize, n - start) }, (_, k) => start + k);
    const x = sceneImages(scenes, index);
    preds.push(...detect(model, x, { scoreThreshold: 0.01, iouThreshold: 0.5, topK: 100, preNmsTopK: 100, ...post }));
    x.dispose();
    for (const i of index) gts.push(sceneTargets(scenes, i));
  }
  const res: DetectorEvaluation = meanAveragePrecision(preds, gts, { numClasses: model.numClasses });
  if (coco) res.coco = cocoMeanAveragePrecision(preds, gts, { numClasses: model.numClasses }).map;
  return res;
}

export interface TrainDetectorOptions {
  epochs: number;
  batchSize: number;
  /** Adam learning rate, annealed to 0 by a cosine schedule stepped per batch. */
  lr: number;
  /** Adam weight decay (L2, as torch's Adam). Default 0. */
  weightDecay?: number;
  /** Seed of parameter-independent randomness here: batch order. Default 0. */
  seed?: number;
  /** Called after every epoch with the mean training loss (e.g. to log or evaluate). */
  onEpoch?: (epoch: number, meanLoss: number) => void;
  /** Stop after this many batches in total (for quick tests). Default: no limit. */
  maxSteps?: number;
  /**
   * Augmentation: each training image is shifted by its own whole-pixel offset of at most this
   * many pixels per axis, limited so that every box stays inside (see `shiftScene`). Drawn from
   * a generator of its own (seed + 1), so the batch order is the same with and without it. Default 0.
   */
  maxShift?: number;
}

/**
 * Translates one [S, S, C] image (row-major `pixels`) by a random whole-pixel offset (dx, dy) with
 * |dx|, |dy| <= maxShift and every box kept inside the image (zero fill), and moves its boxes
 * with it: content-preserving, no digit is cut. Returns the new pixels and boxes and the offset.
 */
export function shiftScene(pixels: Float32Array, shape: [number, number, number], boxes: Box[], maxShift: number, gen: Generator): { pixels: Float32Array; boxes: Box[]; dx: number; dy: number } {
  const [h, w, c] = shape;
  const range = (lo: number, hi: number, size: number): [number, number] => [Math.ceil(Math.max(-maxShift, -lo)), Math.floor(Math.min(maxShift, size - hi))];
  const [dxLo, dxHi] = boxes.length ? range(Math.min(...boxes.map((b) => b[0])), Math.max(...boxes.map((b) => b[2])), w) : [-maxShift, maxShift];
  const [dyLo, dyHi] = boxes.length ? range(Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[3])), h) : [-maxShift, maxShift];
  const dx = dxHi >= dxLo ? dxLo + gen.randint(dxHi - dxLo + 1) : 0;
  const dy = dyHi >= dyLo ? dyLo + gen.randint(dyHi - dyLo + 1) : 0;
  const out = new Float32Array(pixels.length);
  for (let y = Math.max(0, dy); y < Math.min(h, h + dy); y++) {
    const src = ((y - dy) * w + Math.max(0, -dx)) * c;
    out.set(pixels.subarray(src, src + (w - Math.abs(dx)) * c), (y * w + Math.max(0, dx)) * c);
  }
  return { pixels: out, boxes: boxes.map(([x1, y1, x2, y2]) => [x1 + dx, y1 + dy, x2 + dx, y2 + dy] as Box), dx, dy };
}

/**
 * Trains `model` on `scenes` with Adam and cosine decay; returns the mean loss of each epoch.
 * Async so that callers can interleave progress output; the work itself is synchronous per batch.
 */
export async function trainDetector(model: Detector, scenes: SceneSet, opts: TrainDetectorOptions): Promise<number[]> {
  const { epochs, batchSize, lr, weightDecay = 0, seed = 0, onEpoch, maxSteps = Infinity, maxShift = 0 } = opts;
  const n = scenes.shape[0];
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new Error(`trainDetector: batchSize must be a positive integer, got ${batchSize}`);
  const gen = new Generator(seed);
  const augGen = new Generator(seed + 1);
  const stepsPerEpoch = Math.floor(n / batchSize);
  if (stepsPerEpoch === 0) throw new Error(`trainDetector: ${n} scenes are fewer than one batch of ${batchSize}`);
  const opt = new optim.Adam(model.parameters(), { lr, weightDecay });
  const sched = new optim.lr.CosineAnnealingLR(opt, Math.min(epochs * stepsPerEpoch, maxSteps));
  model.train();
  const history: number[] = [];
  let steps = 0;
  for (let epoch = 0; epoch < epochs && steps < maxSteps; epoch++) {
    const perm = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = gen.randint(i + 1);
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    let sum = 0;
    let count = 0;
    for (let s = 0; s < stepsPerEpoch && steps < maxSteps; s++, steps++) {
      const index = perm.slice(s * batchSize, (s + 1) * batchSize);
      let x = sceneImages(scenes, index);
      let targets = index.map((i) => sceneTargets(scenes, i));
      if (maxShift > 0) {
        const [, h, w, c] = scenes.shape;
        const per = h * w * c;
        const pixels = x.dataSync() as Float32Array;
        const shifted = targets.map((t, k) => shiftScene(pixels.subarray(k * per, (k + 1) * per), [h, w, c], t.boxes, maxShift, augGen));
        const buf = new Float32Array(pixels.length);
        shifted.forEach((s, k) => buf.set(s.pixels, k * per));
        x.dispose();
        x = tf.tensor4d(buf, [index.length, h, w, c]);
        targets = shifted.map((s, k) => ({ boxes: s.boxes, labels: targets[k].labels }));
      }
      const loss = backward(() => model.loss(model.forward(x), targets), model);
      x.dispose();
      opt.step();
      opt.zeroGrad();
      sched.step();
      sum += loss;
      count++;
    }
    history.push(sum / count);
    onEpoch?.(epoch, sum / count);
    await new Promise((r) => setTimeout(r, 0));
  }
  return history;
}
