import { tf, nn, backward, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { FIXTURES, checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

describe('Embedding matches torch.nn.Embedding', () => {
  it('plain lookup: output and weight grad (repeated indices accumulate)', () => {
    checkAgainstTorch('embedding', () => new nn.Embedding(10, 4));
  });

  it('paddingIdx: a non-zero padding row keeps its value but gets zero grad', () => {
    checkAgainstTorch('embedding_padding', () => new nn.Embedding(10, 4, { paddingIdx: 2 }));
  });

  it('maxNorm renormalises the looked-up rows in place like torch', () => {
    const fx = loadFixture(FIXTURES, 'embedding_max_norm');
    const m = new nn.Embedding(10, 4, { maxNorm: 1.5 });
    m.loadStateDict({ weight: fx.tensors['sd.weight'] });
    const y = m.forward(fx.tensors.input);
    expectClose(y, fx.tensors.output);
    expectClose(m.weight.data, fx.tensors['after.weight'], { what: 'weight after renorm' });
    backward(() => tf.sum(tf.mul(m.forward(fx.tensors.input), fx.tensors.r)) as tf.Scalar, m);
    expectClose(m.weight.grad!, fx.tensors['grad.weight']);
    y.dispose();
    m.dispose();
    fx.dispose();
  });
});

describe('Embedding', () => {
  it('initialises N(0, 1) with a zero padding row (negative paddingIdx counts from the end)', () => {
    manualSeed(0);
    const e = new nn.Embedding(200, 50, { paddingIdx: -1 });
    expect(e.paddingIdx).toBe(199);
    const w = e.weight.data;
    const { mean, variance } = tf.moments(w.slice([0, 0], [199, 50]));
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.03);
    expect(Math.abs(variance.dataSync()[0] - 1)).toBeLessThan(0.05);
    expectClose(w.slice([199, 0], [1, 50]), new Float32Array(50));
    expect(Object.keys(e.stateDict())).toEqual(['weight']);
    tf.dispose([mean, variance]);
    e.dispose();
  });

  it('keeps the input shape as leading dims', () => {
    const e = new nn.Embedding(5, 3);
    const idx = tf.tensor3d([[[0, 1]], [[4, 2]]], [2, 1, 2], 'int32');
    const y = e.forward(idx);
    expect(y.shape).toEqual([2, 1, 2, 3]);
    expectClose(y.slice([1, 0, 0, 0], [1, 1, 1, 3]).reshape([3]), e.weight.data.slice([4, 0], [1, 3]).reshape([3]), { rtol: 0, atol: 0 });
    tf.dispose([idx, y]);
    e.dispose();
  });

  it('gradcheck on the weight; the padding row alone gets no gradient', () => {
    manualSeed(5);
    const e = new nn.Embedding(4, 2, { paddingIdx: 1 });
    const idx = tf.tensor2d([[0, 1], [3, 0]], [2, 2], 'int32');
    const r = gradcheck(() => e.forward(idx), [e.weight], { atol: 5e-3, rtol: 2e-2, raiseException: false });
    // every element agrees except the padding row (elements 2, 3), whose gradient is zero by design
    expect(r.checked).toBe(8);
    expect(r.mismatches.map((m) => m.index)).toEqual([2, 3]);
    r.mismatches.forEach((m) => expect(m.analytic).toBe(0));
    idx.dispose();
    e.dispose();
  });

  it('no leak, state dict round trip', () => {
    manualSeed(1);
    const a = new nn.Embedding(6, 3, { paddingIdx: 0 });
    const b = new nn.Embedding(6, 3, { paddingIdx: 0 });
    const idx = tf.tensor2d([[0, 1, 5], [3, 3, 0]], [2, 3], 'int32');
    expectNoLeakForwardBackward(a, idx);
    expectStateDictRoundTrip(a, b, idx);
    idx.dispose();
    a.dispose();
    b.dispose();
  });

  it('rejects out-of-range and non-integer indices, naming the index and numEmbeddings', () => {
    const e = new nn.Embedding(5, 3);
    const big = tf.tensor1d([1, 5], 'int32');
    const neg = tf.tensor1d([-1], 'int32');
    const flt = tf.tensor1d([1, 2]);
    expect(() => e.forward(big)).toThrow(/Embedding: index 5 is out of range for numEmbeddings 5 \(valid: 0\.\.4\)/);
    expect(() => e.forward(neg)).toThrow(/Embedding: index -1 is out of range for numEmbeddings 5/);
    expect(() => e.forward(flt)).toThrow(/Embedding: expected int32 indices, got float32 tensor of shape \[2\]/);
    tf.dispose([big, neg, flt]);
    e.dispose();
  });

  it('validates config', () => {
    expect(() => new nn.Embedding(0, 3)).toThrow(/Embedding: numEmbeddings must be a positive integer, got 0/);
    expect(() => new nn.Embedding(3, 2.5)).toThrow(/Embedding: embeddingDim must be a positive integer, got 2.5/);
    expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow(/Embedding: paddingIdx must be an integer in \[-3, 2\] \(numEmbeddings 3\), got 3/);
    expect(() => new nn.Embedding(3, 2, { maxNorm: 0 })).toThrow(/Embedding: maxNorm must be > 0, got 0/);
  });
});
