/**
 * Composable image transforms in the manner of torchvision.transforms, on TF.js NHWC tensors:
 * each takes one image [H, W, C] or a batch [B, H, W, C] (float, values in [0, 1] unless said
 * otherwise) and returns a new tensor of the same rank; the input is never disposed. Random
 * transforms draw from a core `Generator` (default: the default one, so `manualSeed` makes them
 * reproducible) and draw separately for each image of a batch (torchvision draws once per call).
 * Browser-safe.
 */
import { defaultGenerator, Generator, tf } from '@neuralzoo/core';

/** An image transform: [H, W, C] or [B, H, W, C] in, a new tensor of the same rank out. */
export type Transform = (images: tf.Tensor) => tf.Tensor;

/** Luma weights of torchvision's `rgb_to_grayscale` (ITU-R 601-2, as PIL's 'L' mode). */
export const GRAY_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/** Applies `fn` to the input as a batch [B, H, W, C] and gives the result back in the input's rank. */
function batched(name: string, images: tf.Tensor, fn: (x: tf.Tensor4D) => tf.Tensor4D): tf.Tensor {
  if (images.rank !== 3 && images.rank !== 4) throw new Error(`${name}: expected an image [H, W, C] or a batch [B, H, W, C], got shape [${images.shape}]`);
  return tf.tidy(() => {
    const single = images.rank === 3;
    const out = fn((single ? images.expandDims(0) : images) as tf.Tensor4D);
    return single ? out.squeeze([0]) : out;
  });
}

/** Chains transforms left to right, disposing the intermediate tensors (never the input). */
export function compose(transforms: Transform[]): Transform {
  return (images) => {
    let current = images;
    for (const t of transforms) {
      const next = t(current);
      if (current !== images && current !== next) current.dispose();
      current = next;
    }
    return current === images ? images.clone() : current;
  };
}

function pair(name: string, size: number | [number, number]): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h <= 0 || w <= 0) throw new Error(`${name}: size must be positive integers, got ${JSON.stringify(size)}`);
  return [h, w];
}

/**
 * Bilinear resize with half-pixel centres, equal to torch's `F.interpolate(mode='bilinear',
 * align_corners=False)` without antialiasing. `size` [h, w] is the output size; a number is the
 * length of the shorter side, the longer one scaled to keep the aspect ratio (torchvision's rule).
 */
export function resize(size: number | [number, number]): Transform {
  pair('resize', size);
  return (images) =>
    batched('resize', images, (x) => {
      const [, H, W] = x.shape;
      let [h, w] = typeof size === 'number' ? [size, size] : size;
      if (typeof size === 'number') {
        if (H <= W) w = Math.floor((size * W) / H);
        else h = Math.floor((size * H) / W);
      }
      if (h === H && w === W) return x.clone();
      return tf.image.resizeBilinear(x, [h, w], false, true);
    });
}

/** Python's round(): halves to even, as torchvision's crop arithmetic. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Crops the centre [h, w] (torchvision's offsets: round((H - h) / 2), halves to even); an image
 * smaller than the crop is first padded with zeros as torchvision does.
 */
export function centerCrop(size: number | [number, number]): Transform {
  const [h, w] = pair('centerCrop', size);
  return (images) =>
    batched('centerCrop', images, (x) => {
      let [, H, W] = x.shape;
      if (h > H || w > W) {
        const padH = Math.max(0, h - H);
        const padW = Math.max(0, w - W);
        x = x.pad([[0, 0], [padH >> 1, (padH + 1) >> 1], [padW >> 1, (padW + 1) >> 1], [0, 0]]);
        [, H, W] = x.shape;
      }
      const top = roundHalfEven((H - h) / 2);
      const left = roundHalfEven((W - w) / 2);
      return x.slice([0, top, left, 0], [-1, h, w, -1]);
    });
}

/** Options of `randomCrop`. */
export interface RandomCropOptions {
  /** Zero padding added before cropping: all sides, [left/right, top/bottom] or [left, top, right, bottom]. Default 0. */
  padding?: number | [number, number] | [number, number, number, number];
  /** Value of the padded pixels. Default 0. */
  fill?: number;
  /** Source of the crop offsets. Default the default generator. */
  generator?: Generator;
}

/**
 * Crops a random [h, w] window from each image (after `padding`), the offsets uniform over all
 * positions (torchvision's RandomCrop). Draws top, then left, per image.
 */
export function randomCrop(size: number | [number, number], opts: RandomCropOptions = {}): Transform {
  const [h, w] = pair('randomCrop', size);
  const p = opts.padding ?? 0;
  const [pl, pt, pr, pb] = typeof p === 'number' ? [p, p, p, p] : p.length === 2 ? [p[0], p[1], p[0], p[1]] : p;
  if (![pl, pt, pr, pb].every((v) => Number.isInteger(v) && v >= 0)) throw new Error(`randomCrop: padding must be non-negative integers, got ${JSON.stringify(p)}`);
  const g = opts.generator ?? defaultGenerator;
  return (images) =>
    batched('randomCrop', images, (x) => {
      let [, H, W] = x.shape;
      if (pt || pb || pl || pr) {
        x = x.pad([[0, 0], [pt, pb], [pl, pr], [0, 0]], opts.fill ?? 0);
        [, H, W] = x.shape;
      }
      if (h > H || w > W) throw new Error(`randomCrop: crop ${h}×${w} is larger than the (padded) image ${H}×${W}`);
      const crops: tf.Tensor4D[] = [];
      for (let b = 0; b < x.shape[0]; b++) {
        const top = g.randint(H - h + 1);
        const left = g.randint(W - w + 1);
        crops.push(x.slice([b, top, left, 0], [1, h, w, -1]));
      }
      return tf.concat(crops, 0);
    });
}

/** Options of the random flips. */
export interface RandomFlipOptions {
  /** Probability of flipping each image. Default 0.5. */
  p?: number;
  generator?: Generator;
}

/** Mirrors each image left-right with probability p (one `random()` draw per image). */
export function randomHorizontalFlip(opts: RandomFlipOptions = {}): Transform {
  const prob = opts.p ?? 0.5;
  if (!(prob >= 0 && prob <= 1)) throw new Error(`randomHorizontalFlip: p must be in [0, 1], got ${prob}`);
  const g = opts.generator ?? defaultGenerator;
  return (images) =>
    batched('randomHorizontalFlip', images, (x) => {
      const flips = Array.from({ length: x.shape[0] }, () => g.random() < prob);
      if (!flips.some(Boolean)) return x.clone();
      const mirrored = tf.reverse(x, 2);
      const mask = tf.tensor1d(flips.map(Number), 'float32').reshape([-1, 1, 1, 1]).cast('bool');
      return tf.where(tf.broadcastTo(mask, x.shape), mirrored, x);
    });
}

/** Grey values [B, H, W, 1] of a batch with 1 (returned as is) or 3 channels (torchvision's weights). */
function gray(x: tf.Tensor4D, name: string): tf.Tensor4D {
  const c = x.shape[3];
  if (c === 1) return x;
  if (c !== 3) throw new Error(`${name}: expected 1 or 3 channels, got ${c} (shape [${x.shape}])`);
  return x.mul(tf.tensor1d(GRAY_WEIGHTS as unknown as number[])).sum(3, true) as tf.Tensor4D;
}

/** Greyscale conversion (torchvision's Grayscale): 1 output channel, or 3 equal ones. */
export function toGray(numOutputChannels: 1 | 3 = 1): Transform {
  if (numOutputChannels !== 1 && numOutputChannels !== 3) throw new Error(`toGray: numOutputChannels must be 1 or 3, got ${numOutputChannels}`);
  return (images) =>
    batched('toGray', images, (x) => {
      const g = gray(x, 'toGray');
      return numOutputChannels === 3 ? tf.tile(g, [1, 1, 1, 3]) : g === x ? x.clone() : g;
    });
}

/** (x - mean[c]) / std[c] per channel (torchvision's Normalize; one value per channel). */
export function normalize(mean: number[], std: number[]): Transform {
  if (mean.length !== std.length) throw new Error(`normalize: mean (${mean.length} values) and std (${std.length} values) must have one value per channel`);
  if (std.some((s) => s === 0)) throw new Error(`normalize: std must not contain 0, got [${std}]`);
  return (images) =>
    batched('normalize', images, (x) => {
      if (x.shape[3] !== mean.length) throw new Error(`normalize: ${mean.length} mean/std values for ${x.shape[3]} channels (shape [${x.shape}])`);
      return x.sub(tf.tensor1d(mean)).div(tf.tensor1d(std));
    });
}

/** blend(a, b, f) = clip(f·a + (1 − f)·b, 0, 1), the core of torchvision's colour adjustments. */
function blend(a: tf.Tensor, b: tf.Tensor, factor: tf.Tensor | number): tf.Tensor4D {
  return tf.clipByValue(a.mul(factor).add(b.mul(tf.sub(1, factor))), 0, 1) as tf.Tensor4D;
}

/** One factor per image, as a [B, 1, 1, 1] tensor. */
function perImage(factors: number | number[], B: number): tf.Tensor | number {
  return typeof factors === 'number' ? factors : tf.tensor4d(factors, [B, 1, 1, 1]);
}

/** Brightness: x · f, clipped to [0, 1] (torchvision's adjust_brightness). f per image or one for all. */
export function adjustBrightness(images: tf.Tensor, factor: number | number[]): tf.Tensor {
  return batched('adjustBrightness', images, (x) => blend(x, tf.zerosLike(x), perImage(factor, x.shape[0])));
}

/** Contrast: blend with the mean grey value of each image (torchvision's adjust_contrast). */
export function adjustContrast(images: tf.Tensor, factor: number | number[]): tf.Tensor {
  return batched('adjustContrast', images, (x) => blend(x, gray(x, 'adjustContrast').mean([1, 2, 3], true), perImage(factor, x.shape[0])));
}

/** Saturation: blend with the grey image (torchvision's adjust_saturation; RGB only). */
export function adjustSaturation(images: tf.Tensor, factor: number | number[]): tf.Tensor {
  return batched('adjustSaturation', images, (x) => {
    if (x.shape[3] !== 3) throw new Error(`adjustSaturation: expected 3 channels (RGB), got ${x.shape[3]} (shape [${x.shape}])`);
    return blend(x, gray(x, 'adjustSaturation'), perImage(factor, x.shape[0]));
  });
}

/** Options of `colorJitter`: each a spread j (factor uniform in [max(0, 1 − j), 1 + j]) or a [min, max] range. */
export interface ColorJitterOptions {
  /** Default 0 (unchanged). */
  brightness?: number | [number, number];
  /** Default 0. */
  contrast?: number | [number, number];
  /** Default 0; needs RGB images when used. */
  saturation?: number | [number, number];
  generator?: Generator;
}

function jitterRange(name: string, v: number | [number, number] | undefined): [number, number] | null {
  if (v === undefined) return null;
  const [lo, hi] = typeof v === 'number' ? [Math.max(0, 1 - v), 1 + v] : v;
  if (!(lo >= 0 && hi >= lo)) throw new Error(`colorJitter: ${name} must be a non-negative spread or a [min, max] range with 0 <= min <= max, got ${JSON.stringify(v)}`);
  return lo === 1 && hi === 1 ? null : [lo, hi];
}

/**
 * Random brightness, contrast and saturation (torchvision's ColorJitter without hue): for each
 * image, the adjustments run in a random order (a permutation of the three is drawn first), each
 * with a factor drawn uniformly from its range, then that image's factors in that order.
 */
export function colorJitter(opts: ColorJitterOptions = {}): Transform {
  const ranges = [jitterRange('brightness', opts.brightness), jitterRange('contrast', opts.contrast), jitterRange('saturation', opts.saturation)];
  const g = opts.generator ?? defaultGenerator;
  const fns = [adjustBrightness, adjustContrast, adjustSaturation];
  return (images) =>
    batched('colorJitter', images, (x) => {
      const out: tf.Tensor4D[] = [];
      for (let b = 0; b < x.shape[0]; b++) {
        const order = g.permutation(3);
        let img: tf.Tensor = x.slice([b, 0, 0, 0], [1, -1, -1, -1]);
        for (const k of order) {
          const r = ranges[k];
          if (!r) continue;
          img = fns[k](img, r[0] + (r[1] - r[0]) * g.random());
        }
        out.push(img as tf.Tensor4D);
      }
      return tf.concat(out, 0);
    });
}
