import { tf, F, manualSeed, Generator, gradcheck } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';

describe('F activations', () => {
  let x: tf.Tensor1D;
  beforeAll(() => {
    x = tf.tensor1d([-3, -1, -0.5, 0, 0.5, 1, 3]);
  });
  afterAll(() => x.dispose());

  it('match closed forms', () => {
    const v = Array.from(x.dataSync());
    const erf = (z: number): number => {
      // Abramowitz–Stegun 7.1.26 is only 1e-7 accurate; use a series for |z| <= 3
      let sum = 0;
      let term = z;
      for (let n = 0; n < 60; n++) {
        sum += term / (2 * n + 1);
        term *= (-z * z) / (n + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * sum;
    };
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    expectClose(F.relu(x), v.map((z) => Math.max(z, 0)));
    expectClose(F.leakyRelu(x), v.map((z) => (z > 0 ? z : 0.01 * z)));
    expectClose(F.leakyRelu(x, 0.3), v.map((z) => (z > 0 ? z : 0.3 * z)));
    expectClose(F.elu(x, 2), v.map((z) => (z > 0 ? z : 2 * Math.expm1(z))));
    const a = 1.6732632423543772;
    const s = 1.0507009873554805;
    expectClose(F.selu(x), v.map((z) => s * (z > 0 ? z : a * Math.expm1(z))));
    expectClose(F.gelu(x), v.map((z) => 0.5 * z * (1 + erf(z / Math.SQRT2))));
    expectClose(
      F.gelu(x, { approximate: 'tanh' }),
      v.map((z) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)))),
    );
    expectClose(F.sigmoid(x), v.map(sig));
    expectClose(F.tanh(x), v.map(Math.tanh));
    expectClose(F.silu(x), v.map((z) => z * sig(z)));
    expectClose(F.softplus(x), v.map((z) => Math.log1p(Math.exp(z))));
    expectClose(F.softplus(x, { beta: 3, threshold: 2 }), v.map((z) => (3 * z > 2 ? z : Math.log1p(Math.exp(3 * z)) / 3)));
  });

  it('softmax and logSoftmax are stable for large logits and respect dim', () => {
    const big = tf.tensor2d([[1000, 0, -1000], [0.5, 0.5, 0.5]]);
    expectClose(F.softmax(big), [1, 0, 0, 1 / 3, 1 / 3, 1 / 3]);
    expectClose(F.logSoftmax(big), [0, -1000, -2000, -Math.log(3), -Math.log(3), -Math.log(3)]);
    // along dim 0: columns
    const l0 = F.logSoftmax(big, 0).dataSync();
    expect(l0[0]).toBeCloseTo(0, 5);
    expect(l0[3]).toBeCloseTo(-999.5, 2);
    expectClose(tf.exp(F.logSoftmax(big, -2)).sum(0), [1, 1, 1]);
    expect(() => F.softmax(tf.scalar(1))).toThrow(/softmax: expected at least a 1-D tensor/);
    big.dispose();
  });

  it('gelu rejects an unknown approximation', () => {
    expect(() => F.gelu(x, { approximate: 'fast' as 'tanh' })).toThrow(/gelu: approximate must be 'none' or 'tanh', got 'fast'/);
  });

  it('gradients match finite differences', () => {
    const t = tf.tensor2d([[0.3, -0.7, 1.2], [-1.5, 0.45, 2.1]]);
    for (const fn of [
      (a: tf.Tensor) => F.gelu(a),
      (a: tf.Tensor) => F.gelu(a, { approximate: 'tanh' }),
      (a: tf.Tensor) => F.elu(a, 0.5),
      (a: tf.Tensor) => F.softplus(a, { beta: 2 }),
      (a: tf.Tensor) => F.softmax(a, 0),
      (a: tf.Tensor) => F.logSoftmax(a, 1),
      (a: tf.Tensor) => F.silu(a),
    ])
      expect(gradcheck(fn, [t], { atol: 2e-3, rtol: 2e-2 }).ok).toBe(true);
    t.dispose();
  });

  it('elu gradient stays finite for large inputs', () => {
    const t = tf.tensor1d([200, -200, 1]);
    const g = tf.grad((a: tf.Tensor) => F.elu(a).sum())(t);
    expectClose(g, [1, 0, 1]);
    tf.dispose([t, g]);
  });
});

describe('F.dropout', () => {
  it('is inverted dropout with a reproducible mask from manualSeed', () => {
    const x = tf.ones([1000]);
    manualSeed(123);
    const a = F.dropout(x, 0.25);
    manualSeed(123);
    const b = F.dropout(x, 0.25);
    const av = a.dataSync();
    expectClose(a, b, { rtol: 0, atol: 0 });
    const kept = Array.from(av).filter((v) => v !== 0);
    kept.forEach((v) => expect(v).toBeCloseTo(1 / 0.75, 6));
    // 750 kept in expectation; binomial sd ≈ 13.7, so ±60 is > 4 sd
    expect(Math.abs(kept.length - 750)).toBeLessThan(60);
    // the expectation is preserved
    expect(a.mean().dataSync()[0]).toBeCloseTo(1, 0);
    tf.dispose([x, a, b]);
  });

  it('uses the given generator, is the identity in eval mode, and handles p = 0 and 1', () => {
    const x = tf.tensor2d([[1, 2], [3, 4]]);
    const m1 = F.dropout(x, 0.5, true, new Generator(5)).dataSync();
    const m2 = F.dropout(x, 0.5, true, new Generator(5)).dataSync();
    expect(Array.from(m1)).toEqual(Array.from(m2));
    expectClose(F.dropout(x, 0.9, false), x, { rtol: 0, atol: 0 });
    expectClose(F.dropout(x, 0), x, { rtol: 0, atol: 0 });
    expectClose(F.dropout(x, 1), [0, 0, 0, 0]);
    expect(() => F.dropout(x, 1.5)).toThrow(/dropout: p must be in \[0, 1\], got 1.5/);
    x.dispose();
  });

  it('gradient is the mask', () => {
    const x = tf.tensor1d([1, 2, 3, 4, 5, 6]);
    const g = tf.grad((a: tf.Tensor) => F.dropout(a, 0.5, true, new Generator(9)).sum())(x);
    const y = F.dropout(x, 0.5, true, new Generator(9));
    expectClose(g, tf.div(y, x));
    tf.dispose([x, g, y]);
  });

  it('does not leak', () => {
    const x = tf.ones([4, 4]);
    expectNoLeak(() => F.dropout(x, 0.3).dispose());
    x.dispose();
  });
});

describe('F.linear', () => {
  it('computes x Wᵀ + b with a [out, in] weight for any leading shape', () => {
    const x = tf.tensor3d([[[1, 2, 3]], [[0, -1, 1]]]); // [2, 1, 3]
    const w = tf.tensor2d([[1, 0, 1], [2, 1, 0]]); // [2, 3]
    const b = tf.tensor1d([0.5, -1]);
    const y = F.linear(x, w, b);
    expect(y.shape).toEqual([2, 1, 2]);
    expectClose(y, [4.5, 3, 1.5, -2]);
    expectClose(F.linear(x, w), [4, 4, 1, -1]);
    expect(() => F.linear(tf.ones([2, 4]), w)).toThrow(/linear: input \[\.\.\., 3\] expected for weight \[2,3\], got shape \[2,4\]/);
    expect(() => F.linear(x, w, tf.ones([3]))).toThrow(/linear: bias must be \[2\], got shape \[3\]/);
    tf.dispose([x, w, b, y]);
  });
});
