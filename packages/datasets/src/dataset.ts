import { data, tf } from '@neuralzoo/core';
import type { ImageSet } from './types';

/**
 * An `ImageSet` as core's `data.Dataset`: sample i is `[image [H, W, C] float32, label int32
 * scalar]`, and `getBatch` builds `[images [B, H, W, C], labels [B]]` straight from the typed
 * arrays, so the set itself holds no tensor (nothing to dispose) and a batch costs one copy.
 */
export class ImageSetDataset extends data.Dataset<tf.Tensor[]> {
  private readonly pixels: number;

  constructor(readonly set: ImageSet) {
    super();
    const [n, h, w, c] = set.shape;
    this.pixels = h * w * c;
    if (set.images.length !== n * this.pixels || set.labels.length !== n)
      throw new Error(`toDataset: shape [${set.shape}] needs ${n * this.pixels} pixels and ${n} labels, got ${set.images.length} and ${set.labels.length}`);
  }

  get length(): number {
    return this.set.shape[0];
  }

  get(index: number): tf.Tensor[] {
    this.check(index, 'get');
    const [, h, w, c] = this.set.shape;
    const image = tf.tensor3d(this.set.images.slice(index * this.pixels, (index + 1) * this.pixels), [h, w, c]);
    return [image, tf.scalar(this.set.labels[index], 'int32')];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const [, h, w, c] = this.set.shape;
    const b = indices.length;
    const images = new Float32Array(b * this.pixels);
    const labels = new Int32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      this.check(i, 'getBatch');
      images.set(this.set.images.subarray(i * this.pixels, (i + 1) * this.pixels), k * this.pixels);
      labels[k] = this.set.labels[i];
    }
    return [tf.tensor4d(images, [b, h, w, c]), tf.tensor1d(labels, 'int32')];
  }

  private check(i: number, what: string): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`ImageSetDataset.${what}: index ${i} is out of range for length ${this.length}`);
  }
}

/** Wraps a loaded set for `data.DataLoader` / `train.fit`. */
export function toDataset(set: ImageSet): ImageSetDataset {
  return new ImageSetDataset(set);
}
