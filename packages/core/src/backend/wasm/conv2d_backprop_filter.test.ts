import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { backendDataIds, onCpuAndWasm, randomValues } from './compare_backends';

/** The kernel itself (tf.conv2DBackpropFilter is not public API). */
function backpropFilter(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], strides: number | [number, number], pad: Pad, dataFormat: 'NHWC' | 'NCHW' = 'NHWC'): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

interface Case {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: number | [number, number];
  pad: Pad;
}

const CASES: Case[] = [
  { x: [2, 5, 5, 3], k: [3, 3], co: 4, stride: 1, pad: 'valid' },
  { x: [2, 5, 5, 3], k: [3, 3], co: 4, stride: 1, pad: 'same' },
  { x: [1, 7, 6, 2], k: [3, 2], co: 3, stride: 2, pad: 'same' },
  { x: [1, 7, 6, 2], k: [3, 2], co: 3, stride: 2, pad: 'valid' },
  { x: [3, 8, 9, 4], k: [3, 3], co: 5, stride: [3, 2], pad: 'valid' }, // last rows unused: crop
  { x: [2, 6, 6, 3], k: [2, 2], co: 2, stride: 1, pad: 1 },
  { x: [1, 5, 7, 2], k: [3, 3], co: 2, stride: 2, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [2, 4, 4, 1], k: [4, 4], co: 3, stride: 1, pad: 'valid' }, // 1x1 output
];

describe('wasm Conv2DBackpropFilter', () => {
  it.each(CASES.map((c, i) => [i, c] as const))('matches cpu (case %i)', async (i, c) => {
    const [b, h, w, ci] = c.x;
    const xv = randomValues(b * h * w * ci, 11 + i);
    const filterShape: [number, number, number, number] = [c.k[0], c.k[1], ci, c.co];
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, c.x);
      const y = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad);
      const dy = tf.tensor4d(randomValues(y.size, 97 + i), y.shape);
      return backpropFilter(x, dy, filterShape, c.stride, c.pad);
    });
    expect(wasm[0].shape).toEqual(filterShape);
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5 });
  });

  it('matches cpu for NCHW', async () => {
    const xv = randomValues(2 * 3 * 6 * 5, 5);
    const filterShape: [number, number, number, number] = [3, 3, 3, 2];
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, [2, 3, 6, 5]);
      const dy = tf.tensor4d(randomValues(2 * 2 * 3 * 3, 6), [2, 2, 3, 3]);
      return backpropFilter(x, dy, filterShape, 2, 'same', 'NCHW');
    });
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5 });
  });

  it('gives conv2d, conv1d and conv2dTranspose the same gradients as cpu', async () => {
    const xv = randomValues(2 * 6 * 6 * 3, 1);
    const wv = randomValues(3 * 3 * 3 * 4, 2);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor4d(xv, [2, 6, 6, 3]);
      const w = tf.tensor4d(wv, [3, 3, 3, 4]);
      const conv = tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 2, 'same').square().sum());
      const [gx, gw] = conv([x, w]);
      const x1 = tf.tensor3d(xv.slice(0, 2 * 9 * 3), [2, 9, 3]);
      const w1 = tf.tensor3d(wv.slice(0, 3 * 3 * 4), [3, 3, 4]);
      const conv1 = tf.grads((a: tf.Tensor, f: tf.Tensor) => tf.conv1d(a as tf.Tensor3D, f as tf.Tensor3D, 1, 'valid').sin().sum());
      const [gx1, gw1] = conv1([x1, w1]);
      const wt = tf.tensor4d(wv, [3, 3, 4, 3]); // [kh, kw, outC, inC]
      const convT = tf.grads((a: tf.Tensor, f: tf.Tensor) =>
        tf.conv2dTranspose(a as tf.Tensor4D, f as tf.Tensor4D, [2, 11, 11, 4], 2, 'valid').square().sum());
      const [gxt, gwt] = convT([x.slice([0, 0, 0, 0], [2, 5, 5, 3]), wt]);
      return [gx, gw, gx1, gw1, gxt, gwt];
    });
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-4, atol: 1e-4, what: `gradient ${i}` });
    }
  });

  it('leaves no data behind on the wasm backend', async () => {
    const [, wasm] = await onCpuAndWasm(() => {
      const [tensors, ids] = [tf.memory().numTensors, backendDataIds()];
      const x = tf.ones([1, 5, 4, 2]) as tf.Tensor4D;
      const dy = tf.ones([1, 2, 1, 3]) as tf.Tensor4D;
      backpropFilter(x, dy, [3, 3, 2, 3], 2, 'valid', 'NHWC').dispose(); // crops x: most temporaries
      x.dispose();
      dy.dispose();
      return tf.tensor1d([tf.memory().numTensors - tensors, backendDataIds() - ids]);
    });
    expect(wasm[0].values).toEqual([0, 0]);
  });
});
