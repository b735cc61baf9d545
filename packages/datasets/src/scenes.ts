/**
 * SYNTHETIC detection scenes built from real digit crops (the "multi-digit MNIST" recipe used to
 * test detectors where no real detection set fits the machine): each scene is a blank canvas
 * with 1..maxDigits digits of an `ImageSet` (e.g. `loadMnist({ split })`, so train scenes use
 * train digits only) pasted at random positions and scales, with a tight box around each
 * digit's ink. Scenes carry `synthetic: true`; report detection metrics on them as synthetic.
 */
import { Generator } from '@neuralzoo/core';
import type { ImageSet } from './types';

export interface DigitScenesOptions {
  /** Digit crops to paste (single-channel images in [0, 1], e.g. MNIST). */
  digits: ImageSet;
  /** Number of scenes. */
  count: number;
  /** Canvas side in pixels (square). Default 64. */
  size?: number;
  /** Digits per scene: uniform in [minDigits, maxDigits]. Defaults 1 and 3. */
  minDigits?: number;
  maxDigits?: number;
  /** Scale range of a pasted digit relative to its crop. Default [0.75, 1.25]. */
  scale?: [number, number];
  /** Largest IoU allowed between two digits' paste areas (re-drawn up to 50 times). Default 0.1. */
  maxIoU?: number;
  /** Ink threshold for the tight boxes. Default 0.1. */
  threshold?: number;
  /** Seed of the placement generator (default 0). */
  seed?: number;
}

/** Scenes [N, size, size, 1] with per-scene boxes `[x1, y1, x2, y2]` (pixels, x2/y2 exclusive) and labels. */
export interface DigitScenes {
  images: Float32Array;
  shape: [number, number, number, number];
  /** boxes[i] holds 4 numbers per digit of scene i. */
  boxes: Float32Array[];
  /** labels[i][k] is the class of digit k of scene i (index into `classes`). */
  labels: Int32Array[];
  classes: string[];
  /** Always true: the scenes are composed, only the digits are real. */
  synthetic: true;
}

/** Bilinear resize of a single-channel [h, w] image to [H, W]. */
function resize(src: Float32Array, h: number, w: number, H: number, W: number): Float32Array {
  const out = new Float32Array(H * W);
  for (let y = 0; y < H; y++) {
    const fy = Math.min(Math.max(((y + 0.5) * h) / H - 0.5, 0), h - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, h - 1);
    const dy = fy - y0;
    for (let x = 0; x < W; x++) {
      const fx = Math.min(Math.max(((x + 0.5) * w) / W - 0.5, 0), w - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, w - 1);
      const dx = fx - x0;
      out[y * W + x] = (1 - dy) * ((1 - dx) * src[y0 * w + x0] + dx * src[y0 * w + x1]) + dy * ((1 - dx) * src[y1 * w + x0] + dx * src[y1 * w + x1]);
    }
  }
  return out;
}

const iou = (a: number[], b: number[]) => {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
};

/** SYNTHETIC: composes detection scenes from real digit crops (see the module comment). */
export function digitScenes(opts: DigitScenesOptions): DigitScenes {
  const { digits, count, size = 64, minDigits = 1, maxDigits = 3, scale = [0.75, 1.25], maxIoU = 0.1, threshold = 0.1, seed = 0 } = opts;
  const [n, h, w, c] = digits.shape;
  if (c !== 1) throw new Error(`digitScenes: digits must have 1 channel, got ${c}`);
  if (!Number.isInteger(count) || count < 1) throw new Error(`digitScenes: count must be a positive integer, got ${count}`);
  if (!(minDigits >= 1 && maxDigits >= minDigits)) throw new Error(`digitScenes: need 1 <= minDigits (${minDigits}) <= maxDigits (${maxDigits})`);
  if (!(scale[0] > 0 && scale[1] >= scale[0]) || Math.ceil(Math.max(h, w) * scale[1]) > size)
    throw new Error(`digitScenes: scale [${scale}] must be increasing and fit a ${h}×${w} digit in the ${size}×${size} canvas`);
  const gen = new Generator(seed);
  const images = new Float32Array(count * size * size);
  const boxes: Float32Array[] = [];
  const labels: Int32Array[] = [];
  for (let s = 0; s < count; s++) {
    const canvas = images.subarray(s * size * size, (s + 1) * size * size);
    const k = minDigits + gen.randint(maxDigits - minDigits + 1);
    const placed: number[][] = [];
    const sceneBoxes: number[] = [];
    const sceneLabels: number[] = [];
    for (let d = 0; d < k; d++) {
      const idx = gen.randint(n);
      const f = scale[0] + (scale[1] - scale[0]) * gen.random();
      const H = Math.max(1, Math.round(h * f));
      const W = Math.max(1, Math.round(w * f));
      let area: number[] | null = null;
      for (let tries = 0; tries < 50 && !area; tries++) {
        const y = gen.randint(size - H + 1);
        const x = gen.randint(size - W + 1);
        const cand = [x, y, x + W, y + H];
        if (placed.every((p) => iou(p, cand) <= maxIoU)) area = cand;
      }
      if (!area) continue; // crowded scene: fewer digits
      const crop = resize(digits.images.subarray(idx * h * w, (idx + 1) * h * w), h, w, H, W);
      let [bx1, by1, bx2, by2] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const v = crop[y * W + x];
          const at = (area[1] + y) * size + area[0] + x;
          if (v > canvas[at]) canvas[at] = v; // max blending keeps overlapping strokes
          if (v > threshold) {
            bx1 = Math.min(bx1, area[0] + x);
            by1 = Math.min(by1, area[1] + y);
            bx2 = Math.max(bx2, area[0] + x + 1);
            by2 = Math.max(by2, area[1] + y + 1);
          }
        }
      if (bx1 === Infinity) continue; // a blank crop has nothing to detect
      placed.push(area);
      sceneBoxes.push(bx1, by1, bx2, by2);
      sceneLabels.push(digits.labels[idx]);
    }
    boxes.push(Float32Array.from(sceneBoxes));
    labels.push(Int32Array.from(sceneLabels));
  }
  return { images, shape: [count, size, size, 1], boxes, labels, classes: [...digits.classes], synthetic: true };
}
