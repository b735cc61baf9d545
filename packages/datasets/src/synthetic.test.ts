import { data, tf } from '@neuralzoo/core';
import { copyTask, reverseTask, sortTask, toSequenceDataset } from './synthetic';

const row = (a: Int32Array, T: number, i: number) => Array.from(a.subarray(i * T, (i + 1) * T));

describe('synthetic sequence tasks', () => {
  it('copy, reverse and sort with padding after the real length', () => {
    const opts = { count: 50, vocabSize: 8, minLength: 2, maxLength: 6, seed: 3 };
    const copy = copyTask(opts);
    const rev = reverseTask(opts);
    const sorted = sortTask(opts);
    expect(copy.synthetic).toBe(true);
    expect(copy.shape).toEqual([50, 6]);
    // Same seed, same inputs for every task.
    expect(rev.inputs).toEqual(copy.inputs);
    for (let i = 0; i < 50; i++) {
      const len = copy.lengths[i];
      expect(len).toBeGreaterThanOrEqual(2);
      expect(len).toBeLessThanOrEqual(6);
      const x = row(copy.inputs, 6, i);
      const seq = x.slice(0, len);
      expect(x.slice(len)).toEqual(new Array(6 - len).fill(0));
      expect(seq.every((t) => t >= 1 && t < 8)).toBe(true);
      expect(row(copy.targets, 6, i)).toEqual(x);
      expect(row(rev.targets, 6, i).slice(0, len)).toEqual([...seq].reverse());
      expect(row(sorted.targets, 6, i).slice(0, len)).toEqual([...seq].sort((a, b) => a - b));
      expect(row(sorted.targets, 6, i).slice(len)).toEqual(new Array(6 - len).fill(0));
    }
    // Both extremes of length occur, every token id is used.
    expect(new Set(copy.lengths)).toEqual(new Set([2, 3, 4, 5, 6]));
    expect(new Set(copy.inputs)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('is fixed by the seed', () => {
    expect(sortTask({ count: 5, maxLength: 4, seed: 1 }).inputs).toEqual(sortTask({ count: 5, maxLength: 4, seed: 1 }).inputs);
    expect(sortTask({ count: 5, maxLength: 4, seed: 1 }).inputs).not.toEqual(sortTask({ count: 5, maxLength: 4, seed: 2 }).inputs);
  });

  it('batches through data.DataLoader without leaking', () => {
    const set = copyTask({ count: 10, maxLength: 5, seed: 0 });
    const before = tf.memory().numTensors;
    let n = 0;
    for (const batch of new data.DataLoader(toSequenceDataset(set), { batchSize: 4 })) {
      const [x, y] = batch as tf.Tensor[];
      expect(x.shape).toEqual([y.shape[0], 5]);
      expect(Array.from(x.dataSync())).toEqual(Array.from(y.dataSync()));
      n += x.shape[0];
      data.disposeBatch(batch);
    }
    expect(n).toBe(10);
    const [x, y] = toSequenceDataset(set).get(9);
    expect(Array.from(x.dataSync())).toEqual(row(set.inputs, 5, 9));
    expect(Array.from(y.dataSync())).toEqual(row(set.targets, 5, 9));
    tf.dispose([x, y]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad options with the values', () => {
    expect(() => copyTask({ count: 0, maxLength: 3 })).toThrow('copyTask: count must be a positive integer, got 0');
    expect(() => sortTask({ count: 1, maxLength: 3, minLength: 4 })).toThrow('sortTask: need integers 1 <= minLength (4) <= maxLength (3)');
    expect(() => reverseTask({ count: 1, maxLength: 3, vocabSize: 1 })).toThrow('reverseTask: vocabSize must be an integer >= 2 (0 is padding), got 1');
  });
});
