import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { backendDataIds, onCpuAndWasm, randomValues } from './compare_backends';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

const CASES: { x: [number, number, number, number]; k: [number, number]; co: number; stride: number | [number, number]; pad: Pad }[] = [
  { x: [2, 6, 6, 3], k: [3, 3], co: 4, stride: 1, pad: 'same' },
  { x: [2, 6, 5, 3], k: [3, 2], co: 4, stride: 1, pad: 'valid' },
  { x: [1, 8, 8, 2], k: [3, 3], co: 3, stride: 2, pad: 'same' },
  { x: [1, 9, 8, 2], k: [3, 3], co: 3, stride: 2, pad: 'valid' }, // last row never read
  { x: [2, 7, 7, 2], k: [2, 2], co: 2, stride: 2, pad: 1 },
  { x: [2, 7, 6, 2], k: [2, 3], co: 3, stride: [2, 1], pad: 'same' },
  { x: [1, 7, 9, 2], k: [3, 3], co: 2, stride: 1, pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
  { x: [1, 10, 10, 2], k: [3, 3], co: 2, stride: 3, pad: 'same' }, // stock kernel
];

describe('wasm Conv2DBackpropInput through XNNPACK', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('matches cpu (case %i)', async (i, c) => {
    const filterShape = [c.k[0], c.k[1], c.x[3], c.co] as [number, number, number, number];
    const fv = randomValues(filterShape.reduce((a, b) => a * b), 40 + i);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const f = tf.tensor4d(fv, filterShape);
      const y = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, f, c.stride, c.pad);
      const dy = tf.tensor4d(randomValues(y.size, 70 + i), y.shape);
      return tf.conv2dTranspose(dy, f, c.x, c.stride, c.pad as 'same');
    });
    expect(wasm[0].shape).toEqual(c.x);
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5 });
  });

  it('gives conv2d its input gradient as cpu does, without leaks', async () => {
    const xv = randomValues(2 * 8 * 8 * 3, 1);
    const wv = randomValues(3 * 3 * 3 * 5, 2);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, [2, 8, 8, 3]);
      const w = tf.tensor4d(wv, [3, 3, 3, 5]);
      const f = (a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w, 2, 'same').relu().sum();
      const g = tf.grad(f)(x);
      const ids = backendDataIds();
      tf.dispose(tf.grad(f)(x));
      return [g, tf.scalar(backendDataIds() - ids)];
    });
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5 });
    expect(wasm[1].values).toEqual([0]);
  });
});
