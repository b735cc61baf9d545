import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { padDocuments } from '../../text/index';
import { HAN_SPAM_RECIPE, Han, HanAttention, han } from './index';

const SMALL = { vocabSize: 25, embeddingDim: 6, wordHiddenSize: 4, sentenceHiddenSize: 3, attentionDim: 5, numClasses: 2 };

function docTensor(docs: number[][][], opts: { maxSentences?: number; maxWords?: number } = {}): tf.Tensor3D {
  const p = padDocuments(docs, { maxSentences: opts.maxSentences ?? 10, maxWords: opts.maxWords ?? 10 });
  return tf.tensor3d(p.ids, p.shape, 'int32');
}

describe('Han', () => {
  let model: Han;
  beforeAll(() => {
    manualSeed(0);
    model = han(SMALL);
    model.eval();
  });
  afterAll(() => model.dispose());

  it('maps [B, S, W] ids to [B, C] logits; attention weights sum to 1 over real words and sentences', () => {
    const ids = docTensor([[[1, 2, 3], [4, 5]], [[6, 7, 8, 9]]]); // [2, 2, 4]
    expect(ids.shape).toEqual([2, 2, 4]);
    const [y, wa, sa] = model.forwardWithAttention(ids);
    expect([y.shape, wa.shape, sa.shape]).toEqual([[2, 2], [2, 2, 4], [2, 2]]);
    const w = wa.arraySync();
    expect(w[0][0][3]).toBe(0); // padding word
    expect(w[0][1].slice(2)).toEqual([0, 0]);
    expect(w[1][1]).toEqual([0, 0, 0, 0]); // empty sentence: no weight at all
    for (const [b, s] of [[0, 0], [0, 1], [1, 0]]) expect(w[b][s].reduce((a, v) => a + v, 0)).toBeCloseTo(1, 5);
    const sw = sa.arraySync();
    expect(sw[0][0] + sw[0][1]).toBeCloseTo(1, 5);
    expect(sw[1]).toEqual([expect.closeTo(1, 5), 0]);
    tf.dispose([ids, y, wa, sa]);
  });

  it('padding (extra words, extra empty sentences, longer batch mates) never changes a document’s logits', () => {
    const doc = [[3, 4, 5], [6, 7]];
    const alone = docTensor([doc]);
    const padded = docTensor([doc, [[1, 2, 3, 4, 5, 6, 7], [8], [9, 10], [11]]]); // [2, 4, 7]
    const ya = model.forward(alone);
    const yp = model.forward(padded).slice([0, 0], [1, 2]);
    expectClose(yp, ya, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([alone, padded, ya, yp]);
  });

  it('HanAttention pools h with softmax(tanh(W h + b)·ctx) over unmasked steps', () => {
    const att = new HanAttention(2, 1);
    att.loadStateDict({ 'proj.weight': tf.tensor2d([[1, 0]]), 'proj.bias': tf.tensor1d([0]), context: tf.tensor1d([2]) });
    const h = tf.tensor3d([[[0, 1], [1, 3], [5, 5]]]); // [1, 3, 2]
    const mask = tf.tensor2d([[1, 1, 0]]);
    const [pooled, alpha] = att.forward(h, mask);
    const s0 = 2 * Math.tanh(0);
    const s1 = 2 * Math.tanh(1);
    const a1 = Math.exp(s1) / (Math.exp(s0) + Math.exp(s1));
    expectClose(alpha, tf.tensor2d([[1 - a1, a1, 0]]), { rtol: 1e-5, atol: 1e-6 });
    expectClose(pooled, tf.tensor2d([[a1, 1 - a1 + 3 * a1]]), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([h, mask, pooled, alpha]);
    att.dispose();
  });

  it('leaks nothing and every parameter gets a finite, non-zero gradient', () => {
    model.train();
    const ids = docTensor([[[1, 2, 3], [4, 5]], [[6, 7, 8, 9], [10], [11, 12]]]);
    const y = tf.tensor1d([0, 1], 'int32');
    expectNoLeak(() => tf.tidy(() => model.forward(ids).dataSync()));
    model.zeroGrad();
    expectNoLeak(() => backward(() => F.crossEntropy(model.forward(ids), y), model), model.parameters().length);
    for (const [name, p] of model.namedParameters()) {
      const g = Array.from(p.grad!.dataSync());
      expect([name, g.every(Number.isFinite), g.some((v) => v !== 0)]).toEqual([name, true, true]);
    }
    model.zeroGrad();
    model.eval();
    tf.dispose([ids, y]);
  });

  it('trains on one-sentence, one-word and 21-word batches (core GRU step-splitting edge cases)', () => {
    for (const docs of [[[[1]], [[2]]], [[Array.from({ length: 21 }, (_, i) => 1 + (i % 20))]], [[[3, 4]], [[5]]]]) {
      const ids = docTensor(docs, { maxWords: 30 });
      const y = tf.tensor1d(docs.map((_, i) => i % 2), 'int32');
      model.zeroGrad();
      const loss = backward(() => F.crossEntropy(model.forward(ids), y), model);
      expect(Number.isFinite(loss)).toBe(true);
      const [, wa, sa] = model.forwardWithAttention(ids);
      expect([wa.shape, sa.shape]).toEqual([ids.shape, ids.shape.slice(0, 2)]);
      tf.dispose([ids, y, wa, sa]);
    }
    model.zeroGrad();
  });

  it('an empty document gives finite logits; over-long input and bad configs throw', () => {
    const ids = docTensor([[], [[1, 2]]]);
    const y = model.forward(ids);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expectClose(y.slice([0, 0], [1, 2]).reshape([2]), model.fc.bias!.data, { rtol: 1e-6, atol: 1e-7 });
    const m = han({ ...SMALL, maxSentences: 2, maxWords: 3 });
    const big = tf.zeros([1, 3, 3], 'int32');
    const wide = tf.zeros([1, 2, 4], 'int32');
    expect(() => m.forward(big)).toThrow('Han: input has 3 sentences, over maxSentences 2');
    expect(() => m.forward(wide)).toThrow('Han: input has 4 words per sentence, over maxWords 3');
    expect(() => han({ vocabSize: 5, attentionDim: 0 })).toThrow('Han: attentionDim must be a positive integer, got 0');
    tf.dispose([ids, y, big, wide]);
    m.dispose();
  });

  it('is registered as han with its SpamAssassin recipe; state dict round trip', () => {
    const e = registry.get('han');
    expect([e.task, e.recipe]).toEqual(['text-classification', HAN_SPAM_RECIPE]);
    manualSeed(2);
    const a = registry.create<Han>('han', SMALL);
    const b = registry.create<Han>('han', SMALL);
    expect(Object.keys(a.stateDict())).toContain('word_gru.weight_hh_l0_reverse');
    expect(Object.keys(a.stateDict())).toContain('sentence_attention.context');
    b.loadStateDict(a.stateDict());
    [a, b].forEach((m) => m.eval());
    const ids = docTensor([[[1, 2], [3]]]);
    const [ya, yb] = [a.forward(ids), b.forward(ids)];
    expectClose(yb, ya, { rtol: 0, atol: 0 });
    tf.dispose([ids, ya, yb]);
    [a, b].forEach((m) => m.dispose());
  });
});
