import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { onCpuAndWasm, randomValues, runOn } from './compare_backends';

const X = randomValues(2 * 3 * 5 * 5, 1); // NCHW [2, 3, 5, 5]
const F = randomValues(3 * 3 * 3 * 4, 2); // [3, 3, 3, 4]

function compare(cpu: { shape: number[]; values: number[] }[], wasm: { shape: number[]; values: number[] }[]): void {
  expect(wasm.length).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    expect(wasm[i].shape).toEqual(cpu[i].shape);
    expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-4, atol: 1e-5, what: `output ${i}` });
  }
}

describe('wasm NCHW and non-rank-1-bias convolutions and matMul', () => {
  it('conv2d in NCHW matches cpu (same, valid, strided, explicit padding)', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(X, [2, 3, 5, 5]);
      const f = tf.tensor4d(F, [3, 3, 3, 4]);
      return [
        tf.conv2d(x, f, 1, 'same', 'NCHW'),
        tf.conv2d(x, f, 2, 'valid', 'NCHW'),
        tf.conv2d(x, f, 1, [[0, 0], [0, 0], [1, 0], [2, 1]], 'NCHW'),
      ];
    });
    expect(wasm[0].shape).toEqual([2, 4, 5, 5]);
    compare(cpu, wasm);
  });

  it('sizes numeric padding with unequal strides per axis (stock wasm overran its output)', async () => {
    const wasm = await runOn('wasm', () => {
      const x = tf.tensor4d(X, [2, 5, 5, 3]);
      const f = tf.tensor4d(F, [3, 3, 3, 4]);
      const y = tf.conv2d(x, f, [2, 1], 1);
      const ref = tf.conv2d(x, f, [2, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]);
      const d = tf.depthwiseConv2d(x, f.slice([0, 0, 0, 0], [3, 3, 3, 1]) as tf.Tensor4D, [2, 1], 1);
      const dRef = tf.depthwiseConv2d(x, f.slice([0, 0, 0, 0], [3, 3, 3, 1]) as tf.Tensor4D, [2, 1], [[0, 0], [1, 1], [1, 1], [0, 0]]);
      return [y, ref, d, dRef];
    });
    // (5 + 2 - 3) / 2 + 1 = 3 rows, (5 + 2 - 3) / 1 + 1 = 5 columns
    expect(wasm[0].shape).toEqual([2, 3, 5, 4]);
    expect(wasm[0].values).toEqual(wasm[1].values);
    expect(wasm[2].shape).toEqual([2, 3, 5, 3]);
    expect(wasm[2].values).toEqual(wasm[3].values);
  });

  it('fused conv2d: NCHW with bias and relu / prelu, NHWC with rank-0 and rank-4 bias', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(X, [2, 3, 5, 5]);
      const xh = x.transpose([0, 2, 3, 1]) as tf.Tensor4D;
      const f = tf.tensor4d(F, [3, 3, 3, 4]);
      const bias = tf.tensor1d([0.1, -0.2, 0.3, -0.4]);
      const alpha = tf.tensor1d([0.1, 0.2, 0.3, 0.4]);
      return [
        tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'same', dataFormat: 'NCHW', bias, activation: 'relu' }),
        tf.fused.conv2d({ x, filter: f, strides: 1, pad: 'same', dataFormat: 'NCHW', bias, activation: 'prelu', preluActivationWeights: alpha }),
        tf.fused.conv2d({ x: xh, filter: f, strides: 1, pad: 'valid', bias: tf.scalar(0.5), activation: 'elu' }),
        tf.fused.conv2d({ x: xh, filter: f, strides: 2, pad: 'same', bias: tf.ones([1, 1, 1, 4]).mul(-0.3), activation: 'leakyrelu', leakyreluAlpha: 0.3 }),
      ];
    });
    compare(cpu, wasm);
  });

  it('fused depthwiseConv2d and matMul with a bias of rank 0 or 2 match cpu', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const xh = tf.tensor4d(X, [2, 5, 5, 3]);
      const df = tf.tensor4d(F.slice(0, 3 * 3 * 3 * 2), [3, 3, 3, 2]);
      const a = tf.tensor2d(X.slice(0, 12), [3, 4]);
      const b = tf.tensor2d(F.slice(0, 20), [4, 5]);
      return [
        tf.fused.depthwiseConv2d({ x: xh, filter: df, strides: 1, pad: 'same', bias: tf.scalar(0.25), activation: 'relu6' }),
        tf.fused.matMul({ a, b, bias: tf.tensor2d(randomValues(15, 3), [3, 5]), activation: 'sigmoid' }),
        tf.fused.matMul({ a: b, b: a, transposeA: true, transposeB: true, bias: tf.scalar(1), activation: 'relu' }),
      ];
    });
    compare(cpu, wasm);
  });

  it('gives fused conv2d the same gradients as cpu', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const xh = tf.tensor4d(X, [2, 5, 5, 3]);
      const f = tf.tensor4d(F, [3, 3, 3, 4]);
      const bias = tf.tensor1d([0.1, -0.2, 0.3, -0.4]);
      const loss = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: 'same', bias: b, activation: 'relu' }).square().sum();
      return tf.grads(loss)([xh, f, bias]);
    });
    compare(cpu, wasm);
  });
});
