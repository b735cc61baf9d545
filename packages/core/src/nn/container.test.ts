import { tf, nn, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

describe('Sequential', () => {
  it('matches torch.nn.Sequential with children named 0, 1, …', () => {
    checkAgainstTorch('sequential', () => new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 3), new nn.Tanh()));
  });

  it('state dict names, get/length/iteration, append, no leak, round trip, train/eval reaches children', () => {
    manualSeed(0);
    const make = () => new nn.Sequential(new nn.Linear(3, 4), new nn.Dropout(0.5), new nn.GELU()).append(new nn.Linear(4, 2));
    const a = make();
    expect(Object.keys(a.stateDict())).toEqual(['0.weight', '0.bias', '3.weight', '3.bias']);
    expect(a.length).toBe(4);
    expect(a.get(-1)).toBeInstanceOf(nn.Linear);
    expect([...a].map((m) => m.typeName)).toEqual(['Linear', 'Dropout', 'GELU', 'Linear']);
    a.eval();
    expect(a.get(1).training).toBe(false);
    const x = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    expectNoLeakForwardBackward(a, x);
    expectStateDictRoundTrip(a, make().eval(), x);
    const tiny = new nn.Sequential(new nn.Linear(2, 3), new nn.Tanh(), new nn.Linear(3, 1));
    const xs = tf.tensor2d([[0.3, -0.6], [0.9, 0.1]]);
    expect(gradcheck((t) => tiny.forward(t), [xs, ...tiny.parameters()], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    tiny.dispose();
    xs.dispose();
    expect(() => a.get(4)).toThrow(/Sequential: index 4 is out of range for 4 modules/);
    expect(() => new nn.Sequential(new nn.ReLU(), 3 as unknown as nn.Module)).toThrow(/Sequential: expected a Module at position 1, got number/);
    x.dispose();
    a.dispose();
  });
});

describe('ModuleList', () => {
  it('registers its modules under 0, 1, … and has no forward', () => {
    const l = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 3, { bias: false })]);
    l.extend([new nn.LayerNorm(3)]);
    expect(l.length).toBe(3);
    expect(Object.keys(l.stateDict())).toEqual(['0.weight', '0.bias', '1.weight', '2.weight', '2.bias']);
    expect(l.numParameters()).toBe(4 + 2 + 6 + 3 + 3);
    const x = tf.ones([1, 2]);
    const y = tf.tidy(() => [...l].reduce((h, m) => m.forward(h), x as tf.Tensor));
    expect(y.shape).toEqual([1, 3]);
    expect(() => l.forward()).toThrow(/ModuleList has no forward/);
    expect(() => l.get(-4)).toThrow(/ModuleList: index -4 is out of range for 3 modules/);
    tf.dispose([x, y]);
    l.dispose();
  });
});

describe('Identity and Flatten', () => {
  it('Identity returns its input', () => {
    const x = tf.tensor1d([1, 2]);
    expect(new nn.Identity(3, 'ignored').forward(x)).toBe(x);
    x.dispose();
  });

  it('Flatten merges startDim..endDim like torch', () => {
    const x = tf.zeros([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0, -1).forward(x).shape).toEqual([120]);
    expect(new nn.Flatten(1, 2).forward(x).shape).toEqual([2, 12, 5]);
    expect(new nn.Flatten(-2).forward(x).shape).toEqual([2, 3, 20]);
    expect(new nn.Flatten(2, 2).forward(x).shape).toEqual([2, 3, 4, 5]);
    const v = tf.tensor2d([[1, 2], [3, 4]]);
    expectClose(new nn.Flatten(0).forward(v), [1, 2, 3, 4], { rtol: 0, atol: 0 });
    expect(() => new nn.Flatten(4).forward(x)).toThrow(/Flatten: startDim 4 is out of range for input shape \[2,3,4,5\]/);
    expect(() => new nn.Flatten(2, 1).forward(x)).toThrow(/Flatten: startDim \(2\) must not come after endDim \(1\)/);
    expect(() => new nn.Flatten(0.5)).toThrow(/Flatten: startDim must be an integer, got 0.5/);
    const g = tf.grad((t: tf.Tensor) => new nn.Flatten().forward(t).sum())(x);
    expect(g.shape).toEqual([2, 3, 4, 5]);
    tf.dispose([x, v, g]);
  });
});
