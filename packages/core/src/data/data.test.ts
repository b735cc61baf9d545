import { tf, manualSeed } from '../index';
import { ArrayDataset, DataLoader, Dataset, TensorDataset, defaultCollate, disposeBatch, randomSplit, Subset } from './index';

function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}

describe('TensorDataset', () => {
  it('indexes rows along the first dimension', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const y = tf.tensor1d([0, 1, 2], 'int32');
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(3);
    const [xi, yi] = ds.get(1);
    expect(xi.shape).toEqual([2]);
    expect(values(xi)).toEqual([3, 4]);
    expect(yi.shape).toEqual([]);
    expect(yi.dtype).toBe('int32');
    expect(values(yi)).toEqual([1]);
    tf.dispose([xi, yi]);
    const [xb, yb] = ds.getBatch([2, 0]);
    expect(values(xb)).toEqual([5, 6, 1, 2]);
    expect(values(yb)).toEqual([2, 0]);
    tf.dispose([xb, yb]);
    expect(() => ds.get(3)).toThrow(/index 3 is out of range for length 3/);
    expect(() => new TensorDataset(x, tf.zeros([2]))).toThrow(/tensor 0 has 3 rows, tensor 1 \[2\] has 2/);
    ds.dispose();
  });
});

describe('defaultCollate', () => {
  it('stacks numbers, typed arrays, tensors and nested structures', () => {
    const before = tf.memory().numTensors;
    const ints = defaultCollate([3, 1, 2]);
    expect(ints.dtype).toBe('int32');
    expect(values(ints)).toEqual([3, 1, 2]);
    const floats = defaultCollate([0.5, 1]);
    expect(floats.dtype).toBe('float32');
    const arrays = defaultCollate([Float32Array.of(1, 2), Float32Array.of(3, 4)]);
    expect(arrays.shape).toEqual([2, 2]);
    expect(values(arrays)).toEqual([1, 2, 3, 4]);
    const bytes = defaultCollate([Uint8Array.of(255, 0)]);
    expect(bytes.dtype).toBe('int32');
    expect(values(bytes)).toEqual([255, 0]);
    const samples = [
      { image: Float32Array.of(1, 2, 3), label: 1, name: 'a' },
      { image: Float32Array.of(4, 5, 6), label: 0, name: 'b' },
    ];
    const batch = defaultCollate(samples);
    expect(batch.image.shape).toEqual([2, 3]);
    expect(values(batch.label)).toEqual([1, 0]);
    expect(batch.name).toEqual(['a', 'b']);
    const t = [tf.tensor2d([[1, 2]]), tf.tensor2d([[3, 4]])];
    const tuple = defaultCollate([[t[0], 7], [t[1], 8]] as Array<[tf.Tensor, number]>);
    expect(tuple[0].shape).toEqual([2, 1, 2]);
    expect(values(tuple[1])).toEqual([7, 8]);
    tf.dispose(t);
    disposeBatch([ints, floats, arrays, bytes, batch, tuple]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the mismatching sample and leaks nothing on error', () => {
    const before = tf.memory().numTensors;
    expect(() => defaultCollate([{ a: 1, b: Float32Array.of(1) }, { a: 2, b: Float32Array.of(1, 2) }])).toThrow(
      /batch\.b: sample 0 is Float32Array\(1\) but sample 1 is Float32Array\(2\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(() => defaultCollate([null])).toThrow(/cannot collate null/);
  });
});

describe('DataLoader', () => {
  const ds = new ArrayDataset(Array.from({ length: 10 }, (_, i) => i));

  it('batches in order with the last batch short, or dropped', () => {
    const dl = new DataLoader(ds, { batchSize: 4 });
    expect(dl.length).toBe(3);
    const got = [...dl].map((b) => {
      const v = values(b);
      b.dispose();
      return v;
    });
    expect(got).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    let n = 0;
    for (const b of dropped) {
      n++;
      expect(b.shape).toEqual([4]);
      b.dispose();
    }
    expect(n).toBe(2);
    expect(new DataLoader(ds).length).toBe(10);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
  });

  function epochOrder(dl: DataLoader<number>): number[] {
    const out: number[] = [];
    for (const b of dl) {
      out.push(...values(b));
      b.dispose();
    }
    return out;
  }

  it('shuffles reproducibly per seed, differently each epoch, covering every sample', () => {
    const a = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const b = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    const a0 = epochOrder(a);
    const a1 = epochOrder(a);
    expect([...a0].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(a0).not.toEqual(a1);
    expect(a0).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochOrder(b)).toEqual(a0);
    expect(epochOrder(b)).toEqual(a1);
    expect(a.epoch).toBe(2);
    // resuming: set the epoch and get that epoch's order
    const c = new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 7 });
    c.epoch = 1;
    expect(epochOrder(c)).toEqual(a1);
    expect(Array.from(c.order(0))).toEqual(a0);
    expect(epochOrder(new DataLoader(ds, { batchSize: 3, shuffle: true, seed: 8 }))).not.toEqual(a0);
  });

  it('draws its seed from the default generator when none is given', () => {
    manualSeed(123);
    const first = epochOrder(new DataLoader(ds, { batchSize: 5, shuffle: true }));
    manualSeed(123);
    const again = new DataLoader(ds, { batchSize: 5, shuffle: true });
    expect(epochOrder(again)).toEqual(first);
    expect(epochOrder(new DataLoader(ds, { batchSize: 5, shuffle: true }))).not.toEqual(first);
  });

  it('uses getBatch of a TensorDataset, supports for await and a custom collate, and leaks nothing', async () => {
    const x = tf.tensor2d(Array.from({ length: 5 }, (_, i) => [i, 10 * i]));
    const y = tf.tensor1d([0, 1, 0, 1, 1], 'int32');
    const tds = new TensorDataset(x, y);
    const before = tf.memory().numTensors;
    const dl = new DataLoader(tds, { batchSize: 2 });
    const seen: number[][] = [];
    for await (const [xb, yb] of dl) {
      seen.push(values(xb), values(yb));
      disposeBatch([xb, yb]);
    }
    expect(seen).toEqual([[0, 0, 1, 10], [0, 1], [2, 20, 3, 30], [0, 1], [4, 40], [1]]);
    // custom collate gets per-sample tensors; the loader disposes the samples afterwards
    const sums = new DataLoader(tds, { batchSize: 5, collate: (rows: tf.Tensor[][]) => tf.addN(rows.map((r) => r[0])) });
    for (const s of sums) {
      expect(values(s)).toEqual([10, 100]);
      s.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tds.dispose();
  });

  it('iterates async data sets only with for await', async () => {
    class Slow extends Dataset<number> {
      get length() {
        return 3;
      }
      get(i: number): number {
        return Promise.resolve(i * 2) as unknown as number;
      }
    }
    const dl = new DataLoader(new Slow(), { batchSize: 2 });
    const got: number[][] = [];
    for await (const b of dl) {
      got.push(values(b));
      b.dispose();
    }
    expect(got).toEqual([[0, 2], [4]]);
    expect(() => [...dl]).toThrow(/returned a Promise; iterate with 'for await'/);
  });
});

describe('Subset and randomSplit', () => {
  it('splits without overlap, by counts or fractions, reproducibly', () => {
    const ds = new ArrayDataset(Array.from({ length: 10 }, (_, i) => i));
    manualSeed(5);
    const [a, b] = randomSplit(ds, [0.7, 0.3]);
    expect([a.length, b.length]).toEqual([7, 3]);
    const all = [...Array.from({ length: 7 }, (_, i) => a.get(i)), ...Array.from({ length: 3 }, (_, i) => b.get(i))];
    expect([...all].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    manualSeed(5);
    const [a2] = randomSplit(ds, [7, 3]);
    expect(Array.from(a2.indices)).toEqual(Array.from(a.indices));
    expect(() => randomSplit(ds, [5, 4])).toThrow(/summing to the data set's length \(10\)/);
    expect(new Subset(ds, [9, 0]).get(0)).toBe(9);
  });
});
