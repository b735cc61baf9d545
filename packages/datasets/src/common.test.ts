import { data, tf } from '@neuralzoo/core';
import { npmPackageDir, stratifiedSplit } from './common';
import { toSeq2SeqDataset, toTextDataset } from './text-dataset';

describe('stratifiedSplit', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2)); // 60 / 30 / 10

  it('deals 80/10/10 within each class, disjoint and covering every index', () => {
    const s = stratifiedSplit(labels, 7);
    const count = (idx: Int32Array, c: number) => Array.from(idx).filter((i) => labels[i] === c).length;
    expect([0, 1, 2].map((c) => count(s.train, c))).toEqual([48, 24, 8]);
    expect([0, 1, 2].map((c) => count(s.val, c))).toEqual([6, 3, 1]);
    expect([0, 1, 2].map((c) => count(s.test, c))).toEqual([6, 3, 1]);
    const all = [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('is fixed by the seed and changes with it', () => {
    expect(Array.from(stratifiedSplit(labels, 7).test)).toEqual(Array.from(stratifiedSplit(labels, 7).test));
    expect(Array.from(stratifiedSplit(labels, 8).test)).not.toEqual(Array.from(stratifiedSplit(labels, 7).test));
    // Classes are interleaved, not in class blocks.
    const firstTen = Array.from(stratifiedSplit(labels, 7).train.subarray(0, 10), (i) => labels[i]);
    expect(new Set(firstTen).size).toBeGreaterThan(1);
  });

  it('rejects fractions that do not sum to 1', () => {
    expect(() => stratifiedSplit(labels, 1, [0.5, 0.5, 0.5])).toThrow('stratifiedSplit: fractions must be non-negative and sum to 1, got [0.5,0.5,0.5]');
  });
});

describe('npmPackageDir', () => {
  it('names the pnpm command when the package is missing', () => {
    const notFound = (id: string): string => {
      throw new Error(`Cannot find module '${id}'`);
    };
    expect(() => npmPackageDir('loadX', 'some-data', '1.2.3', 'the X data', notFound)).toThrow(
      "loadX: the npm package 'some-data' is not installed (it holds the X data); install it with: pnpm add some-data@1.2.3",
    );
    expect(npmPackageDir('loadX', 'x', '1', 'x', () => '/a/b/x/package.json')).toBe('/a/b/x');
  });
});

describe('toTextDataset', () => {
  const set = { texts: ['a b c', 'b', 'c c c c c'], labels: Int32Array.from([1, 0, 1]), classes: ['n', 'p'] };
  const vocab: Record<string, number> = { a: 1, b: 2, c: 3 };
  const encode = (t: string) => t.split(' ').map((w) => vocab[w]);

  it('pads and truncates to maxLength and batches without leaking', () => {
    const ds = toTextDataset(set, encode, { maxLength: 4 });
    expect(Array.from(ds.ids)).toEqual([1, 2, 3, 0, 2, 0, 0, 0, 3, 3, 3, 3]);
    expect(Array.from(ds.lengths)).toEqual([3, 1, 4]);
    const before = tf.memory().numTensors;
    const seen: number[][] = [];
    for (const batch of new data.DataLoader(ds, { batchSize: 2 })) {
      const [x, y] = batch as tf.Tensor[];
      expect(x.shape).toEqual([y.shape[0], 4]);
      expect(x.dtype).toBe('int32');
      seen.push(Array.from(y.dataSync()));
      data.disposeBatch(batch);
    }
    expect(seen).toEqual([[1, 0], [1]]);
    expect(tf.memory().numTensors).toBe(before);
    const [x, y] = ds.get(1);
    expect(Array.from(x.dataSync())).toEqual([2, 0, 0, 0]);
    expect(y.dataSync()[0]).toBe(0);
    tf.dispose([x, y]);
  });

  it('rejects bad options and indices', () => {
    expect(() => toTextDataset(set, encode, { maxLength: 0 })).toThrow('toTextDataset: maxLength must be a positive integer, got 0');
    expect(() => toTextDataset(set, encode, { maxLength: 2 }).get(3)).toThrow('TextSetDataset.get: index 3 is out of range for length 3');
  });
});

describe('toSeq2SeqDataset', () => {
  it('encodes both sides (words to letters, phonemes to ids), pads, and batches without leaking', () => {
    const words = ['CAT', 'A'];
    const phonemes = [['K', 'AE1', 'T'], ['AH0']];
    const inventory = ['K', 'AE1', 'T', 'AH0'];
    const ds = toSeq2SeqDataset(words, phonemes, (w) => Array.from(w, (c) => c.charCodeAt(0) - 64), (p) => p.map((x) => 1 + inventory.indexOf(x)), { maxSourceLength: 4, maxTargetLength: 2 });
    expect(Array.from(ds.source.ids)).toEqual([3, 1, 20, 0, 1, 0, 0, 0]);
    expect(Array.from(ds.target.ids)).toEqual([1, 2, 4, 0]);
    expect(Array.from(ds.target.lengths)).toEqual([2, 1]);
    const before = tf.memory().numTensors;
    const [s, t] = ds.get(1);
    expect([s.shape, t.shape]).toEqual([[4], [2]]);
    expect(Array.from(t.dataSync())).toEqual([4, 0]);
    tf.dispose([s, t]);
    for (const batch of new data.DataLoader(ds, { batchSize: 2 })) {
      expect((batch as tf.Tensor[]).map((x) => x.shape)).toEqual([[2, 4], [2, 2]]);
      data.disposeBatch(batch);
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(() => toSeq2SeqDataset(['a'], [], () => [1], () => [1], { maxSourceLength: 1, maxTargetLength: 1 })).toThrow('toSeq2SeqDataset: 1 sources but 0 targets');
  });
});
