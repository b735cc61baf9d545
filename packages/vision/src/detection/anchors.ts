/**
 * Anchor / default-box generation. Every generator returns a flat Float32Array of xyxy boxes
 * in image pixels, ordered (row y, column x, box a): the order of a head's NHWC output
 * [B, H, W, A·k] reshaped to [B, H·W·A, k].
 */

export interface GridAnchorOptions {
  /** Feature map [height, width] in cells. */
  featureSize: [number, number];
  /** Pixels per cell (image side / feature side). */
  stride: number;
  /** Anchor sides in pixels (the square root of the anchor area), e.g. [32, 64]. */
  sizes: number[];
  /** Height / width ratios, e.g. [0.5, 1, 2]. Default [1]. */
  aspectRatios?: number[];
}

/**
 * Faster R-CNN anchors (torchvision `AnchorGenerator` shapes): for each cell centre
 * ((x + 0.5)·stride, (y + 0.5)·stride), one box per (ratio, size) with area size² and
 * height/width = ratio. A = sizes.length · aspectRatios.length boxes per cell.
 * Returns [H·W·A·4] xyxy pixels.
 */
export function gridAnchors(opts: GridAnchorOptions): Float32Array {
  const { featureSize: [H, W], stride, sizes, aspectRatios = [1] } = opts;
  if (!(Number.isInteger(H) && Number.isInteger(W) && H > 0 && W > 0)) throw new Error(`gridAnchors: featureSize must be 2 positive integers, got [${opts.featureSize}]`);
  if (!(stride > 0)) throw new Error(`gridAnchors: stride must be > 0, got ${stride}`);
  if (!sizes.length || !sizes.every((s) => s > 0)) throw new Error(`gridAnchors: sizes must be positive numbers, got [${sizes}]`);
  if (!aspectRatios.length || !aspectRatios.every((r) => r > 0)) throw new Error(`gridAnchors: aspectRatios must be positive numbers, got [${aspectRatios}]`);
  const shapes: [number, number][] = []; // [w, h] per anchor
  for (const r of aspectRatios) for (const s of sizes) shapes.push([s / Math.sqrt(r), s * Math.sqrt(r)]);
  const out = new Float32Array(H * W * shapes.length * 4);
  let o = 0;
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const cx = (x + 0.5) * stride;
      const cy = (y + 0.5) * stride;
      for (const [w, h] of shapes) {
        out[o++] = cx - w / 2;
        out[o++] = cy - h / 2;
        out[o++] = cx + w / 2;
        out[o++] = cy + h / 2;
      }
    }
  return out;
}

export interface SsdDefaultBoxOptions {
  /** Input image side in pixels (square). */
  imageSize: number;
  /** Side of each source feature map, coarsest last, e.g. [12, 6, 3]. */
  featureSizes: number[];
  /** Scale s_k (box side / image side) of the first map; SSD uses 0.2. */
  minScale: number;
  /** Scale of the last map; SSD uses 0.9. Scales are spaced linearly in between. */
  maxScale: number;
  /** Extra aspect ratios (>1) per map: each r adds boxes of w/h = r and 1/r, e.g. [[2], [2, 3]]. */
  aspectRatios: number[][];
  /** Clip boxes to the image. Default true. */
  clip?: boolean;
}

/** Default boxes per location of an SSD map with extra ratios `ratios`: 2 squares + 2 per ratio. */
export function ssdBoxesPerLocation(ratios: number[]): number {
  return 2 + 2 * ratios.length;
}

/**
 * SSD default boxes (Liu et al., 2016, §2.2): on map k (side f_k) with scale s_k, per cell
 * centre ((x + 0.5)/f_k, (y + 0.5)/f_k)·imageSize: a square of side s_k, a square of side
 * sqrt(s_k·s_{k+1}) (s_{m+1} = 1 beyond the last map), and for each ratio r boxes of
 * w = s_k·√r, h = s_k/√r and the transpose. Returns [Σ f_k²·(2 + 2·|ratios_k|) · 4] xyxy pixels.
 */
export function ssdDefaultBoxes(opts: SsdDefaultBoxOptions): Float32Array {
  const { imageSize, featureSizes, minScale, maxScale, aspectRatios, clip = true } = opts;
  const m = featureSizes.length;
  if (!(imageSize > 0)) throw new Error(`ssdDefaultBoxes: imageSize must be > 0, got ${imageSize}`);
  if (m === 0 || !featureSizes.every((f) => Number.isInteger(f) && f > 0)) throw new Error(`ssdDefaultBoxes: featureSizes must be positive integers, got [${featureSizes}]`);
  if (aspectRatios.length !== m) throw new Error(`ssdDefaultBoxes: aspectRatios needs one list per feature map (${m}), got ${aspectRatios.length}`);
  if (!(minScale > 0 && maxScale >= minScale && maxScale <= 1)) throw new Error(`ssdDefaultBoxes: need 0 < minScale (${minScale}) <= maxScale (${maxScale}) <= 1`);
  const scales = featureSizes.map((_, k) => (m === 1 ? minScale : minScale + ((maxScale - minScale) * k) / (m - 1)));
  scales.push(1);
  const out: number[] = [];
  featureSizes.forEach((f, k) => {
    const s = scales[k];
    const shapes: [number, number][] = [[s, s], [Math.sqrt(s * scales[k + 1]), Math.sqrt(s * scales[k + 1])]];
    for (const r of aspectRatios[k]) {
      shapes.push([s * Math.sqrt(r), s / Math.sqrt(r)]);
      shapes.push([s / Math.sqrt(r), s * Math.sqrt(r)]);
    }
    for (let y = 0; y < f; y++)
      for (let x = 0; x < f; x++) {
        const cx = (x + 0.5) / f;
        const cy = (y + 0.5) / f;
        for (const [w, h] of shapes) out.push(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
      }
  });
  return Float32Array.from(out, (v) => (clip ? Math.min(Math.max(v, 0), 1) : v) * imageSize);
}
