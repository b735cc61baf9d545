/**
 * Anchor matching and hard negative mining: turn ground truth boxes into per-anchor targets.
 */
import { tf } from '@neuralzoo/core';
import { BoxLike, iou } from './boxes';

/** Match code of an anchor that is background. */
export const BACKGROUND = -1;
/** Match code of an anchor that is left out of the loss (IoU between the thresholds). */
export const IGNORE = -2;

export interface MatchOptions {
  /** An anchor whose best IoU is >= this is matched to that ground truth box. Default 0.5. */
  posIou?: number;
  /** An anchor whose best IoU is < this is background; in between it is IGNORE. Default = posIou. */
  negIou?: number;
  /**
   * Also match each ground truth box to its best anchor even below posIou (SSD; Faster R-CNN's
   * "low quality matches"), so that every box gets at least one anchor. Default true.
   */
  forceBest?: boolean;
}

/**
 * Matches N xyxy anchors (flat Float32Array [N·4]) to G ground truth boxes. Returns Int32Array [N]:
 * the index of the matched box (>= 0), BACKGROUND (-1) or IGNORE (-2). A forced best anchor
 * takes the box it is best for even if another box overlaps it more (later boxes win ties).
 */
export function matchAnchors(anchors: ArrayLike<number>, gt: ArrayLike<BoxLike>, opts: MatchOptions = {}): Int32Array {
  const { posIou = 0.5, forceBest = true } = opts;
  const negIou = opts.negIou ?? posIou;
  if (anchors.length % 4 !== 0) throw new Error(`matchAnchors: anchors must be flat [N·4], got length ${anchors.length}`);
  if (!(negIou <= posIou)) throw new Error(`matchAnchors: negIou (${negIou}) must be <= posIou (${posIou})`);
  const N = anchors.length / 4;
  const G = gt.length;
  const match = new Int32Array(N).fill(BACKGROUND);
  const bestAnchor = new Int32Array(G).fill(-1);
  const bestAnchorIou = new Float64Array(G).fill(-1);
  const a = new Float64Array(4);
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 4; c++) a[c] = anchors[4 * i + c];
    let best = -1;
    let bestIou = 0;
    for (let j = 0; j < G; j++) {
      const v = iou(a, gt[j]);
      if (v > bestIou) [best, bestIou] = [j, v];
      if (v > bestAnchorIou[j]) [bestAnchor[j], bestAnchorIou[j]] = [i, v];
    }
    if (best >= 0 && bestIou >= posIou) match[i] = best;
    else if (bestIou >= negIou) match[i] = IGNORE;
  }
  if (forceBest) for (let j = 0; j < G; j++) if (bestAnchorIou[j] > 0) match[bestAnchor[j]] = j;
  return match;
}

export interface HardNegativeOptions {
  /** Negatives kept per positive (SSD: 3). Default 3. */
  ratio?: number;
  /** Negatives kept in an image with no positive. Default 0. */
  minNegatives?: number;
}

/**
 * SSD's hard negative mining (Liu et al., 2016, §2.2): per image (row), keep the negatives with
 * the highest loss, at most `ratio` times the positives. `loss` [B, N] is the per-anchor
 * classification loss, `positive` [B, N] is 1 for positives and 0 otherwise. Returns a float32
 * [B, N] mask (1 = selected negative; a constant, no gradient flows through it). Ties in loss go
 * to the lower index.
 */
export function hardNegativeMask(loss: tf.Tensor, positive: tf.Tensor, opts: HardNegativeOptions = {}): tf.Tensor2D {
  const { ratio = 3, minNegatives = 0 } = opts;
  if (loss.rank !== 2) throw new Error(`hardNegativeMask: loss must have shape [B, N], got [${loss.shape}]`);
  if (!tf.util.arraysEqual(loss.shape, positive.shape)) throw new Error(`hardNegativeMask: positive [${positive.shape}] must have the shape of loss [${loss.shape}]`);
  if (!(ratio >= 0)) throw new Error(`hardNegativeMask: ratio must be >= 0, got ${ratio}`);
  const [B, N] = loss.shape;
  const l = loss.dataSync();
  const p = positive.dataSync();
  const mask = new Float32Array(B * N);
  for (let b = 0; b < B; b++) {
    const neg: number[] = [];
    let numPos = 0;
    for (let i = b * N; i < (b + 1) * N; i++) if (p[i] > 0) numPos++; else neg.push(i);
    const k = Math.min(neg.length, numPos > 0 ? Math.floor(ratio * numPos) : minNegatives);
    neg.sort((i, j) => l[j] - l[i] || i - j);
    for (let t = 0; t < k; t++) mask[neg[t]] = 1;
  }
  return tf.tensor2d(mask, [B, N]);
}
