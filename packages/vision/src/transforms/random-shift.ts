/**
 * Random translation, the augmentation that lifts LeNet-5 on small MNIST splits (Simard et al.,
 * 2003, used elastic distortions; whole-pixel shifts give most of the gain at no cost).
 */
import { data, defaultGenerator, Generator, tf } from '@neuralzoo/core';

/**
 * Shifts each image of an NHWC batch by its own whole-pixel offset (dy, dx), each uniform in
 * [-maxShift, maxShift], filling the uncovered border with 0. Runs in JS on the batch's values
 * (augmentation is not differentiated); returns a new tensor.
 */
export function randomShift(images: tf.Tensor4D, maxShift: number, generator: Generator = defaultGenerator): tf.Tensor4D {
  if (!Number.isInteger(maxShift) || maxShift < 0) throw new Error(`randomShift: maxShift must be a non-negative integer, got ${maxShift}`);
  if (images.rank !== 4) throw new Error(`randomShift: expected NHWC images [batch, height, width, channels], got shape [${images.shape}]`);
  const [B, H, W, C] = images.shape;
  const src = images.dataSync() as Float32Array;
  if (maxShift === 0) return tf.tensor4d(src.slice(), [B, H, W, C]);
  const out = new Float32Array(src.length);
  const row = W * C;
  for (let b = 0; b < B; b++) {
    const dy = generator.randint(2 * maxShift + 1) - maxShift;
    const dx = generator.randint(2 * maxShift + 1) - maxShift;
    const base = b * H * row;
    // Output pixel (y, x) reads input (y - dy, x - dx) when inside the image.
    const x0 = Math.max(0, dx);
    const x1 = Math.min(W, W + dx);
    for (let y = Math.max(0, dy); y < Math.min(H, H + dy); y++) {
      const from = base + (y - dy) * row + (x0 - dx) * C;
      out.set(src.subarray(from, from + (x1 - x0) * C), base + y * row + x0 * C);
    }
  }
  return tf.tensor4d(out, [B, H, W, C]);
}

/**
 * A data set whose samples `[image, ...rest]` get `randomShift` applied to the image, in `get`
 * and in `getBatch` (so `data.DataLoader` keeps its batched fast path). Draws offsets from
 * `generator` (default: the default one, so `manualSeed` makes them reproducible).
 */
export class RandomShiftDataset extends data.Dataset<tf.Tensor[]> {
  constructor(
    readonly dataset: data.Dataset<tf.Tensor[]>,
    readonly maxShift: number,
    private readonly generator: Generator = defaultGenerator,
  ) {
    super();
    if (!Number.isInteger(maxShift) || maxShift < 0) throw new Error(`RandomShiftDataset: maxShift must be a non-negative integer, got ${maxShift}`);
  }

  get length(): number {
    return this.dataset.length;
  }

  get(index: number): tf.Tensor[] {
    const [image, ...rest] = this.dataset.get(index);
    const shifted = tf.tidy(() => randomShift(image.expandDims(0) as tf.Tensor4D, this.maxShift, this.generator).squeeze([0]));
    image.dispose();
    return [shifted, ...rest];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    if (!this.dataset.getBatch) throw new Error('RandomShiftDataset.getBatch: the wrapped data set has no getBatch');
    const [images, ...rest] = this.dataset.getBatch(indices);
    const shifted = randomShift(images as tf.Tensor4D, this.maxShift, this.generator);
    images.dispose();
    return [shifted, ...rest];
  }
}
