/**
 * Box formats and IoU. A box is `[x1, y1, x2, y2]` ("xyxy", corners, x2 > x1 and y2 > y1 for a
 * non-empty box) or `[cx, cy, w, h]` ("cxcywh"), in continuous coordinates (pixels or any unit;
 * no "+1" pixel convention, as torchvision). Tensor versions take `[..., 4]`; plain versions take
 * any array-like of 4 numbers so that `Float32Array.subarray`s work.
 */
import { tf } from '@neuralzoo/core';

/** Four numbers: `[x1, y1, x2, y2]` or `[cx, cy, w, h]` depending on the function. */
export type BoxLike = ArrayLike<number>;
export type Box = [number, number, number, number];

function checkLast4(where: string, name: string, t: tf.Tensor): void {
  if (t.rank < 1 || t.shape[t.rank - 1] !== 4) throw new Error(`${where}: ${name} must have shape [..., 4], got [${t.shape}]`);
}

/** [..., 4] xyxy -> [..., 4] cxcywh. */
export function xyxyToCxcywh(boxes: tf.Tensor): tf.Tensor {
  checkLast4('xyxyToCxcywh', 'boxes', boxes);
  return tf.tidy(() => {
    const [x1, y1, x2, y2] = tf.split(boxes, 4, -1); // each [..., 1]
    return tf.concat([tf.div(tf.add(x1, x2), 2), tf.div(tf.add(y1, y2), 2), tf.sub(x2, x1), tf.sub(y2, y1)], -1);
  });
}

/** [..., 4] cxcywh -> [..., 4] xyxy. */
export function cxcywhToXyxy(boxes: tf.Tensor): tf.Tensor {
  checkLast4('cxcywhToXyxy', 'boxes', boxes);
  return tf.tidy(() => {
    const [cx, cy, w, h] = tf.split(boxes, 4, -1); // each [..., 1]
    const hw = tf.div(w, 2);
    const hh = tf.div(h, 2);
    return tf.concat([tf.sub(cx, hw), tf.sub(cy, hh), tf.add(cx, hw), tf.add(cy, hh)], -1);
  });
}

/** Plain xyxy -> cxcywh. */
export function toCxcywh(b: BoxLike): Box {
  return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2, b[2] - b[0], b[3] - b[1]];
}

/** Plain cxcywh -> xyxy. */
export function toXyxy(b: BoxLike): Box {
  return [b[0] - b[2] / 2, b[1] - b[3] / 2, b[0] + b[2] / 2, b[1] + b[3] / 2];
}

/** Area of an xyxy box (0 for an empty or inverted box). */
export function boxArea(b: BoxLike): number {
  return Math.max(0, b[2] - b[0]) * Math.max(0, b[3] - b[1]);
}

/** Intersection over union of two xyxy boxes; 0 when the union is empty. */
export function iou(a: BoxLike, b: BoxLike): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = boxArea(a) + boxArea(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** IoU of every box of `a` (N) with every box of `b` (M): `out[i][j] = iou(a[i], b[j])`. */
export function pairwiseIou(a: ArrayLike<BoxLike>, b: ArrayLike<BoxLike>): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i++) {
    const row: number[] = new Array(b.length);
    for (let j = 0; j < b.length; j++) row[j] = iou(a[i], b[j]);
    out.push(row);
  }
  return out;
}

/** Splits a flat `[x1, y1, x2, y2, x1, …]` array (as `digitScenes` boxes) into boxes. */
export function unflattenBoxes(flat: ArrayLike<number>): Box[] {
  if (flat.length % 4 !== 0) throw new Error(`unflattenBoxes: length (${flat.length}) must be a multiple of 4`);
  const out: Box[] = [];
  for (let i = 0; i < flat.length; i += 4) out.push([flat[i], flat[i + 1], flat[i + 2], flat[i + 3]]);
  return out;
}

/** Tensor IoU (torchvision `box_iou`): [N, 4] xyxy and [M, 4] xyxy -> [N, M]. Empty unions give 0. */
export function boxIou(a: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  const where = 'boxIou';
  if (a.rank !== 2 || a.shape[1] !== 4) throw new Error(`${where}: a must have shape [N, 4], got [${a.shape}]`);
  if (b.rank !== 2 || b.shape[1] !== 4) throw new Error(`${where}: b must have shape [M, 4], got [${b.shape}]`);
  return tf.tidy(() => {
    const [ax1, ay1, ax2, ay2] = tf.split(a, 4, 1); // each [N, 1]
    const [bx1, by1, bx2, by2] = tf.split(b.transpose(), 4, 0); // each [1, M]
    const iw = tf.relu(tf.sub(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1))); // [N, M]
    const ih = tf.relu(tf.sub(tf.minimum(ay2, by2), tf.maximum(ay1, by1)));
    const inter = tf.mul(iw, ih);
    const areaA = tf.mul(tf.relu(tf.sub(ax2, ax1)), tf.relu(tf.sub(ay2, ay1))); // [N, 1]
    const areaB = tf.mul(tf.relu(tf.sub(bx2, bx1)), tf.relu(tf.sub(by2, by1))); // [1, M]
    const union = tf.sub(tf.add(areaA, areaB), inter);
    return tf.where(tf.greater(union, 0), tf.div(inter, tf.maximum(union, 1e-12)), tf.zerosLike(union)) as tf.Tensor2D;
  });
}

/** Elementwise IoU of two equally shaped `[..., 4]` xyxy tensors -> `[...]` (e.g. YOLO's predicted vs. target box). */
export function elementwiseIou(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const where = 'elementwiseIou';
  checkLast4(where, 'a', a);
  checkLast4(where, 'b', b);
  if (!tf.util.arraysEqual(a.shape, b.shape)) throw new Error(`${where}: a [${a.shape}] and b [${b.shape}] must have the same shape`);
  return tf.tidy(() => {
    const [ax1, ay1, ax2, ay2] = tf.unstack(a, -1); // each [...]
    const [bx1, by1, bx2, by2] = tf.unstack(b, -1);
    const inter = tf.mul(tf.relu(tf.sub(tf.minimum(ax2, bx2), tf.maximum(ax1, bx1))), tf.relu(tf.sub(tf.minimum(ay2, by2), tf.maximum(ay1, by1))));
    const areaA = tf.mul(tf.relu(tf.sub(ax2, ax1)), tf.relu(tf.sub(ay2, ay1)));
    const areaB = tf.mul(tf.relu(tf.sub(bx2, bx1)), tf.relu(tf.sub(by2, by1)));
    const union = tf.sub(tf.add(areaA, areaB), inter);
    return tf.where(tf.greater(union, 0), tf.div(inter, tf.maximum(union, 1e-12)), tf.zerosLike(union));
  });
}
