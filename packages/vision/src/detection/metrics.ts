/**
 * Detection metrics: PASCAL VOC mAP@0.5 (all-point interpolated AP, VOC 2010+) and COCO mAP
 * averaged over IoU thresholds 0.50:0.05:0.95 (101-point interpolated AP). Plain arrays in,
 * numbers out.
 */
import { BoxLike, iou } from './boxes';

/** Ground truth of one image. */
export interface GroundTruth {
  /** xyxy boxes. */
  boxes: ArrayLike<BoxLike>;
  labels: ArrayLike<number>;
  /** VOC "difficult" flags: such boxes neither count as misses nor make matching detections false positives. */
  difficult?: ArrayLike<boolean>;
}

/** Predictions of one image (e.g. `Detections` from `postprocess`). */
export interface Predictions {
  boxes: ArrayLike<BoxLike>;
  labels: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/**
 * Average precision from a precision/recall curve (detections in descending score order).
 * 'all-point' (VOC 2010+): area under the curve after making precision monotonically
 * non-increasing. '101-point' (COCO): mean of that precision at recall 0, 0.01, …, 1 (0 where
 * the recall is never reached).
 */
export function averagePrecision(recall: ArrayLike<number>, precision: ArrayLike<number>, method: 'all-point' | '101-point' = 'all-point'): number {
  if (recall.length !== precision.length) throw new Error(`averagePrecision: ${recall.length} recalls but ${precision.length} precisions`);
  const n = recall.length;
  const env = Array.from(precision); // precision envelope: max precision at any recall >= this one
  for (let i = n - 2; i >= 0; i--) env[i] = Math.max(env[i], env[i + 1]);
  if (method === 'all-point') {
    let ap = 0;
    let prevRecall = 0;
    for (let i = 0; i < n; i++) {
      ap += (recall[i] - prevRecall) * env[i];
      prevRecall = recall[i];
    }
    return ap;
  }
  let sum = 0;
  let i = 0;
  for (let t = 0; t <= 100; t++) {
    const r = t / 100;
    while (i < n && recall[i] < r - 1e-12) i++;
    if (i < n) sum += env[i];
  }
  return sum / 101;
}

export interface MapOptions {
  /** A detection is a true positive when its IoU with an unclaimed box of its class is >= this. Default 0.5. */
  iouThreshold?: number;
  /** Number of classes; default: 1 + the largest label seen. Classes without ground truth are left out of the mean. */
  numClasses?: number;
  /** AP interpolation. Default 'all-point' (VOC). */
  interpolation?: 'all-point' | '101-point';
  /**
   * 'voc': a detection is matched to the box of its class it overlaps most, and is a false
   * positive if that box was already claimed (VOC devkit). 'coco': it takes the best-overlapping
   * box not yet claimed (COCO API). Default 'voc'.
   */
  matching?: 'voc' | 'coco';
}

export interface MapResult {
  /** Mean of `ap` over classes with at least one (non-difficult) ground truth box. */
  map: number;
  /** AP per class (NaN for a class without ground truth). */
  ap: number[];
  /** Non-difficult ground truth boxes per class. */
  numGt: number[];
}

/** VOC-style mean average precision over a data set (default: mAP@0.5, all-point interpolation). */
export function meanAveragePrecision(predictions: ArrayLike<Predictions>, groundTruth: ArrayLike<GroundTruth>, opts: MapOptions = {}): MapResult {
  const { iouThreshold = 0.5, interpolation = 'all-point', matching = 'voc' } = opts;
  if (predictions.length !== groundTruth.length) throw new Error(`meanAveragePrecision: ${predictions.length} prediction sets but ${groundTruth.length} ground truth sets (one per image)`);
  if (!(iouThreshold > 0 && iouThreshold <= 1)) throw new Error(`meanAveragePrecision: iouThreshold must be in (0, 1], got ${iouThreshold}`);
  let C = opts.numClasses ?? 0;
  if (opts.numClasses === undefined)
    for (let i = 0; i < groundTruth.length; i++) {
      for (const l of Array.from(groundTruth[i].labels)) C = Math.max(C, l + 1);
      for (const l of Array.from(predictions[i].labels)) C = Math.max(C, l + 1);
    }
  for (let i = 0; i < groundTruth.length; i++) {
    const g = groundTruth[i];
    const p = predictions[i];
    if (g.boxes.length !== g.labels.length) throw new Error(`meanAveragePrecision: image ${i} has ${g.boxes.length} ground truth boxes but ${g.labels.length} labels`);
    if (p.boxes.length !== p.labels.length || p.boxes.length !== p.scores.length)
      throw new Error(`meanAveragePrecision: image ${i} has ${p.boxes.length} predicted boxes, ${p.labels.length} labels and ${p.scores.length} scores`);
  }
  const ap: number[] = [];
  const numGt: number[] = [];
  for (let c = 0; c < C; c++) {
    // Detections of class c over all images, best first (stable: image order, then list order).
    const dets: { img: number; box: BoxLike; score: number }[] = [];
    let nPos = 0;
    const claimed: boolean[][] = [];
    for (let i = 0; i < groundTruth.length; i++) {
      const g = groundTruth[i];
      claimed.push(new Array(g.boxes.length).fill(false));
      for (let j = 0; j < g.labels.length; j++) if (g.labels[j] === c && !g.difficult?.[j]) nPos++;
      const p = predictions[i];
      for (let k = 0; k < p.labels.length; k++) if (p.labels[k] === c) dets.push({ img: i, box: p.boxes[k], score: p.scores[k] });
    }
    dets.sort((a, b) => b.score - a.score);
    numGt.push(nPos);
    if (nPos === 0) {
      ap.push(NaN);
      continue;
    }
    const recall: number[] = [];
    const precision: number[] = [];
    let tp = 0;
    let fp = 0;
    for (const d of dets) {
      const g = groundTruth[d.img];
      let best = -1;
      let bestIou = -1;
      for (let j = 0; j < g.labels.length; j++) {
        if (g.labels[j] !== c || (matching === 'coco' && claimed[d.img][j])) continue;
        const v = iou(d.box, g.boxes[j]);
        if (v > bestIou) [best, bestIou] = [j, v];
      }
      if (best >= 0 && bestIou >= iouThreshold) {
        if (g.difficult?.[best]) continue; // neither TP nor FP
        if (!claimed[d.img][best]) {
          claimed[d.img][best] = true;
          tp++;
        } else fp++;
      } else fp++;
      recall.push(tp / nPos);
      precision.push(tp / (tp + fp));
    }
    ap.push(averagePrecision(recall, precision, interpolation));
  }
  const valid = ap.filter((v) => !Number.isNaN(v));
  return { map: valid.length ? valid.reduce((s, v) => s + v, 0) / valid.length : 0, ap, numGt };
}

export interface CocoMapResult {
  /** mAP averaged over IoU thresholds 0.50, 0.55, …, 0.95 ("AP" of the COCO API). */
  map: number;
  /** mAP at IoU 0.5 ("AP50"). */
  map50: number;
  /** mAP at IoU 0.75 ("AP75"). */
  map75: number;
  /** mAP at each of the 10 thresholds. */
  perThreshold: number[];
}

/**
 * COCO-style mAP@[.5:.95]: COCO matching and 101-point interpolation at each of the 10 IoU
 * thresholds, averaged. (No area ranges or per-image detection cap: pass at most 100 per image.)
 */
export function cocoMeanAveragePrecision(predictions: ArrayLike<Predictions>, groundTruth: ArrayLike<GroundTruth>, opts: { numClasses?: number } = {}): CocoMapResult {
  const thresholds = Array.from({ length: 10 }, (_, k) => (50 + 5 * k) / 100);
  const perThreshold = thresholds.map(
    (t) => meanAveragePrecision(predictions, groundTruth, { iouThreshold: t, numClasses: opts.numClasses, interpolation: '101-point', matching: 'coco' }).map,
  );
  return { map: perThreshold.reduce((s, v) => s + v, 0) / perThreshold.length, map50: perThreshold[0], map75: perThreshold[5], perThreshold };
}
