/**
 * Box regression targets against anchors (Girshick, 2015; Ren et al., 2015; Liu et al., 2016):
 * with anchor centre (ax, ay) and size (aw, ah), a box (x, y, w, h) is encoded as
 *   t = ((x - ax) / aw / v0, (y - ay) / ah / v1, log(w / aw) / v2, log(h / ah) / v3).
 * Variances `[0.1, 0.1, 0.2, 0.2]` (SSD; the same as torchvision's Faster R-CNN weights
 * 10, 10, 5, 5) scale the targets to unit-ish size; `[1, 1, 1, 1]` gives the raw deltas.
 */
import { tf } from '@neuralzoo/core';
import { Box, BoxLike } from './boxes';

/** SSD's variances (centre, centre, size, size). */
export const DEFAULT_VARIANCES: readonly [number, number, number, number] = Object.freeze([0.1, 0.1, 0.2, 0.2]) as readonly [number, number, number, number];

/** Largest decoded log size ratio, as torchvision (log(1000 / 16)), so exp() cannot overflow. */
export const MAX_LOG_RATIO = Math.log(1000 / 16);

function checkVariances(where: string, v: ArrayLike<number>): void {
  if (v.length !== 4 || !Array.from(v).every((x) => x > 0)) throw new Error(`${where}: variances must be 4 positive numbers, got [${Array.from(v)}]`);
}

/** Plain encoding of one xyxy `box` against one xyxy `anchor` (both non-empty). */
export function encodeBox(box: BoxLike, anchor: BoxLike, variances: ArrayLike<number> = DEFAULT_VARIANCES): Box {
  checkVariances('encodeBox', variances);
  const aw = anchor[2] - anchor[0];
  const ah = anchor[3] - anchor[1];
  const w = box[2] - box[0];
  const h = box[3] - box[1];
  if (!(aw > 0 && ah > 0 && w > 0 && h > 0)) throw new Error(`encodeBox: box [${Array.from(box)}] and anchor [${Array.from(anchor)}] must be non-empty xyxy boxes`);
  return [
    ((box[0] + box[2]) / 2 - (anchor[0] + anchor[2]) / 2) / aw / variances[0],
    ((box[1] + box[3]) / 2 - (anchor[1] + anchor[3]) / 2) / ah / variances[1],
    Math.log(w / aw) / variances[2],
    Math.log(h / ah) / variances[3],
  ];
}

/** Plain decoding of one delta `[tx, ty, tw, th]` against one xyxy anchor -> xyxy box. */
export function decodeBox(delta: BoxLike, anchor: BoxLike, variances: ArrayLike<number> = DEFAULT_VARIANCES): Box {
  checkVariances('decodeBox', variances);
  const aw = anchor[2] - anchor[0];
  const ah = anchor[3] - anchor[1];
  const cx = (anchor[0] + anchor[2]) / 2 + delta[0] * variances[0] * aw;
  const cy = (anchor[1] + anchor[3]) / 2 + delta[1] * variances[1] * ah;
  const w = aw * Math.exp(Math.min(delta[2] * variances[2], MAX_LOG_RATIO));
  const h = ah * Math.exp(Math.min(delta[3] * variances[3], MAX_LOG_RATIO));
  return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
}

function checkPair(where: string, a: tf.Tensor, aName: string, anchors: tf.Tensor): void {
  if (a.rank < 2 || a.shape[a.rank - 1] !== 4) throw new Error(`${where}: ${aName} must have shape [..., N, 4], got [${a.shape}]`);
  if (anchors.rank !== 2 || anchors.shape[1] !== 4 || anchors.shape[0] !== a.shape[a.rank - 2])
    throw new Error(`${where}: anchors must have shape [N, 4] = [${a.shape[a.rank - 2]}, 4] to match ${aName} [${a.shape}], got [${anchors.shape}]`);
}

/** Tensor encoding: xyxy `boxes` [..., N, 4] against xyxy `anchors` [N, 4] -> deltas [..., N, 4]. */
export function encodeBoxes(boxes: tf.Tensor, anchors: tf.Tensor, variances: ArrayLike<number> = DEFAULT_VARIANCES): tf.Tensor {
  checkPair('encodeBoxes', boxes, 'boxes', anchors);
  checkVariances('encodeBoxes', variances);
  return tf.tidy(() => {
    const [bx1, by1, bx2, by2] = tf.split(boxes, 4, -1); // each [..., N, 1]
    const [ax1, ay1, ax2, ay2] = tf.split(anchors, 4, -1); // each [N, 1]
    const aw = tf.sub(ax2, ax1);
    const ah = tf.sub(ay2, ay1);
    const tx = tf.div(tf.sub(tf.add(bx1, bx2), tf.add(ax1, ax2)), tf.mul(aw, 2 * variances[0]));
    const ty = tf.div(tf.sub(tf.add(by1, by2), tf.add(ay1, ay2)), tf.mul(ah, 2 * variances[1]));
    const tw = tf.div(tf.log(tf.div(tf.sub(bx2, bx1), aw)), variances[2]);
    const th = tf.div(tf.log(tf.div(tf.sub(by2, by1), ah)), variances[3]);
    return tf.concat([tx, ty, tw, th], -1);
  });
}

/** Tensor decoding: deltas [..., N, 4] against xyxy `anchors` [N, 4] -> xyxy boxes [..., N, 4]. */
export function decodeBoxes(deltas: tf.Tensor, anchors: tf.Tensor, variances: ArrayLike<number> = DEFAULT_VARIANCES): tf.Tensor {
  checkPair('decodeBoxes', deltas, 'deltas', anchors);
  checkVariances('decodeBoxes', variances);
  return tf.tidy(() => {
    const [tx, ty, tw, th] = tf.split(deltas, 4, -1); // each [..., N, 1]
    const [ax1, ay1, ax2, ay2] = tf.split(anchors, 4, -1); // each [N, 1]
    const aw = tf.sub(ax2, ax1);
    const ah = tf.sub(ay2, ay1);
    const cx = tf.add(tf.div(tf.add(ax1, ax2), 2), tf.mul(tf.mul(tx, variances[0]), aw));
    const cy = tf.add(tf.div(tf.add(ay1, ay2), 2), tf.mul(tf.mul(ty, variances[1]), ah));
    const hw = tf.mul(tf.exp(tf.minimum(tf.mul(tw, variances[2]), MAX_LOG_RATIO)), tf.div(aw, 2));
    const hh = tf.mul(tf.exp(tf.minimum(tf.mul(th, variances[3]), MAX_LOG_RATIO)), tf.div(ah, 2));
    return tf.concat([tf.sub(cx, hw), tf.sub(cy, hh), tf.add(cx, hw), tf.add(cy, hh)], -1);
  });
}
