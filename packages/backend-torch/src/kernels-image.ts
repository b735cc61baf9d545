/**
 * Image kernels of the `torch` backend that had run on the cpu fallback (merged into kernels.ts's
 * `NATIVE` table). The sample positions depend only on the small box tensors and the attributes,
 * so they are computed in JS with the cpu kernel's own double arithmetic; the pixels are gathered
 * and blended by ATen. Inputs the cpu kernel handles in its own odd way (non-finite boxes,
 * negative box indices) throw, and the registration retries those on the cpu fallback.
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';

type TensorInfo = tf.TensorInfo;
type NamedAttrMap = tf.NamedAttrMap;
type Inputs = Record<string, TensorInfo>;
type Kernel = (b: TorchBackend, inputs: Inputs, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];

const ATEN_DOUBLE = 7;
const ATEN_INT = 3;
const ATEN_BOOL = 11;

/** A temporary of the running kernel holding JS values (copied in, then owned by the kernel). */
function fromJS(b: TorchBackend, values: Float64Array | Int32Array | Uint8Array, shape: number[]): number {
  const code = values instanceof Float64Array ? ATEN_DOUBLE : values instanceof Int32Array ? ATEN_INT : ATEN_BOOL;
  const h = b.addon.fromBuffer(values, shape, code);
  try {
    return b.t('aten::clone', h, null);
  } finally {
    b.addon.free(h);
  }
}

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

// ------------------------------------------------------------------------------ the table
export const IMAGE: Record<string, Kernel> = {
  CropAndResize: cropAndResize,
};
