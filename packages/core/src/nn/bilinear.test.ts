import { tf, nn, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { FIXTURES, expectNoLeakForwardBackward } from '../../fixtures/nn_layers/harness';

describe('Bilinear', () => {
  it('matches torch.nn.Bilinear: output, both input grads, weight and bias grads', () => {
    const fx = loadFixture(FIXTURES, 'bilinear');
    const t = fx.tensors;
    const m = new nn.Bilinear(3, 4, 2);
    m.loadStateDict({ weight: t['sd.weight'], bias: t['sd.bias'] });
    const x1 = tf.variable(t.input);
    const x2 = tf.variable(t.input2);
    tf.tidy(() => {
      expectClose(m.forward(x1, x2), t.output);
      const vars = [x1, x2, m.weight.data, m.bias!.data];
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(m.forward(x1, x2), t.r)) as tf.Scalar, vars);
      value.dispose();
      expectClose(grads[x1.name], t.input_grad, { what: 'x1 grad' });
      expectClose(grads[x2.name], t.input2_grad, { what: 'x2 grad' });
      expectClose(grads[m.weight.data.name], t['grad.weight'], { what: 'weight grad' });
      expectClose(grads[m.bias!.data.name], t['grad.bias'], { what: 'bias grad' });
    });
    tf.dispose([x1, x2]);
    m.dispose();
    fx.dispose();
  });

  it('init bounds, state dict layout, gradcheck, no leak, round trip', () => {
    manualSeed(2);
    const a = new nn.Bilinear(4, 3, 2);
    expect(a.stateDict().weight.shape).toEqual([2, 4, 3]);
    expect(tf.max(tf.abs(a.weight.data)).dataSync()[0]).toBeLessThanOrEqual(0.5);
    const x1 = tf.randomNormal([2, 4], 0, 1, 'float32', 1);
    const x2 = tf.randomNormal([2, 3], 0, 1, 'float32', 2);
    expect(gradcheck((p, q) => a.forward(p, q), [x1, x2, a.weight, a.bias!], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    expectNoLeakForwardBackward(a, x1, (m, x) => (m as nn.Bilinear).forward(x, x2));
    const b = new nn.Bilinear(4, 3, 2);
    b.loadStateDict(a.stateDict());
    tf.tidy(() => expectClose(b.forward(x1, x2), a.forward(x1, x2), { rtol: 0, atol: 0 }));
    expect(Object.keys(new nn.Bilinear(2, 2, 2, { bias: false }).stateDict())).toEqual(['weight']);
    tf.dispose([x1, x2]);
    a.dispose();
    b.dispose();
  });

  it('validates config and input shapes', () => {
    expect(() => new nn.Bilinear(0, 2, 2)).toThrow(/Bilinear: in1Features must be a positive integer, got 0/);
    const m = new nn.Bilinear(3, 4, 2);
    const a = tf.zeros([5, 3]);
    const b = tf.zeros([5, 3]);
    const c = tf.zeros([4, 4]);
    expect(() => m.forward(a, b)).toThrow(/Bilinear: expected inputs \[\.\.\., 3\] and \[\.\.\., 4\] with the same leading dims, got shapes \[5,3\] and \[5,3\]/);
    expect(() => m.forward(a, c)).toThrow(/got shapes \[5,3\] and \[4,4\]/);
    tf.dispose([a, b, c]);
    m.dispose();
  });
});
