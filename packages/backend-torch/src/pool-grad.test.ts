/**
 * Max pooling's gradient on torch through TF.js's tape, against the cpu backend: MaxPool keeps
 * ATen's argmax beside its output while a tape records and MaxPoolGrad reuses it. Checked on
 * NaN inputs (TF.js skips NaN where ATen propagates it), with padding, and for freed handles.
 */
import { tf } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { loadAddon } from './addon';

type Pool = { filter: [number, number]; strides: [number, number]; pad: 'valid' | 'same' };

/** The pooled values and d(sum(pool(x) * w))/dx on the current backend. */
function poolAndGrad(values: Float32Array, shape: [number, number, number, number], p: Pool): { y: Float32Array; dx: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values, shape);
    const f = (t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, p.filter, p.strides, p.pad);
    const y = f(x);
    const w = tf.range(0, y.size).reshape(y.shape).div(y.size);
    const dx = tf.grad((t: tf.Tensor) => f(t).mul(w).sum())(x);
    return { y: y.dataSync() as Float32Array, dx: dx.dataSync() as Float32Array };
  });
}

async function onCpu<T>(fn: () => T): Promise<T> {
  await tf.setBackend('cpu');
  try {
    return fn();
  } finally {
    await tf.setBackend('torch');
  }
}

const SHAPE: [number, number, number, number] = [2, 6, 5, 3];
const inputs = (withNaN: boolean): Float32Array => {
  const v = Float32Array.from({ length: 2 * 6 * 5 * 3 }, (_, i) => Math.sin(i * 1.7) * 3);
  if (withNaN) [4, 31, 32, 77].forEach((i) => (v[i] = NaN));
  return v;
};

describe('MaxPool / MaxPoolGrad on torch (kept argmax)', () => {
  const cases: [string, boolean, Pool][] = [
    ['2x2 valid', false, { filter: [2, 2], strides: [2, 2], pad: 'valid' }],
    ['3x3 stride 2 same (padded)', false, { filter: [3, 3], strides: [2, 2], pad: 'same' }],
    ['2x2 valid, NaN inputs', true, { filter: [2, 2], strides: [2, 2], pad: 'valid' }],
    ['3x3 stride 1 same, NaN inputs', true, { filter: [3, 3], strides: [1, 1], pad: 'same' }],
  ];
  for (const [label, withNaN, p] of cases) {
    it(`${label}: values and gradient equal cpu's`, async () => {
      expect(tf.getBackend()).toBe('torch');
      const v = inputs(withNaN);
      const torch = poolAndGrad(v, SHAPE, p);
      const cpu = await onCpu(() => poolAndGrad(v, SHAPE, p));
      expectClose(torch.y, cpu.y, { rtol: 0, atol: 0 });
      expectClose(torch.dx, cpu.dx, { rtol: 1e-6, atol: 1e-7 });
    });
  }

  it('frees the kept argmax with the pooled output (no native handle left)', () => {
    const addon = loadAddon();
    const x = tf.tensor4d(inputs(false), SHAPE);
    const handles = addon.liveHandles();
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const dx = tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid').sum())(x);
      dx.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(addon.liveHandles()).toBe(handles);
    x.dispose();
  });
});
