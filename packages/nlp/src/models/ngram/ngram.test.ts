import { registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { KneserNeyBigram, kneserNeyBigram } from './index';

describe('KneserNeyBigram', () => {
  // a b a c a b, ids 0..3 (3 never seen)
  const stream = Int32Array.from([0, 1, 0, 2, 0, 1]);
  it('gives interpolated Kneser-Ney probabilities by hand, summing to 1', () => {
    const m = kneserNeyBigram({ vocabSize: 4, discount: 0.5 }).fit(stream);
    // c(a·)=3: a b ×2, a c ×1; N1+(a·)=2. Continuation: types (a,b),(b,a),(a,c),(c,a) = 4;
    // N1+(·a)=2, N1+(·b)=1, N1+(·c)=1, N1+(·d)=0; Pcont = (n + 1) / (4 + 4).
    const pc = [3 / 8, 2 / 8, 2 / 8, 1 / 8];
    const lambda = (0.5 * 2) / 3;
    const p = m.distribution(0);
    expect(p[1]).toBeCloseTo((2 - 0.5) / 3 + lambda * pc[1], 12);
    expect(p[2]).toBeCloseTo((1 - 0.5) / 3 + lambda * pc[2], 12);
    expect(p[3]).toBeCloseTo(lambda * pc[3], 12);
    for (const v of [0, 1, 2, 3]) expect(m.distribution(v).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Array.from(m.distribution(3))).toEqual(pc); // unseen history: continuation distribution
    const hist = tf.tensor1d([0, 3], 'int32');
    const logp = expectNoLeak(() => m.forward(hist), 1); // only the result
    hist.dispose();
    expect(logp.shape).toEqual([2, 4]);
    expect(logp.dataSync()[1]).toBeCloseTo(Math.log(p[1]), 5);
    logp.dispose();
    const { nll, tokens } = m.nll(Int32Array.from([0, 1, 3]));
    expect(tokens).toBe(2);
    expect(nll).toBeCloseTo(-Math.log(p[1]) - Math.log(m.distribution(1)[3]), 10);
  });
  it('estimates D = n1 / (n1 + 2 n2) and checks ids', () => {
    const m = new KneserNeyBigram({ vocabSize: 4 }).fit(stream);
    // bigram counts: (a,b)=2, (b,a)=1, (a,c)=1, (c,a)=1 -> n1 = 3, n2 = 1
    expect(m.discount).toBeCloseTo(3 / 5, 12);
    expect(() => new KneserNeyBigram({ vocabSize: 4 }).distribution(0)).toThrow('call fit(stream) before scoring');
    expect(() => m.fit(Int32Array.from([0, 4]))).toThrow('id 4 at 1 is outside [0, 4)');
    expect(() => kneserNeyBigram({ discount: 1.5 })).toThrow('discount must be in (0, 1) or null, got 1.5');
    expect(registry.get('bigram_kn').recipe!.metric).toBe('perplexity');
  });
});
