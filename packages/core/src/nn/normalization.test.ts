import { tf, nn, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

type Cfg = Record<string, unknown>;

describe('LayerNorm', () => {
  it.each([
    ['layer_norm', (c: Cfg) => new nn.LayerNorm(c.normalizedShape as number[])],
    ['layer_norm_2d', (c: Cfg) => new nn.LayerNorm(c.normalizedShape as number[])],
    ['layer_norm_no_affine', (c: Cfg) => new nn.LayerNorm(c.normalizedShape as number[], { eps: c.eps as number, elementwiseAffine: false })],
  ])('%s matches torch (output, input and parameter grads)', (name, make) => {
    checkAgainstTorch(name, make);
  });

  it('gradcheck on input, weight and bias', () => {
    manualSeed(0);
    const ln = new nn.LayerNorm([2, 3]);
    ln.weight!.assign(tf.tensor2d([[1, 0.5, -1], [2, 1, 0.3]]));
    ln.bias!.assign(tf.tensor2d([[0, 0.1, 0.2], [-0.3, 0, 0.4]]));
    const x = tf.tensor3d([[[0.1, 0.9, -0.4], [1.3, -0.7, 0.2]]]);
    expect(gradcheck((a) => ln.forward(a), [x, ln.weight!, ln.bias!], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    x.dispose();
    ln.dispose();
  });

  it('state dict (weight, bias), round trip, no leak', () => {
    manualSeed(1);
    const a = new nn.LayerNorm(4);
    a.weight!.assign(tf.tensor1d([1, 2, 3, 4]));
    expect(Object.keys(a.stateDict())).toEqual(['weight', 'bias']);
    const b = new nn.LayerNorm(4);
    const x = tf.randomNormal([2, 4], 0, 1, 'float32', 1);
    expectStateDictRoundTrip(a, b, x);
    expectNoLeakForwardBackward(a, x);
    expect(Object.keys(new nn.LayerNorm(4, { bias: false }).stateDict())).toEqual(['weight']);
    expect(Object.keys(new nn.LayerNorm(4, { elementwiseAffine: false }).stateDict())).toEqual([]);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('validates config and input shape', () => {
    expect(() => new nn.LayerNorm(0)).toThrow(/LayerNorm: normalizedShape must be positive integers, got \[0\]/);
    expect(() => new nn.LayerNorm([]) ).toThrow(/LayerNorm: normalizedShape/);
    expect(() => new nn.LayerNorm(3, { eps: 0 })).toThrow(/LayerNorm: eps must be > 0, got 0/);
    const ln = new nn.LayerNorm([3, 4]);
    const x = tf.ones([2, 4, 3]);
    expect(() => ln.forward(x)).toThrow(/LayerNorm: expected input \[\.\.\., 3, 4\] \(normalizedShape\), got shape \[2,4,3\]/);
    x.dispose();
    ln.dispose();
  });
});
