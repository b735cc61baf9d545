import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { backendDataIds, onCpuAndWasm, randomValues } from './compare_backends';

type Pad = 'valid' | 'same' | number;

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  mult: number;
  stride: number;
  dilation: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 5, 5, 3], k: [3, 3], mult: 1, stride: 1, dilation: 1, pad: 'valid' },
  { x: [2, 5, 5, 3], k: [3, 3], mult: 2, stride: 1, dilation: 1, pad: 'same' },
  { x: [1, 7, 6, 2], k: [3, 2], mult: 3, stride: 2, dilation: 1, pad: 'same' },
  { x: [2, 8, 9, 4], k: [3, 3], mult: 1, stride: 3, dilation: 1, pad: 'valid' },
  { x: [2, 6, 6, 3], k: [2, 2], mult: 1, stride: 1, dilation: 1, pad: 1 },
];

function kernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

describe('wasm DepthwiseConv2dNativeBackpropFilter / BackpropInput', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('match cpu (case %i)', async (i, c) => {
    const [b, h, w, ch] = c.x;
    const filterShape = [c.k[0], c.k[1], ch, c.mult] as [number, number, number, number];
    const xv = randomValues(b * h * w * ch, 3 + i);
    const fv = randomValues(filterShape.reduce((p, q) => p * q), 300 + i);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, c.x);
      const f = tf.tensor4d(fv, filterShape);
      const y = tf.depthwiseConv2d(x, f, c.stride, c.pad, 'NHWC', c.dilation);
      const dy = tf.tensor4d(randomValues(y.size, 50 + i), y.shape);
      const attrs = { strides: c.stride, dilations: c.dilation, pad: c.pad };
      return [
        kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape }),
        kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { ...attrs, inputShape: c.x }),
      ];
    });
    expect(wasm[0].shape).toEqual(filterShape);
    expect(wasm[1].shape).toEqual(c.x);
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5, what: 'dFilter' });
    expectClose(wasm[1].values, cpu[1].values, { rtol: 1e-4, atol: 1e-5, what: 'dInput' });
  });

  it('handle dilation (cpu ignores it here: reference from the forward op by linearity)', async () => {
    // y = conv(x, f) is linear in x and in f, so dL/df[i] = sum(conv(x, e_i) * dy), likewise for x.
    const xShape: [number, number, number, number] = [1, 6, 6, 2];
    const fShape: [number, number, number, number] = [3, 3, 2, 2];
    const xv = randomValues(72, 31);
    const fv = randomValues(36, 32);
    const attrs = { strides: 1, dilations: 2, pad: 'same' as const };
    const conv = (x: tf.Tensor4D, f: tf.Tensor4D) => tf.depthwiseConv2d(x, f, 1, 'same', 'NHWC', 2);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, xShape);
      const f = tf.tensor4d(fv, fShape);
      const dy = tf.tensor4d(randomValues(6 * 6 * 4, 33), [1, 6, 6, 4]);
      const onehot = (n: number, i: number) => tf.oneHot(tf.scalar(i, 'int32'), n).asType('float32');
      const refF = tf.stack(Array.from({ length: 36 }, (_, i) => conv(x, onehot(36, i).reshape(fShape)).mul(dy).sum()));
      const refX = tf.stack(Array.from({ length: 72 }, (_, i) => conv(onehot(72, i).reshape(xShape), f).mul(dy).sum()));
      return [
        refF, refX,
        kernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: fShape }),
        kernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: f }, { ...attrs, inputShape: xShape }),
      ];
    });
    expectClose(wasm[2].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5, what: 'dFilter' });
    expectClose(wasm[3].values, cpu[1].values, { rtol: 1e-4, atol: 1e-5, what: 'dInput' });
  });

  it('give depthwiseConv2d and separableConv2d the same gradients as cpu, without leaks', async () => {
    const xv = randomValues(2 * 7 * 7 * 3, 8);
    const dv = randomValues(3 * 3 * 3 * 2, 9);
    const pv = randomValues(6 * 4, 10);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const ids = backendDataIds();
      const x = tf.tensor4d(xv, [2, 7, 7, 3]);
      const d = tf.tensor4d(dv, [3, 3, 3, 2]);
      const p = tf.tensor4d(pv, [1, 1, 6, 4]);
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.separableConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor4D, 2, 'same').tanh().sum();
      const grads = tf.grads(f)([x, d, p]);
      const leaked = tf.tidy(() => {
        tf.dispose(tf.grads(f)([x, d, p]));
        return backendDataIds();
      });
      return [...grads, tf.scalar(leaked - ids)];
    });
    for (let i = 0; i < 3; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-4, atol: 1e-5, what: `gradient ${i}` });
    }
    // x, d, p and the three gradients, nothing else
    expect(wasm[3].values[0]).toBe(6);
  });
});
