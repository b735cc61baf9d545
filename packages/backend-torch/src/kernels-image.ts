/**
 * Image kernels of the `torch` backend that had run on the cpu fallback (merged into kernels.ts's
 * `NATIVE` table). The sample positions depend only on the small box tensors and the attributes,
 * so they are computed in JS with the cpu kernel's own double arithmetic; the pixels are gathered
 * and blended by ATen. Inputs the cpu kernel handles in its own odd way (non-finite boxes,
 * negative box indices) throw, and the registration retries those on the cpu fallback.
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';
import { ATEN_DOUBLE, fromJS, Inputs, NamedAttrMap, NativeKernel, TensorInfo } from './kernel-util';

// ------------------------------------------------------------------------------ CropAndResize
/** Per box, the sample positions along one axis, as tfjs-backend-cpu's CropAndResize computes them. */
function cropAxis(lo: number, hi: number, size: number, crop: number, nearest: boolean) {
  const scale = crop > 1 ? ((hi - lo) * (size - 1)) / (crop - 1) : 0;
  const a = new Int32Array(crop);
  const z = new Int32Array(crop);
  const lerp = new Float64Array(crop);
  const ok = new Uint8Array(crop);
  for (let i = 0; i < crop; i++) {
    const at = crop > 1 ? lo * (size - 1) + i * scale : 0.5 * (lo + hi) * (size - 1);
    if (at < 0 || at > size - 1) continue; // extrapolated (indices stay 0, masked out)
    ok[i] = 1;
    if (nearest) {
      a[i] = Math.round(at);
      z[i] = a[i];
    } else {
      a[i] = Math.floor(at);
      z[i] = Math.ceil(at);
      lerp[i] = at - a[i];
    }
  }
  return { a, z, lerp, ok };
}

/**
 * CropAndResize: per box and output cell, the cpu kernel's sample position (double arithmetic on
 * the float32 box), bilinear as top = tl + (tr - tl) * xLerp, bottom likewise,
 * top + (bottom - top) * yLerp in float64 (as the cpu kernel's JS numbers) or the rounded nearest
 * pixel; positions outside the image give extrapolationValue, boxes whose index is >= batch stay 0.
 */
function cropAndResize(b: TorchBackend, { image, boxes, boxInd }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { cropSize, method, extrapolationValue } = attrs as unknown as tf.CropAndResizeAttrs;
  const [batch, ih, iw, c] = image.shape;
  const n = boxes.shape[0];
  const [ch, cw] = cropSize;
  const shape = [n, ch, cw, c];
  if (tf.util.sizeFromShape(shape) === 0) return b.out(b.t('aten::zeros', shape, 6, null, b.device), 'float32');
  const box = b.readSync(boxes.dataId) as Float32Array;
  const ind = b.readSync(boxInd.dataId) as Int32Array;
  for (let i = 0; i < n; i++)
    if (ind[i] < 0 || !box.subarray(4 * i, 4 * i + 4).every(Number.isFinite))
      throw new Error('torch backend: CropAndResize with a negative box index or a non-finite box runs on the cpu fallback');
  const nearest = method === 'nearest';
  const rows = { a: new Int32Array(n * ch), z: new Int32Array(n * ch), lerp: new Float64Array(n * ch), ok: new Uint8Array(n * ch) };
  const cols = { a: new Int32Array(n * cw), z: new Int32Array(n * cw), lerp: new Float64Array(n * cw), ok: new Uint8Array(n * cw) };
  const base = new Int32Array(n);
  const keep = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (ind[i] >= batch) continue; // the cpu kernel skips the box: its output stays 0
    keep[i] = 1;
    base[i] = ind[i] * ih;
    const [y1, x1, y2, x2] = box.subarray(4 * i, 4 * i + 4);
    const r = cropAxis(y1, y2, ih, ch, nearest);
    const q = cropAxis(x1, x2, iw, cw, nearest);
    for (const k of ['a', 'z', 'lerp', 'ok'] as const) {
      rows[k].set(r[k], i * ch);
      cols[k].set(q[k], i * cw);
    }
  }
  const pixels = b.t('aten::reshape', b.handle(image), [batch * ih * iw, c]);
  const baseH = b.long(fromJS(b, base, [n, 1, 1]));
  const rowH = (v: Int32Array) => b.long(fromJS(b, v, [n, ch, 1]));
  const colH = (v: Int32Array) => b.long(fromJS(b, v, [n, 1, cw]));
  // pixel [n, ch, cw, c] (float64) at row r, column q of each box's image
  const at = (r: number, q: number) => {
    const flat = b.t('aten::add.Tensor', b.t('aten::mul.Scalar', b.t('aten::add.Tensor', baseH, r), [iw]), q);
    const got = b.t('aten::index_select', pixels, 0, b.t('aten::reshape', flat, [-1]));
    return b.t('aten::_to_copy', b.t('aten::reshape', got, shape), ATEN_DOUBLE);
  };
  let out: number;
  if (nearest) out = at(rowH(rows.a), colH(cols.a));
  else {
    const [top, bottom, left, right] = [rowH(rows.a), rowH(rows.z), colH(cols.a), colH(cols.z)];
    const yl = fromJS(b, rows.lerp, [n, ch, 1, 1]);
    const xl = fromJS(b, cols.lerp, [n, 1, cw, 1]);
    const blend = (p: number, q: number, w: number) => b.t('aten::add.Tensor', p, b.t('aten::mul.Tensor', b.t('aten::sub.Tensor', q, p), w));
    const upper = blend(at(top, left), at(top, right), xl);
    const lower = blend(at(bottom, left), at(bottom, right), xl);
    out = blend(upper, lower, yl);
  }
  const ok = b.t('aten::logical_and', fromJS(b, rows.ok, [n, ch, 1, 1]), fromJS(b, cols.ok, [n, 1, cw, 1]));
  out = b.t('aten::where.ScalarOther', ok, out, extrapolationValue);
  out = b.t('aten::where.ScalarOther', fromJS(b, keep, [n, 1, 1, 1]), out, 0);
  return b.out(out, 'float32');
}

// ------------------------------------------------------------------------------ RotateWithOffset, Transform
/**
 * Pixels of `image` [N, H, W, C] in `dtype` as rows [N, H * W + 1, C] (as a double or float32
 * table): row H * W of each batch holds `fill` (per channel), the value of samples outside.
 */
function withFillRow(b: TorchBackend, image: TensorInfo, fill: Float64Array, code: number): number {
  const [n, h, w, c] = image.shape;
  const px = b.t('aten::_to_copy', b.t('aten::reshape', b.handle(image), [n, h * w, c]), code);
  const f = b.t('aten::expand', b.t('aten::_to_copy', fromJS(b, fill, [1, 1, c]), code), [n, 1, c], false);
  return b.t('aten::cat', [px, f], 1);
}

/**
 * RotateWithOffset: each output pixel reads the input pixel its rotation about the centre rounds
 * to (the cpu kernel's arithmetic, in JS, the same for every batch), else the fill value (a
 * number, or per channel [r, g, b] with 255 for channel 3 and NaN past the array's end).
 */
function rotateWithOffset(b: TorchBackend, { image }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { radians, fillValue, center } = attrs as unknown as tf.RotateWithOffsetAttrs;
  if (image.dtype !== 'float32') throw new Error(`torch backend: RotateWithOffset on ${image.dtype} runs on the cpu fallback`);
  const [n, h, w, c] = image.shape;
  if (tf.util.sizeFromShape(image.shape) === 0) return b.out(b.t('aten::zeros', image.shape, 6, null, b.device), 'float32');
  const [cx, cy] = tf.backend_util.getImageCenter(center, h, w);
  const sin = Math.sin(radians);
  const cos = Math.cos(radians);
  const outside = h * w;
  const idx = new Int32Array(h * w);
  for (let row = 0; row < h; row++)
    for (let col = 0; col < w; col++) {
      const x = Math.round((col - cx) * cos - (row - cy) * sin + cx);
      const y = Math.round((col - cx) * sin + (row - cy) * cos + cy);
      idx[row * w + col] = x >= 0 && x < w && y >= 0 && y < h ? y * w + x : outside;
    }
  const fill = Float64Array.from({ length: c }, (_, ch) =>
    typeof fillValue === 'number' ? fillValue : ch === 3 ? 255 : (fillValue[ch] ?? NaN));
  const table = withFillRow(b, image, fill, 6);
  const out = b.t('aten::index_select', table, 1, b.long(fromJS(b, idx, [h * w])));
  return b.out(b.t('aten::reshape', out, [n, h, w, c]), 'float32');
}

/** The cpu kernel's fill modes: an input coordinate for `at`, outside [0, len - 1] only when 'constant'. */
function mapCoord(at: number, len: number, mode: string): number {
  if (mode !== 'reflect' && mode !== 'wrap' && mode !== 'nearest') return at;
  let v = at;
  if (mode === 'reflect' && (v < 0 || v > len - 1)) {
    const sz2 = 2 * len;
    if (len <= 1) v = 0;
    else if (v < 0) {
      if (v < sz2) v += sz2 * Math.trunc(-v / sz2);
      v = v < -len ? v + sz2 : -v - 1;
    } else {
      v -= sz2 * Math.trunc(v / sz2);
      if (v >= len) v = sz2 - v - 1;
    }
  } else if (mode === 'wrap' && (v < 0 || v > len - 1)) {
    if (len <= 1) v = 0;
    else if (v < 0) v += len * (Math.trunc(-v / (len - 1)) + 1);
    else v -= len * Math.trunc(v / (len - 1));
  }
  return Math.min(Math.max(v, 0), len - 1);
}

/**
 * Transform: the cpu kernel's projective map per output cell (JS doubles), its fill modes and
 * nearest (rounded) or bilinear sampling, where bilinear weighs the four neighbours (the fill
 * value for those outside) as (yC - y) * ((xC - x) * f00 + (x - xF) * f01) + (y - yF) * (...)
 * in float64. As in tfjs-backend-cpu 4.22 only batch 0 is transformed (with transform row 0):
 * its loop returns after the first batch, so later batches hold the fill value.
 */
function transform(b: TorchBackend, { image, transforms }: Inputs, attrs: NamedAttrMap): TensorInfo {
  const { interpolation, fillMode, fillValue, outputShape } = attrs as unknown as tf.TransformAttrs;
  if (image.dtype !== 'float32') throw new Error(`torch backend: Transform on ${image.dtype} runs on the cpu fallback`);
  const [n, h, w, c] = image.shape;
  const [oh, ow] = outputShape ?? [h, w];
  if (n === 0) return b.out(b.t('aten::zeros', image.shape, 6, null, b.device), 'float32'); // (the cpu kernel's shape)
  const shape = [n, oh, ow, c];
  if (tf.util.sizeFromShape(shape) === 0) return b.out(b.t('aten::zeros', shape, 6, null, b.device), 'float32');
  if (interpolation !== 'nearest' && interpolation !== 'bilinear')
    throw new Error(`Error in Transform: Expect 'nearest' or 'bilinear', but got ${interpolation}`);
  const t = Array.from((b.readSync(transforms.dataId) as Float32Array).subarray(0, 8));
  if (!t.every(Number.isFinite)) throw new Error('torch backend: Transform with a non-finite transform runs on the cpu fallback');
  const cells = oh * ow;
  const outside = h * w;
  const nearest = interpolation === 'nearest';
  const idx = Array.from({ length: nearest ? 1 : 4 }, () => new Int32Array(cells).fill(outside));
  const wts = Array.from({ length: nearest ? 0 : 4 }, () => new Float64Array(cells)); // xC - x, x - xF, yC - y, y - yF
  const blank = new Uint8Array(cells);
  const read = (y: number, x: number) => (y >= 0 && y < h && x >= 0 && x < w ? y * w + x : outside);
  for (let oy = 0; oy < oh; oy++)
    for (let ox = 0; ox < ow; ox++) {
      const k = oy * ow + ox;
      const proj = t[6] * ox + t[7] * oy + 1;
      if (proj === 0) {
        blank[k] = 1;
        continue;
      }
      const x = mapCoord((t[0] * ox + t[1] * oy + t[2]) / proj, w, fillMode);
      const y = mapCoord((t[3] * ox + t[4] * oy + t[5]) / proj, h, fillMode);
      if (nearest) idx[0][k] = read(Math.round(y), Math.round(x));
      else {
        const [yf, xf] = [Math.floor(y), Math.floor(x)];
        [idx[0][k], idx[1][k], idx[2][k], idx[3][k]] = [read(yf, xf), read(yf, xf + 1), read(yf + 1, xf), read(yf + 1, xf + 1)];
        [wts[0][k], wts[1][k], wts[2][k], wts[3][k]] = [xf + 1 - x, x - xf, yf + 1 - y, y - yf];
      }
    }
  const table = b.t('aten::select.int', withFillRow(b, image, new Float64Array(c).fill(fillValue), ATEN_DOUBLE), 0, 0); // [H * W + 1, C]
  const at = (i: number) => b.t('aten::index_select', table, 0, b.long(fromJS(b, idx[i], [cells])));
  let out: number;
  if (nearest) out = at(0);
  else {
    const [ax0, ax1, ay0, ay1] = wts.map((v) => fromJS(b, v, [cells, 1]));
    const mul = (p: number, q: number) => b.t('aten::mul.Tensor', p, q);
    const lerp = (p: number, q: number) => b.t('aten::add.Tensor', mul(ax0, p), mul(ax1, q));
    out = b.t('aten::add.Tensor', mul(ay0, lerp(at(0), at(1))), mul(ay1, lerp(at(2), at(3))));
  }
  out = b.t('aten::where.ScalarSelf', fromJS(b, blank, [cells, 1]), fillValue, out);
  out = b.t('aten::reshape', out, [1, oh, ow, c]);
  if (n > 1) out = b.t('aten::cat', [out, b.t('aten::full', [n - 1, oh, ow, c], fillValue, ATEN_DOUBLE, null, b.device)], 0);
  return b.out(out, 'float32');
}

// ------------------------------------------------------------------------------ NonMaxSuppressionV3/V4/V5
/** Candidates above this count run on the cpu fallback (the IoU matrix is K x K float64). */
const NMS_MAX_CANDIDATES = 2048;

/**
 * IoU of every pair of the boxes `ids` (rows of boxes [N, 4]) in float64, as the cpu kernel's
 * intersectionOverUnion computes it in JS numbers: corners ordered by min/max, 0 when either area
 * is <= 0, else inter / (areaA + areaB - inter). Read back as a K x K table.
 */
function iouTable(b: TorchBackend, boxes: TensorInfo, ids: Int32Array): Float64Array {
  const k = ids.length;
  const sel = b.t('aten::_to_copy', b.t('aten::index_select', b.t('aten::reshape', b.handle(boxes), [-1, 4]), 0, b.long(fromJS(b, ids, [k]))), ATEN_DOUBLE);
  const col = (j: number) => b.t('aten::select.int', sel, 1, j);
  const [lo0, hi0] = [b.t('aten::minimum', col(0), col(2)), b.t('aten::maximum', col(0), col(2))];
  const [lo1, hi1] = [b.t('aten::minimum', col(1), col(3)), b.t('aten::maximum', col(1), col(3))];
  const area = b.t('aten::mul.Tensor', b.t('aten::sub.Tensor', hi0, lo0), b.t('aten::sub.Tensor', hi1, lo1));
  const rowOf = (h: number) => b.t('aten::unsqueeze', h, 1); // [K, 1]: the candidate
  const colOf = (h: number) => b.t('aten::unsqueeze', h, 0); // [1, K]: the selected box
  const side = (lo: number, hi: number) =>
    b.t('aten::clamp_min', b.t('aten::sub.Tensor', b.t('aten::minimum', rowOf(hi), colOf(hi)), b.t('aten::maximum', rowOf(lo), colOf(lo))), 0);
  const inter = b.t('aten::mul.Tensor', side(lo0, hi0), side(lo1, hi1));
  const union = b.t('aten::sub.Tensor', b.t('aten::add.Tensor', rowOf(area), colOf(area)), inter);
  const flat = b.t('aten::div.Tensor', inter, union);
  const degenerate = b.t('aten::logical_or', rowOf(b.t('aten::le.Scalar', area, 0)), colOf(b.t('aten::le.Scalar', area, 0)));
  const iou = b.t('aten::where.ScalarSelf', degenerate, 0, flat);
  return new Float64Array(b.addon.read(iou));
}

type Candidate = { score: number; box: number; from: number };
/** The cpu kernel's candidate order: ascending score, equal scores by descending box index (popped last = best). */
const before = (a: Candidate, c: Candidate) => (a.score !== c.score ? a.score < c.score : a.box > c.box);

/**
 * Greedy NMS exactly as tfjs-backend-cpu's nonMaxSuppressionImpl_: candidates with score above the
 * threshold, popped best first (ties: lower box index first); a candidate is dropped when its IoU
 * with a selected box (checked newest first, each selected box once) reaches iouThreshold, and
 * with softNmsSigma > 0 its score is decayed by exp(-0.5 / sigma * iou^2) and it is re-queued.
 * IoUs come from ATen (iouTable); the decays are computed with JS's Math.exp as the cpu kernel.
 */
function nms(b: TorchBackend, boxes: TensorInfo, scores: TensorInfo, attrs: NamedAttrMap, softNmsSigma: number) {
  const { maxOutputSize, iouThreshold, scoreThreshold } = attrs as unknown as { maxOutputSize: number; iouThreshold: number; scoreThreshold: number };
  const s = b.readSync(scores.dataId) as Float32Array;
  const ids = Int32Array.from(Array.from(s.keys()).filter((i) => s[i] > scoreThreshold));
  if (ids.length > NMS_MAX_CANDIDATES) throw new Error(`torch backend: NonMaxSuppression with over ${NMS_MAX_CANDIDATES} candidates runs on the cpu fallback`);
  if (boxes.dtype !== 'float32' || boxes.shape[boxes.shape.length - 1] !== 4) throw new Error('torch backend: NonMaxSuppression input the cpu kernel reads oddly runs on the cpu fallback');
  const k = ids.length;
  if (k > 0 && (b.call('aten::is_nonzero', [b.t('aten::any', b.t('aten::isnan', b.handle(boxes)))]) as unknown as boolean))
    throw new Error('torch backend: NonMaxSuppression with NaN boxes runs on the cpu fallback');
  const iou = k > 0 ? iouTable(b, boxes, ids) : new Float64Array(0);
  const queue: Candidate[] = Array.from(ids, (box, from) => ({ score: s[box], box, from })).sort((a, c) => (before(a, c) ? -1 : 1));
  const scale = softNmsSigma > 0 ? -0.5 / softNmsSigma : 0;
  const picked: number[] = []; // positions in ids
  const pickedScores: number[] = [];
  const checked = new Int32Array(k); // per candidate: how many selected boxes it has been checked against
  while (picked.length < maxOutputSize && queue.length > 0) {
    const c = queue.pop()!;
    const original = c.score; // as popped (a re-queued candidate carries its decayed score)
    if (c.score < scoreThreshold) break;
    let drop = false;
    for (let j = picked.length - 1; j >= checked[c.from]; j--) {
      const v = iou[c.from * k + picked[j]];
      if (v >= iouThreshold) {
        drop = true;
        break;
      }
      c.score *= v <= iouThreshold ? Math.exp(scale * v * v) : 0;
      if (c.score <= scoreThreshold) break;
    }
    checked[c.from] = picked.length;
    if (drop) continue;
    if (c.score === original) {
      picked.push(c.from);
      pickedScores.push(c.score);
    } else if (c.score > scoreThreshold) {
      let lo = 0;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (before(queue[mid], c)) lo = mid + 1;
        else hi = mid;
      }
      queue.splice(lo, 0, c);
    }
  }
  return { indices: picked.map((p) => ids[p]), scores: pickedScores };
}

function nonMaxSuppressionV4(b: TorchBackend, { boxes, scores }: Inputs, attrs: NamedAttrMap): TensorInfo[] {
  const { indices } = nms(b, boxes, scores, attrs, 0);
  const valid = indices.length;
  const { maxOutputSize, padToMaxOutputSize } = attrs as unknown as tf.NonMaxSuppressionV4Attrs;
  if (padToMaxOutputSize && maxOutputSize > valid) indices.push(...new Array<number>(maxOutputSize - valid).fill(0));
  return [b.makeTensorInfo([indices.length], 'int32', Int32Array.from(indices)), b.makeTensorInfo([], 'int32', Int32Array.of(valid))];
}

function nonMaxSuppressionV5(b: TorchBackend, { boxes, scores }: Inputs, attrs: NamedAttrMap): TensorInfo[] {
  const { indices, scores: kept } = nms(b, boxes, scores, attrs, (attrs as unknown as tf.NonMaxSuppressionV5Attrs).softNmsSigma);
  return [b.makeTensorInfo([indices.length], 'int32', Int32Array.from(indices)), b.makeTensorInfo([kept.length], 'float32', Float32Array.from(kept))];
}

// ------------------------------------------------------------------------------ the table
export const IMAGE: Record<string, NativeKernel> = {
  CropAndResize: cropAndResize,
  RotateWithOffset: rotateWithOffset,
  Transform: transform,
  NonMaxSuppressionV3: (b, { boxes, scores }, attrs) => {
    const { indices } = nms(b, boxes, scores, attrs, 0);
    return b.makeTensorInfo([indices.length], 'int32', Int32Array.from(indices));
  },
  NonMaxSuppressionV4: nonMaxSuppressionV4,
  NonMaxSuppressionV5: nonMaxSuppressionV5,
};
