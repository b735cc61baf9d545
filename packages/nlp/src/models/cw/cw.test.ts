import { backward, Generator, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { cw, CW_DEFAULTS } from './index';

describe('C&W', () => {
  it('scores windows [B, n] -> [B] with a hard-tanh hidden layer; state dict names', () => {
    manualSeed(0);
    const m = cw({ vocabSize: 12, embeddingDim: 3, windowSize: 3, hiddenSize: 4 });
    expect(Object.fromEntries(Object.entries(m.stateDict()).map(([k, v]) => [k, v.shape]))).toEqual({
      'embedding.weight': [12, 3],
      'hidden.weight': [4, 9],
      'hidden.bias': [4],
      'output.weight': [1, 4],
      'output.bias': [1],
    });
    // Large hidden weights saturate the hard tanh at ±1: the score is then w₂ · sign + b₂.
    tf.tidy(() => m.hidden.weight.data.assign(tf.mul(tf.sign(m.hidden.weight.data), 1000)));
    tf.tidy(() => m.embedding.weight.data.assign(tf.onesLike(m.embedding.weight.data)));
    const x = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    const s = m.forward(x).dataSync()[0];
    const w1 = m.hidden.weight.data.arraySync() as number[][];
    const b1 = m.hidden.bias!.data.dataSync();
    const w2 = m.output.weight.data.dataSync();
    const hand = w1.reduce((a, row, j) => a + w2[j] * Math.max(-1, Math.min(1, row.reduce((p, v) => p + v, 0) + b1[j])), m.output.bias!.data.dataSync()[0]);
    expect(s).toBeCloseTo(hand, 4);
    expect(() => m.forward(tf.zeros([1, 4], 'int32'))).toThrow('CW: expected int32 windows [batch, 3], got [1,4]');
    expect(() => cw({ windowSize: 4 })).toThrow('CW: windowSize must be odd (a centre word), got 4');
    expect(cw().config).toEqual(CW_DEFAULTS);
    x.dispose();
    m.dispose();
  });

  it('ranking loss is max(0, 1 - f(x) + f(x̃)) with the centre replaced, has gradients, leaks nothing', () => {
    manualSeed(1);
    const m = cw({ vocabSize: 12, embeddingDim: 3, windowSize: 3, hiddenSize: 4 });
    const windows = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const loss = expectNoLeak(() => backward(() => m.rankingLoss(windows, 2, { from: 1, to: 12, gen: new Generator(0) }), m), m.parameters().length);
    expect(loss).toBeGreaterThan(0.5); // ≈ 1 at init: f(x) ≈ f(x̃)
    expect(loss).toBeLessThan(1.5);
    for (const [name, p] of m.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    expect(Array.from(windows)).toEqual([1, 2, 3, 4, 5, 6]); // the caller's windows are not corrupted in place
    m.dispose();
    expect(registry.get('cw').recipe!.metric).toBe('synonym-auc');
  });
});
