import { tf, nn, gradcheck } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

const cases: Array<[string, () => nn.Module]> = [
  ['act_relu', () => new nn.ReLU()],
  ['act_leaky_relu', () => new nn.LeakyReLU(0.2)],
  ['act_elu', () => new nn.ELU(0.7)],
  ['act_selu', () => new nn.SELU()],
  ['act_gelu', () => new nn.GELU()],
  ['act_gelu_tanh', () => new nn.GELU({ approximate: 'tanh' })],
  ['act_sigmoid', () => new nn.Sigmoid()],
  ['act_tanh', () => new nn.Tanh()],
  ['act_silu', () => new nn.SiLU()],
  ['act_softplus', () => new nn.Softplus()],
  ['act_softplus_beta', () => new nn.Softplus(2, 5)],
  ['act_softmax', () => new nn.Softmax(-1)],
  ['act_log_softmax', () => new nn.LogSoftmax()],
  ['act_softmax_dim1', () => new nn.Softmax(1)],
  ['act_log_softmax_dim0', () => new nn.LogSoftmax(0)],
  ['act_log_softmax_big', () => new nn.LogSoftmax(-1)],
];

describe('activation modules match torch.nn', () => {
  it.each(cases)('%s: output and input gradient', (name, make) => {
    checkAgainstTorch(name, make);
  });

  it.each(cases)('%s: gradcheck, no leak, empty state dict', (_name, make) => {
    const m = make();
    // Away from the kinks at 0 so central differences are valid.
    const x = tf.tensor2d([[0.3, -0.7, 1.2], [-1.5, 0.45, 2.1]]);
    const r = gradcheck((a) => m.forward(a), [x], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
    expect(r.checked).toBe(6);
    expectNoLeakForwardBackward(m, x);
    expectStateDictRoundTrip(m, make(), x);
    expect(Object.keys(m.stateDict())).toEqual([]);
    x.dispose();
  });

  it('rejects bad configs, naming the field and value', () => {
    expect(() => new nn.GELU({ approximate: 'erf' as 'tanh' })).toThrow(/GELU: approximate.*'erf'/);
    expect(() => new nn.Softplus(0)).toThrow(/Softplus: beta must be > 0, got 0/);
    expect(() => new nn.Softmax(1.5)).toThrow(/Softmax: dim must be an integer, got 1.5/);
    expect(() => new nn.LogSoftmax(0.5)).toThrow(/LogSoftmax: dim/);
    expect(() => new nn.LeakyReLU(NaN)).toThrow(/LeakyReLU: negativeSlope/);
    expect(() => new nn.ELU(Infinity)).toThrow(/ELU: alpha/);
  });

  it('Softmax rejects a dim outside the input rank', () => {
    const x = tf.ones([2, 3]);
    expect(() => new nn.Softmax(2).forward(x)).toThrow(/softmax: dim 2 is out of range for a 2-D tensor/);
    expect(() => new nn.LogSoftmax(-3).forward(x)).toThrow(/logSoftmax: dim -3 is out of range/);
    x.dispose();
  });

  it('Softmax rows sum to 1 along dim', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4], [100, -100]]]);
    const y = new nn.Softmax(1).forward(x);
    expectClose(y.sum(1), tf.ones([1, 2]));
    tf.dispose([x, y]);
  });
});
