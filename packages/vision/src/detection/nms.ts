/**
 * Non-maximum suppression on plain arrays (detections per image are few, so JavaScript loops
 * beat tensor kernels here): greedy NMS, per-class ("batched") NMS, and the usual detector
 * post-processing (score threshold, per-class NMS, top-k).
 */
import { BoxLike, iou } from './boxes';

/**
 * Greedy NMS (torchvision `nms`): visits boxes by descending score and keeps one unless its IoU
 * with an already kept box is > `iouThreshold`. Returns the kept indices, highest score first.
 * Ties in score keep the lower index first.
 */
export function nms(boxes: ArrayLike<BoxLike>, scores: ArrayLike<number>, iouThreshold: number): number[] {
  if (boxes.length !== scores.length) throw new Error(`nms: ${boxes.length} boxes but ${scores.length} scores`);
  if (!(iouThreshold >= 0 && iouThreshold <= 1)) throw new Error(`nms: iouThreshold must be in [0, 1], got ${iouThreshold}`);
  const order = Array.from({ length: boxes.length }, (_, i) => i).sort((i, j) => scores[j] - scores[i] || i - j);
  const keep: number[] = [];
  for (const i of order) if (keep.every((k) => iou(boxes[k], boxes[i]) <= iouThreshold)) keep.push(i);
  return keep;
}

/**
 * NMS run separately per label (torchvision `batched_nms`): boxes of different labels never
 * suppress each other. Returns kept indices sorted by descending score.
 */
export function batchedNms(boxes: ArrayLike<BoxLike>, scores: ArrayLike<number>, labels: ArrayLike<number>, iouThreshold: number): number[] {
  if (labels.length !== boxes.length) throw new Error(`batchedNms: ${boxes.length} boxes but ${labels.length} labels`);
  const byLabel = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const list = byLabel.get(labels[i]) ?? [];
    list.push(i);
    byLabel.set(labels[i], list);
  }
  const keep: number[] = [];
  for (const idx of byLabel.values()) {
    const kept = nms(idx.map((i) => boxes[i]), idx.map((i) => scores[i]), iouThreshold);
    for (const k of kept) keep.push(idx[k]);
  }
  return keep.sort((i, j) => scores[j] - scores[i] || i - j);
}

/** Detections of one image: parallel arrays, highest score first. */
export interface Detections {
  /** xyxy boxes. */
  boxes: number[][];
  labels: number[];
  scores: number[];
}

export interface PostprocessOptions {
  /** Candidates scoring below this are dropped before NMS. Default 0.05. */
  scoreThreshold?: number;
  /** IoU above which a lower-scoring box of the same class is suppressed. Default 0.5. */
  iouThreshold?: number;
  /** At most this many detections are returned (after NMS). Default 100. */
  topK?: number;
  /** At most this many candidates per class enter NMS (highest scores first). Default 400. */
  preNmsTopK?: number;
}

/**
 * Detector post-processing: per-class score threshold, per-class NMS, top-k. `boxes` holds N
 * candidate boxes; `scores` is flat [N, C] (row-major) class scores (probabilities, background
 * excluded). A candidate may become a detection of several classes, as in SSD and YOLOv3.
 */
export function postprocess(boxes: ArrayLike<BoxLike>, scores: ArrayLike<number>, numClasses: number, opts: PostprocessOptions = {}): Detections {
  const { scoreThreshold = 0.05, iouThreshold = 0.5, topK = 100, preNmsTopK = 400 } = opts;
  const N = boxes.length;
  if (scores.length !== N * numClasses) throw new Error(`postprocess: scores must be [N, C] = [${N}, ${numClasses}] (${N * numClasses} values), got ${scores.length} values`);
  const candBoxes: BoxLike[] = [];
  const candScores: number[] = [];
  const candLabels: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const idx: number[] = [];
    for (let i = 0; i < N; i++) if (scores[i * numClasses + c] > scoreThreshold) idx.push(i);
    idx.sort((i, j) => scores[j * numClasses + c] - scores[i * numClasses + c] || i - j);
    for (const i of idx.slice(0, preNmsTopK)) {
      candBoxes.push(boxes[i]);
      candScores.push(scores[i * numClasses + c]);
      candLabels.push(c);
    }
  }
  const keep = batchedNms(candBoxes, candScores, candLabels, iouThreshold).slice(0, topK);
  return {
    boxes: keep.map((i) => Array.from(candBoxes[i])),
    labels: keep.map((i) => candLabels[i]),
    scores: keep.map((i) => candScores[i]),
  };
}
