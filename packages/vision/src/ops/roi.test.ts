import * as path from 'path';
import { tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { roiAlign, roiPool } from './index';

const FIXTURES = path.join(__dirname, '../../fixtures/roi');

/** Output and d sum(out · g) / dx of `op` on a fixture's input. */
function run(fx: ReturnType<typeof loadFixture>, op: (x: tf.Tensor4D) => tf.Tensor4D): { out: tf.Tensor; grad: tf.Tensor } {
  const { x, g } = fx.tensors;
  const out = op(x as tf.Tensor4D);
  const grad = tf.grad((xx: tf.Tensor) => op(xx as tf.Tensor4D).mul(g).sum())(x);
  return { out, grad };
}

describe('roiAlign matches torchvision.ops.roi_align', () => {
  for (const name of ['align_default', 'align_aligned_s2', 'align_scale025']) {
    it(`${name}: output and input gradient`, () => {
      const fx = loadFixture(FIXTURES, name);
      const m = fx.meta as { output_size: [number, number]; sampling_ratio: number; aligned: boolean; spatial_scale: number };
      const { out, grad } = run(fx, (x) =>
        roiAlign(x, fx.tensors.boxes as tf.Tensor2D, fx.tensors.batch as tf.Tensor1D, {
          outputSize: m.output_size,
          samplingRatio: m.sampling_ratio,
          aligned: m.aligned,
          spatialScale: m.spatial_scale,
        }),
      );
      expectClose(out, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: 'out' });
      expectClose(grad, fx.tensors.grad_x, { rtol: 1e-4, atol: 1e-5, what: 'grad x' });
      tf.dispose([out, grad]);
      fx.dispose();
    });
  }
});

describe('roiPool matches torchvision.ops.roi_pool', () => {
  for (const name of ['pool_default', 'pool_scale05']) {
    it(`${name}: output and input gradient`, () => {
      const fx = loadFixture(FIXTURES, name);
      const m = fx.meta as { output_size: [number, number]; spatial_scale: number };
      const { out, grad } = run(fx, (x) =>
        roiPool(x, fx.tensors.boxes as tf.Tensor2D, fx.tensors.batch as tf.Tensor1D, { outputSize: m.output_size, spatialScale: m.spatial_scale }),
      );
      expectClose(out, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: 'out' });
      expectClose(grad, fx.tensors.grad_x, { rtol: 1e-4, atol: 1e-5, what: 'grad x' });
      tf.dispose([out, grad]);
      fx.dispose();
    });
  }
});

describe('RoI ops by hand', () => {
  // 1×4×4×1 map with value 4y + x.
  const ramp = () => tf.range(0, 16).reshape([1, 4, 4, 1]) as tf.Tensor4D;

  it('roiAlign of a 2×2 box with one bin and one sample reads the bilinear value at its centre', () => {
    const x = ramp();
    const boxes = tf.tensor2d([[0, 0, 2, 2]]);
    const out = roiAlign(x, boxes, [0], { outputSize: 1, samplingRatio: 1 });
    expectClose(out, [5], { atol: 1e-6 }); // centre (1, 1): 4·1 + 1
    const aligned = roiAlign(x, boxes, [0], { outputSize: 1, samplingRatio: 1, aligned: true });
    expectClose(aligned, [2.5], { atol: 1e-6 }); // centre (0.5, 0.5): (0 + 1 + 4 + 5) / 4
    tf.dispose([x, boxes, out, aligned]);
  });

  it('roiPool takes the maximum of each bin and 0 for a box outside the map', () => {
    const x = ramp();
    const boxes = tf.tensor2d([[0, 0, 3, 3], [10, 10, 12, 12]]);
    const out = roiPool(x, boxes, [0, 0], { outputSize: 2 });
    expect(out.shape).toEqual([2, 2, 2, 1]);
    expectClose(out, [5, 7, 13, 15, 0, 0, 0, 0], { atol: 0 });
    tf.dispose([x, boxes, out]);
  });

  it('handles zero boxes and leaks nothing', () => {
    const x = tf.randomNormal([2, 5, 5, 3]) as tf.Tensor4D;
    const boxes = tf.tensor2d([[0, 0, 4, 4], [1, 1, 3, 2]]);
    const none = tf.zeros([0, 4]) as tf.Tensor2D;
    const empty = roiAlign(x, none, [], { outputSize: 2 });
    expect(empty.shape).toEqual([0, 2, 2, 3]);
    empty.dispose();
    expectNoLeak(() => roiAlign(x, boxes, [0, 1], { outputSize: 2 }).dispose());
    expectNoLeak(() => roiPool(x, boxes, [1, 0], { outputSize: [2, 3] }).dispose());
    expectNoLeak(() => tf.tidy(() => tf.grad((f: tf.Tensor) => roiAlign(f as tf.Tensor4D, boxes, [0, 1], { outputSize: 2 }).sum())(x)).dispose());
    tf.dispose([x, boxes, none]);
  });

  it('rejects bad input with the shapes in the message', () => {
    const x = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D;
    const boxes = tf.tensor2d([[0, 0, 2, 2]]);
    const chw = tf.zeros([1, 4, 4]) as unknown as tf.Tensor4D;
    expect(() => roiAlign(chw, boxes, [0], { outputSize: 2 })).toThrow('roiAlign: features must be NHWC [batch, height, width, channels], got shape [1,4,4]');
    const b5 = tf.zeros([1, 5]) as tf.Tensor2D;
    expect(() => roiPool(x, b5, [0], { outputSize: 2 })).toThrow('roiPool: boxes must be [numBoxes, 4] (x1, y1, x2, y2), got shape [1,5]');
    expect(() => roiAlign(x, boxes, [1], { outputSize: 2 })).toThrow('roiAlign: boxIndices[0] (1) is outside [0, 0]');
    expect(() => roiAlign(x, boxes, [0, 0], { outputSize: 2 })).toThrow('roiAlign: boxIndices has 2 entries but boxes has 1 rows');
    expect(() => roiPool(x, boxes, [0], { outputSize: [0, 2] })).toThrow('roiPool: outputSize must be positive integers, got [0, 2]');
    expect(() => roiAlign(x, boxes, [0], { outputSize: 2, spatialScale: 0 })).toThrow('roiAlign: spatialScale must be > 0, got 0');
    tf.dispose([x, boxes, chw, b5]);
  });
});
