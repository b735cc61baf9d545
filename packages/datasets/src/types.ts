/**
 * An image classification set held as typed arrays: `images` is NHWC (TF.js layout) with values
 * in [0, 1], `labels[i]` indexes `classes`.
 */
export interface ImageSet {
  /** Pixels, N*H*W*C values in [0, 1], NHWC order. */
  images: Float32Array;
  /** Class index of each image, in [0, classes.length). */
  labels: Int32Array;
  /** [N, H, W, C]. */
  shape: [number, number, number, number];
  /** Class names; `classes[labels[i]]` names image i. */
  classes: string[];
}

/** Which part of a set to load. */
export type Split = 'train' | 'test';

export function checkSplit(loader: string, split: unknown): asserts split is Split {
  if (split !== 'train' && split !== 'test')
    throw new Error(`${loader}: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
}
