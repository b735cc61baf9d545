import { tf, nn, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { FIXTURES, checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

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

describe('BatchNorm1d/2d match torch (train step, running stats after 2 steps, eval)', () => {
  const make = (name: string, c: Cfg): nn.Module => {
    const o = { eps: c.eps as number | undefined, momentum: c.momentum as number | null | undefined, affine: c.affine as boolean | undefined, trackRunningStats: c.trackRunningStats as boolean | undefined };
    return name.startsWith('bn2d') ? new nn.BatchNorm2d(c.C as number, o) : new nn.BatchNorm1d(c.C as number, o);
  };

  it.each(['bn2d', 'bn2d_cumulative', 'bn2d_no_affine', 'bn2d_no_track', 'bn1d_2d', 'bn1d_3d'])('%s', (name) => {
    const fx = loadFixture(FIXTURES, name);
    const t = fx.tensors;
    const m = make(name, fx.meta.config as Cfg);
    const pick = (prefix: string) => Object.fromEntries(Object.entries(t).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
    m.loadStateDict(pick('sd.'));
    expect(m.training).toBe(true);
    // step 1: output, input and parameter gradients (one forward, so stats update once)
    const x = tf.variable(t.input, true);
    const params = m.namedParameters();
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const out = m.forward(x);
        expectClose(out, t.output, { what: `${name} output` });
        return tf.sum(tf.mul(out, t.r)) as tf.Scalar;
      }, [x, ...params.map(([, p]) => p.data)]);
      value.dispose();
      expectClose(grads[x.name], t.input_grad, { what: `${name} input grad` });
      for (const [pn, p] of params) expectClose(grads[p.data.name], t[`grad.${pn}`], { what: `${name} grad.${pn}` });
    });
    x.dispose();
    // step 2 and the running statistics after both steps
    tf.tidy(() => expectClose(m.forward(t.x2), t.out2, { what: `${name} step 2 output` }));
    const after = pick('after.');
    const sd = m.stateDict();
    expect(Object.keys(sd).sort()).toEqual(Object.keys(after).sort());
    for (const k of Object.keys(after)) expectClose(sd[k], after[k], { what: `${name} ${k} after 2 steps` });
    // eval: running statistics (batch statistics without trackRunningStats)
    m.eval();
    tf.tidy(() => expectClose(m.forward(t.x3), t.out3_eval, { what: `${name} eval output` }));
    m.dispose();
    fx.dispose();
  });

  it('building and disposing a BatchNorm leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const bn = new nn.BatchNorm2d(3);
    expect(tf.memory().numTensors - before).toBe(5); // weight, bias, running_mean, running_var, num_batches_tracked
    bn.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('state dict names/order and num_batches_tracked is an int32 buffer', () => {
    const bn = new nn.BatchNorm2d(3);
    const sd = bn.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    expect(sd.num_batches_tracked.dtype).toBe('int32');
    expect(bn.parameters().length).toBe(2);
    expect(Object.keys(new nn.BatchNorm1d(2, { trackRunningStats: false, affine: false }).stateDict())).toEqual([]);
    bn.dispose();
  });

  it('gradcheck in train mode, no leak in train and eval, round trip', () => {
    manualSeed(4);
    const bn = new nn.BatchNorm1d(2);
    bn.weight!.assign(tf.tensor1d([1.5, -0.5]));
    bn.bias!.assign(tf.tensor1d([0.2, 0.1]));
    const x = tf.tensor3d([[[0.1, 0.9], [-0.4, 1.3]], [[-0.7, 0.2], [0.5, -1.1]]]);
    expect(gradcheck((a) => bn.forward(a), [x, bn.weight!, bn.bias!], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    expectNoLeakForwardBackward(bn, x);
    bn.eval();
    expectNoLeakForwardBackward(bn, x);
    const other = new nn.BatchNorm1d(2).eval();
    expectStateDictRoundTrip(bn, other, x);
    tf.dispose(x);
    bn.dispose();
    other.dispose();
  });

  it('validates config and input', () => {
    expect(() => new nn.BatchNorm2d(0)).toThrow(/BatchNorm2d: numFeatures must be a positive integer, got 0/);
    expect(() => new nn.BatchNorm1d(3, { momentum: 1.5 })).toThrow(/BatchNorm1d: momentum must be in \[0, 1\] or null, got 1.5/);
    expect(() => new nn.BatchNorm1d(3, { eps: -1 })).toThrow(/BatchNorm1d: eps must be > 0, got -1/);
    const bn2 = new nn.BatchNorm2d(3);
    const nchw = tf.zeros([2, 3, 4, 4]);
    expect(() => bn2.forward(nchw)).toThrow(/BatchNorm2d: expected input NHWC .* with 3 channels, got shape \[2,3,4,4\] \(this looks like NCHW input/);
    const bn1 = new nn.BatchNorm1d(3);
    const ncl = tf.zeros([2, 3, 5]);
    expect(() => bn1.forward(ncl)).toThrow(/BatchNorm1d: expected \[batch, length, 3\] \(channels last\), got shape \[2,3,5\]/);
    const r4 = tf.zeros([2, 2, 2, 3]);
    expect(() => bn1.forward(r4)).toThrow(/BatchNorm1d: expected a 2-D \[batch, channels\] or 3-D \[batch, length, channels\] input, got shape \[2,2,2,3\]/);
    const one = tf.zeros([1, 3]);
    expect(() => bn1.forward(one)).toThrow(/BatchNorm1d: expected more than 1 value per channel when training, got input shape \[1,3\]/);
    const wrongC = tf.zeros([4, 2]);
    expect(() => bn1.forward(wrongC)).toThrow(/BatchNorm1d: expected 3 channels in the last dimension, got shape \[4,2\]/);
    tf.dispose([nchw, ncl, r4, one, wrongC]);
    bn1.dispose();
    bn2.dispose();
  });
});
