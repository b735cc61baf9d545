import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { onCpuAndWasm, randomValues } from './compare_backends';

type Pad = 'valid' | 'same' | number;
const CASES: { x: [number, number, number, number]; k: number | [number, number]; s: number | [number, number]; pad: Pad; round?: 'floor' | 'ceil' | 'round' }[] = [
  { x: [2, 6, 6, 3], k: 2, s: 2, pad: 'valid' },
  { x: [2, 7, 7, 3], k: 3, s: 2, pad: 'same' },
  { x: [1, 7, 5, 2], k: [3, 2], s: [2, 1], pad: 'valid' },
  { x: [2, 5, 5, 2], k: 3, s: 1, pad: 1 },
  { x: [1, 8, 8, 2], k: 3, s: 3, pad: 1, round: 'ceil' },
];

describe('wasm MaxPoolGrad / AvgPoolGrad', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('match cpu through tf.grad (case %i)', async (i, c) => {
    const xv = randomValues(c.x.reduce((a, b) => a * b), 90 + i);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, c.x);
      const w = (y: tf.Tensor) => tf.tensor(randomValues(y.size, 5), y.shape);
      const gMax = tf.grad((a: tf.Tensor) => { const y = tf.maxPool(a as tf.Tensor4D, c.k, c.s, c.pad, c.round); return y.mul(w(y)).sum(); })(x);
      const gAvg = tf.grad((a: tf.Tensor) => { const y = tf.avgPool(a as tf.Tensor4D, c.k, c.s, c.pad, c.round); return y.mul(w(y)).sum(); })(x);
      return [gMax, gAvg];
    });
    for (let j = 0; j < 2; j++) {
      expect(wasm[j].shape).toEqual(c.x);
      expectClose(wasm[j].values, cpu[j].values, { rtol: 1e-5, atol: 1e-6, what: j === 0 ? 'max' : 'avg' });
    }
  });

  it('routes ties to the first maximum and skips NaN and all -Infinity windows, like cpu', async () => {
    const v = [1, 1, 3, 3, NaN, 2, -Infinity, -Infinity, 5, 5, 5, 0, -Infinity, -Infinity, 1, 4];
    const [cpu, wasm] = await onCpuAndWasm(() =>
      tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(tf.tensor4d(v, [1, 4, 4, 1])));
    expect(wasm[0].values).toEqual(cpu[0].values);
    // window (0,0) = [1, 1, NaN, 2] -> the 2; window (1,0) = [5, 5, -inf, -inf] -> the first 5
    expect(wasm[0].values[5]).toBe(1);
    expect(wasm[0].values[8]).toBe(1);
    expect(wasm[0].values[9]).toBe(0);
  });
});
