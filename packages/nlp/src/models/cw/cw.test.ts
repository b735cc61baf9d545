import { backward, Generator, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { corruptCentres, corruptionCdf, cw, CW_DEFAULTS } from './index';

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

  it('embeddings get gradients at the centre and corrupting words; context words only once the hard tanh saturates', () => {
    manualSeed(2);
    const m = cw({ vocabSize: 12, embeddingDim: 3, windowSize: 3, hiddenSize: 4 });
    const windows = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const cdf = corruptionCdf(Float64Array.from({ length: 12 }, (_, i) => (i === 9 ? 1e12 : 0)), 7, 1); // (almost) all mass on word 9
    const touchedRows = () => {
      const g = m.embedding.weight.grad!.arraySync() as number[][];
      return g.map((row, i) => (row.some((v) => v !== 0) ? i : -1)).filter((i) => i >= 0);
    };
    backward(() => m.rankingLoss(windows, 2, { from: 7, to: 12, gen: new Generator(0), cdf }), m);
    // At init every hidden unit is in the linear part of the hard tanh, so f is linear in the
    // window's vectors and f(x) - f(x̃) depends on the centre words alone: the context words'
    // gradients cancel exactly (hence a frequency-only solution when corruptions are uniform).
    expect(touchedRows()).toEqual([2, 5, 9]);
    m.dispose();
    // Hand-built 1-unit scorer f = hardtanh(e₁ + e₂ + e₃): the window 1 2 3 sums to 0.9 (linear part),
    // its corruption 1 9 3 to 2.6 (saturated): hinge 1 - 0.9 + 1 > 0, so ∂/∂e = -1 for the real
    // window's words (context included) and 0 for the saturated corruption.
    const h = cw({ vocabSize: 12, embeddingDim: 1, windowSize: 3, hiddenSize: 1 });
    tf.tidy(() => {
      h.embedding.weight.data.assign(tf.tensor2d([0, 0.5, 0.3, 0.1, 0, 0, 0, 0, 0, 2, 0, 0], [12, 1]));
      h.hidden.weight.data.assign(tf.ones([1, 3]));
      h.hidden.bias!.data.assign(tf.zeros([1]));
      h.output.weight.data.assign(tf.ones([1, 1]));
      h.output.bias!.data.assign(tf.zeros([1]));
    });
    const loss = backward(() => h.rankingLoss(Int32Array.from([1, 2, 3]), 1, { from: 7, to: 12, gen: new Generator(0), cdf }), h);
    expect(loss).toBeCloseTo(1.1, 5);
    expect(Array.from(h.embedding.weight.grad!.dataSync())).toEqual([0, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0]);
    h.dispose();
  });

  it('with k negatives averages the hinge over k corruptions per window (hand-computed)', () => {
    // 1-unit linear scorer f = hardtanh(e₁ + e₂ + e₃); e₁ = 0.5, e₂ = 0.3, e₃ = 0.1 so f(1 2 3) = 0.9.
    // Corruptions draw 9 (e = 0.2: f(1 9 3) = 0.8, hinge 1 - 0.9 + 0.8 = 0.9) or 10 (e = -2:
    // f(1 10 3) = hardtanh(-1.4) = -1, hinge max(0, 1 - 0.9 - 1) = 0), each with probability 1/2.
    const h = cw({ vocabSize: 12, embeddingDim: 1, windowSize: 3, hiddenSize: 1 });
    tf.tidy(() => {
      h.embedding.weight.data.assign(tf.tensor2d([0, 0.5, 0.3, 0.1, 0, 0, 0, 0, 0, 0.2, -2, 0], [12, 1]));
      h.hidden.weight.data.assign(tf.ones([1, 3]));
      h.hidden.bias!.data.assign(tf.zeros([1]));
      h.output.weight.data.assign(tf.ones([1, 1]));
      h.output.bias!.data.assign(tf.zeros([1]));
    });
    const cdf = Float64Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5, 1, 1]);
    const k = 8;
    const replay = new Generator(5); // the same draws as rankingLoss makes: k corruptions in turn
    const draws = Array.from({ length: k }, () => corruptCentres(Int32Array.from([1, 2, 3]), 3, { from: 7, to: 12, gen: replay, cdf })[1]);
    const c9 = draws.filter((d) => d === 9).length;
    expect(c9 > 0 && c9 < k).toBe(true); // both cases occur
    const loss = backward(() => h.rankingLoss(Int32Array.from([1, 2, 3]), 1, { from: 7, to: 12, gen: new Generator(5), cdf, negatives: k }), h);
    expect(loss).toBeCloseTo((0.9 * c9) / k, 5);
    // Only the active pairs (corruption 9) have gradient, 1/k each: -1 for the true centre 2, +1 for
    // 9, and the context words cancel (both windows in the linear part); 10 is saturated.
    const g = Array.from(h.embedding.weight.grad!.dataSync());
    const want = new Array(12).fill(0);
    want[2] = -c9 / k;
    want[9] = c9 / k;
    g.forEach((v, i) => expect([i, v]).toEqual([i, expect.closeTo(want[i], 5)]));
    expect(() => h.rankingLoss(Int32Array.from([1, 2, 3]), 1, { from: 7, to: 12, gen: new Generator(5), cdf, negatives: 0 })).toThrow('negatives must be a positive integer, got 0');
    h.dispose();
  });

  it('corrupts only the centre, never into itself, from the uniform range or from a cdf', () => {
    const windows = Int32Array.from([7, 8, 9, 10, 11, 8, 9, 10, 11, 7]); // 2 windows of 5
    const u = corruptCentres(windows, 5, { from: 7, to: 12, gen: new Generator(1) });
    expect([u[0], u[1], u[3], u[4], u[5], u[6], u[8], u[9]]).toEqual([7, 8, 10, 11, 8, 9, 11, 7]);
    expect(u[2]).not.toBe(9);
    expect(u[7]).not.toBe(10);
    expect(u[2] >= 7 && u[2] < 12 && u[7] >= 7 && u[7] < 12).toBe(true);
    // Unigram: counts 0 below `from` (specials), ∝ count^power above.
    const cdf = corruptionCdf(Float64Array.from([5, 5, 0, 3, 1]), 2, 1);
    expect(Array.from(cdf)).toEqual([0, 0, 0.2, 0.8, 1]); // the zero count is raised to 1
    expect(Array.from(corruptionCdf(Float64Array.from([5, 5, 0, 3, 1]), 2, 0))).toEqual([0, 0, 1 / 3, 2 / 3, 1]);
    const gen = new Generator(2);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(corruptCentres(Int32Array.from([0, 4, 0]), 3, { from: 2, to: 5, gen, cdf })[1]);
    expect([...seen].sort()).toEqual([2, 3]);
    expect(() => corruptCentres(Int32Array.from([0, 3, 0]), 3, { from: 2, to: 5, gen, cdf: Float64Array.from([0, 0, 0, 1, 1]) })).toThrow('no corrupting word other than 3');
  });

  it('starts its word vectors at N(0, embeddingInitStd²)', () => {
    manualSeed(3);
    const m = cw({ vocabSize: 2000, embeddingDim: 16 });
    const v = m.vectors();
    const sd = Math.sqrt(v.reduce((a, x) => a + x * x, 0) / v.length);
    expect(sd).toBeGreaterThan(0.0095);
    expect(sd).toBeLessThan(0.0105);
    expect(() => cw({ embeddingInitStd: 0 })).toThrow('CW: embeddingInitStd must be > 0, got 0');
    m.dispose();
  });
});
