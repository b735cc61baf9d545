import { tf, nn, manualSeed } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { expectNoLeakForwardBackward } from '../../fixtures/nn_layers/harness';

describe('Dropout', () => {
  it('drops about p of the elements, scales the rest by 1/(1-p), reproducibly under manualSeed', () => {
    const d = new nn.Dropout(0.4);
    const x = tf.ones([40, 50]);
    manualSeed(3);
    const a = d.forward(x);
    manualSeed(3);
    const b = d.forward(x);
    expectClose(a, b, { rtol: 0, atol: 0 });
    const v = Array.from(a.dataSync());
    const zeros = v.filter((e) => e === 0).length;
    expect(Math.abs(zeros - 800)).toBeLessThan(100); // binomial(2000, 0.4): sd ≈ 22
    v.filter((e) => e !== 0).forEach((e) => expect(e).toBeCloseTo(1 / 0.6, 5));
    const c = d.forward(x); // next draw differs
    expect(Array.from(c.dataSync())).not.toEqual(v);
    tf.dispose([x, a, b, c]);
  });

  it('is the identity in eval mode and with p = 0', () => {
    const x = tf.tensor2d([[1, -2], [3, 4]]);
    const d = new nn.Dropout(0.9).eval();
    expectClose(d.forward(x), x, { rtol: 0, atol: 0 });
    expectClose(new nn.Dropout(0).forward(x), x, { rtol: 0, atol: 0 });
    expectClose(new nn.Dropout(1).forward(x), [0, 0, 0, 0]);
    expect(new nn.Dropout().p).toBe(0.5);
    x.dispose();
  });

  it('passes gradient through the kept elements only', () => {
    const d = new nn.Dropout(0.5);
    const x = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
    manualSeed(11);
    const y = d.forward(x);
    manualSeed(11);
    const g = tf.grad((t: tf.Tensor) => d.forward(t).sum())(x);
    expectClose(g, tf.div(y, x));
    tf.dispose([x, y, g]);
  });

  it('does not leak and has an empty state dict', () => {
    const d = new nn.Dropout(0.2);
    const x = tf.ones([3, 4]);
    expectNoLeakForwardBackward(d, x);
    expect(Object.keys(d.stateDict())).toEqual([]);
    x.dispose();
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => new nn.Dropout(-0.1)).toThrow(/Dropout: p must be in \[0, 1\], got -0.1/);
    expect(() => new nn.Dropout(NaN)).toThrow(/Dropout: p must be in \[0, 1\], got NaN/);
  });
});
