import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { onCpuAndWasm, randomValues, runOn } from './compare_backends';

describe('wasm UnsortedSegmentSum', () => {
  it('matches cpu for float32 rows, int32 values and out-of-range ids', async () => {
    const xv = randomValues(6 * 4, 1);
    const [cpu, wasm] = await onCpuAndWasm(() => [
      tf.unsortedSegmentSum(tf.tensor2d(xv, [6, 4]), tf.tensor1d([2, 0, 2, 4, 1, 0], 'int32'), 5),
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4, 5], 'int32'), tf.tensor1d([1, 1, 0, 3, 1], 'int32'), 4),
      tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([-1, 1, 7], 'int32'), 2),
    ]);
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-5, atol: 1e-6, what: `case ${i}` });
    }
    expect(wasm[1].values).toEqual([3, 8, 0, 4]);
    expect(wasm[2].values).toEqual([0, 2]);
  });

  it('sums over 2-D segment ids (the kernel accepts any rank, unlike cpu)', async () => {
    const xv = randomValues(2 * 3 * 4, 2);
    const wasm = await runOn('wasm', () =>
      tf.engine().runKernel('UnsortedSegmentSum', { x: tf.tensor3d(xv, [2, 3, 4]), segmentIds: tf.tensor2d([[0, 1, 0], [2, 1, 1]], [2, 3], 'int32') }, { numSegments: 3 }) as tf.Tensor);
    const rows = [0, 1, 0, 2, 1, 1];
    const expected = [0, 1, 2].flatMap((s) => [0, 1, 2, 3].map((j) => rows.reduce((acc, r, i) => acc + (r === s ? xv[i * 4 + j] : 0), 0)));
    expect(wasm[0].shape).toEqual([3, 4]);
    expectClose(wasm[0].values, expected, { rtol: 1e-5, atol: 1e-6 });
  });

  it('gives gather (the Embedding lookup) the same gradient as cpu', async () => {
    const table = randomValues(10 * 3, 4);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const w = tf.tensor2d(table, [10, 3]);
      const idx = tf.tensor2d([[1, 4, 1], [9, 0, 4]], [2, 3], 'int32');
      const g = tf.grad((t: tf.Tensor) => tf.gather(t, idx).square().sum())(w);
      const g1 = tf.grad((t: tf.Tensor) => tf.gather(t, tf.tensor1d([2, 1, 2], 'int32'), 1).sum())(w);
      return [g, g1];
    });
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-5, atol: 1e-6, what: `gradient ${i}` });
    }
    // rows 2, 3, 5..8 were never looked up
    expect(wasm[0].values.slice(2 * 3, 4 * 3)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
