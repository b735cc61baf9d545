import { data, tf } from '@neuralzoo/core';
import { toDataset } from './dataset';
import type { ImageSet } from './types';

/** 5 images of 2×2×1 whose pixels encode (image, position), labels 10 + image. */
function tinySet(): ImageSet {
  const images = Float32Array.from({ length: 5 * 4 }, (_, k) => k / 100);
  return { images, labels: Int32Array.from([10, 11, 12, 13, 14]), shape: [5, 2, 2, 1], classes: [] };
}

describe('toDataset', () => {
  it('returns one [image, label] sample with the right shapes and values', () => {
    const ds = toDataset(tinySet());
    expect(ds.length).toBe(5);
    const [x, y] = ds.get(3);
    expect(x.shape).toEqual([2, 2, 1]);
    expect(y.dtype).toBe('int32');
    expect(Array.from(x.dataSync())).toEqual([0.12, 0.13, 0.14, 0.15].map(Math.fround));
    expect(y.dataSync()[0]).toBe(13);
    tf.dispose([x, y]);
  });

  it('batches through data.DataLoader without leaking', () => {
    const before = tf.memory().numTensors;
    const loader = new data.DataLoader(toDataset(tinySet()), { batchSize: 2 });
    const seen: number[][] = [];
    for (const batch of loader) {
      const [x, y] = batch as tf.Tensor[];
      expect(x.shape).toEqual([y.shape[0], 2, 2, 1]);
      seen.push(Array.from(y.dataSync()));
      expect(x.dataSync()[0]).toBeCloseTo((y.dataSync()[0] - 10) * 0.04, 6);
      data.disposeBatch(batch);
    }
    expect(seen).toEqual([[10, 11], [12, 13], [14]]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects inconsistent sets and out-of-range indices', () => {
    const bad = { ...tinySet(), labels: new Int32Array(4) };
    expect(() => toDataset(bad)).toThrow('toDataset: shape [5,2,2,1] needs 20 pixels and 5 labels, got 20 and 4');
    expect(() => toDataset(tinySet()).getBatch([0, 5])).toThrow('ImageSetDataset.getBatch: index 5 is out of range for length 5');
  });
});
