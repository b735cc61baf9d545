import { data, Generator, tf } from '@neuralzoo/core';
import { randomShift, RandomShiftDataset } from './random-shift';

/** B images of 7×7×2 with one lit pixel at (3, 3): channel 0 = 1, channel 1 = 2. */
function dots(B: number): tf.Tensor4D {
  const v = new Float32Array(B * 7 * 7 * 2);
  for (let b = 0; b < B; b++) {
    v[b * 98 + (3 * 7 + 3) * 2] = 1;
    v[b * 98 + (3 * 7 + 3) * 2 + 1] = 2;
  }
  return tf.tensor4d(v, [B, 7, 7, 2]);
}

describe('randomShift', () => {
  it('moves each image by its own offset within ±maxShift, keeping channels together', () => {
    const x = dots(200);
    const y = randomShift(x, 2, new Generator(1));
    const v = y.dataSync();
    const seen = new Set<string>();
    for (let b = 0; b < 200; b++) {
      const lit = [];
      for (let k = 0; k < 98; k++) if (v[b * 98 + k] !== 0) lit.push(k);
      expect(lit).toHaveLength(2);
      const pix = lit[0] / 2;
      const [py, px] = [Math.floor(pix / 7), pix % 7];
      expect(Math.abs(py - 3)).toBeLessThanOrEqual(2);
      expect(Math.abs(px - 3)).toBeLessThanOrEqual(2);
      expect([v[b * 98 + lit[0]], v[b * 98 + lit[1]]]).toEqual([1, 2]);
      seen.add(`${py - 3},${px - 3}`);
    }
    // All 25 offsets occur among 200 draws.
    expect(seen.size).toBe(25);
    tf.dispose([x, y]);
  });

  it('shifts content off the border and fills with zeros', () => {
    // 1×3×3×1 image 1..9; offset drawn from a generator whose first two draws we replay.
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    const g = new Generator(5);
    const probe = new Generator(5);
    const dy = probe.randint(3) - 1;
    const dx = probe.randint(3) - 1;
    const y = randomShift(x, 1, g);
    const img = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    const expected = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => img[r - dy]?.[c - dx] ?? 0));
    expect(Array.from(y.dataSync())).toEqual(expected);
    tf.dispose([x, y]);
  });

  it('is reproducible for a seeded generator and the identity for maxShift 0', () => {
    const x = tf.randomUniform([4, 6, 6, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const a = randomShift(x, 2, new Generator(9));
    const b = randomShift(x, 2, new Generator(9));
    const c = randomShift(x, 0);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(c.dataSync())).toEqual(Array.from(x.dataSync()));
    expect(() => randomShift(x, -1)).toThrow('randomShift: maxShift must be a non-negative integer, got -1');
    tf.dispose([x, a, b, c]);
  });
});

describe('RandomShiftDataset', () => {
  it('shifts images in batches from a DataLoader and passes labels through without leaking', () => {
    const images = dots(6);
    const labels = tf.tensor1d([0, 1, 2, 3, 4, 5], 'int32');
    const inner = new data.TensorDataset(images, labels);
    const ds = new RandomShiftDataset(inner, 1, new Generator(2));
    const before = tf.memory().numTensors;
    const got: number[] = [];
    for (const batch of new data.DataLoader(ds, { batchSize: 4 })) {
      const [x, y] = batch as tf.Tensor[];
      expect(x.shape).toEqual([y.shape[0], 7, 7, 2]);
      const total = Array.from(x.dataSync()).reduce((s, v) => s + v, 0);
      expect(total).toBe(3 * y.shape[0]); // a ±1 shift never loses the centre dot
      got.push(...y.dataSync());
      data.disposeBatch(batch);
    }
    const [one, label] = ds.get(5);
    expect(one.shape).toEqual([7, 7, 2]);
    expect(label.dataSync()[0]).toBe(5);
    tf.dispose([one, label]);
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tf.memory().numTensors).toBe(before);
    inner.dispose();
  });
});
