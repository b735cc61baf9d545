import { data, tf } from '@neuralzoo/core';
import { fitLength, toAudioDataset } from './audio-dataset';

describe('toAudioDataset', () => {
  const set = { waveforms: [Float32Array.from([1, 2, 3, 4, 5, 6]), Float32Array.from([7, 8])], labels: Int32Array.from([3, 4]) };

  it('centre-crops long clips and centre-pads short ones', () => {
    expect(Array.from(fitLength(set.waveforms[0], 4))).toEqual([2, 3, 4, 5]);
    expect(Array.from(fitLength(set.waveforms[1], 5))).toEqual([0, 7, 8, 0, 0]);
    expect(Array.from(fitLength(set.waveforms[1], 2))).toEqual([7, 8]);
  });

  it('yields [time, 1] waveforms with labels and batches without leaking', () => {
    const ds = toAudioDataset(set, { length: 4 });
    const before = tf.memory().numTensors;
    const [x, y] = ds.get(1);
    expect(x.shape).toEqual([4, 1]);
    expect(Array.from(x.dataSync())).toEqual([0, 7, 8, 0]);
    expect(y.dataSync()[0]).toBe(4);
    tf.dispose([x, y]);
    for (const batch of new data.DataLoader(ds, { batchSize: 2 })) {
      const [xb, yb] = batch as tf.Tensor[];
      expect(xb.shape).toEqual([2, 4, 1]);
      expect(Array.from(yb.dataSync())).toEqual([3, 4]);
      data.disposeBatch(batch);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => toAudioDataset(set, { length: 0 })).toThrow('toAudioDataset: length must be a positive integer, got 0');
  });
});
