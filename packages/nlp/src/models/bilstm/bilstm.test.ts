import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { padBatch } from '../../text/index';
import { BILSTM_SENTIMENT_RECIPE, BiLstmClassifier, BiLstmTagger, bilstmClassifier, bilstmTagger } from './index';

const SMALL = { vocabSize: 20, embeddingDim: 6, hiddenSize: 5, numLayers: 2, dropout: 0.2 };

describe('BiLstmClassifier and BiLstmTagger', () => {
  let clf: BiLstmClassifier;
  let tagger: BiLstmTagger;
  beforeAll(() => {
    manualSeed(0);
    clf = bilstmClassifier({ ...SMALL, numClasses: 3 });
    tagger = bilstmTagger({ ...SMALL, numClasses: 4 });
    clf.eval();
    tagger.eval();
  });
  afterAll(() => {
    clf.dispose();
    tagger.dispose();
  });

  it('maps ids [B, T] to sentence logits [B, C] and tag logits [B, T, C], with PyTorch LSTM names', () => {
    const ids = tf.tensor2d([[1, 2, 3, 0], [4, 5, 6, 7]], [2, 4], 'int32');
    const [y, t] = [clf.forward(ids), tagger.forward(ids)];
    expect([y.shape, t.shape]).toEqual([[2, 3], [2, 4, 4]]);
    const sd = clf.stateDict();
    expect(sd['encoder.lstm.weight_ih_l0'].shape).toEqual([20, 6]); // 4 gates × 5 hidden
    expect(sd['encoder.lstm.weight_ih_l1_reverse'].shape).toEqual([20, 10]); // layer 2 reads both directions
    expect(sd['fc.weight'].shape).toEqual([3, 10]);
    tf.dispose([ids, y, t]);
  });

  it('padding never changes the outputs of real tokens (tagger) or the sentence logits (classifier)', () => {
    const sents = [[3, 4, 5], [6], [7, 8, 9, 10, 11]];
    const batch = padBatch([...sents, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]]); // T = 12
    const yAll = clf.forward(batch.ids);
    const tAll = tagger.forward(batch.ids);
    sents.forEach((s, b) => {
      const alone = tf.tensor2d([s], [1, s.length], 'int32');
      const y = clf.forward(alone);
      const t = tagger.forward(alone);
      const yb = yAll.slice([b, 0], [1, 3]);
      const tb = tAll.slice([b, 0, 0], [1, s.length, 4]);
      expectClose(yb, y, { rtol: 1e-5, atol: 1e-6, what: `classifier, sentence ${b}` });
      expectClose(tb, t, { rtol: 1e-5, atol: 1e-6, what: `tagger, sentence ${b}` });
      tf.dispose([alone, y, t, yb, tb]);
    });
    tf.dispose([yAll, tAll, batch.ids, batch.mask, batch.lengths]);
  });

  it('leaks nothing; every parameter gets a finite gradient; the tagger loss ignores padding', () => {
    clf.train();
    tagger.train();
    const ids = tf.tensor2d([[1, 2, 3, 0], [4, 5, 6, 7]], [2, 4], 'int32');
    const y = tf.tensor1d([0, 2], 'int32');
    const tags = tf.tensor2d([[1, 2, 3, -100], [0, 1, 2, 3]], [2, 4], 'int32');
    expectNoLeak(() => tf.tidy(() => clf.forward(ids).dataSync()));
    for (const [m, loss] of [
      [clf, () => F.crossEntropy(clf.forward(ids), y)],
      [tagger, () => F.crossEntropy(tagger.forward(ids).reshape([8, 4]), tags.reshape([8]), { ignoreIndex: -100 })],
    ] as const) {
      m.zeroGrad();
      const value = expectNoLeak(() => backward(loss, m), m.parameters().length);
      expect(value).toBeGreaterThan(0.5);
      for (const [name, p] of m.namedParameters()) {
        const g = Array.from(p.grad!.dataSync());
        expect([name, g.every(Number.isFinite), g.some((v) => v !== 0)]).toEqual([name, true, true]);
      }
      m.zeroGrad();
    }
    clf.eval();
    tagger.eval();
    tf.dispose([ids, y, tags]);
  });

  it('trains on batches of any length, 1 and 21 included (core LSTM step-splitting edge cases)', () => {
    for (const T of [1, 2, 17, 21, 31]) {
      const ids = tf.tensor2d(Array.from({ length: 2 * T }, (_, i) => 1 + (i % 9)), [2, T], 'int32');
      const y = tf.tensor1d([0, 1], 'int32');
      tagger.zeroGrad();
      const loss = backward(() => F.crossEntropy(tagger.forward(ids).reshape([2 * T, 4]), tf.zeros([2 * T], 'int32')), tagger);
      expect([T, Number.isFinite(loss)]).toEqual([T, true]);
      const out = tagger.forward(ids);
      expect(out.shape).toEqual([2, T, 4]);
      tf.dispose([ids, y, out]);
    }
    tagger.zeroGrad();
  });

  it('handles an all-padding row (length 0) and rejects bad input', () => {
    const ids = tf.tensor2d([[0, 0], [3, 4]], [2, 2], 'int32');
    const y = clf.forward(ids);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    // A length-0 row keeps the zero initial state: its logits are the classifier's bias.
    expectClose(y.slice([0, 0], [1, 3]).reshape([3]), clf.fc.bias!.data, { rtol: 1e-6, atol: 1e-7 });
    const long = tf.zeros([1, 600], 'int32');
    expect(() => clf.forward(long)).toThrow("BiLstmEncoder: input has 600 tokens, over maxLength 512; truncate it (padSequences truncation 'right')");
    expect(() => bilstmTagger({ vocabSize: 10, numLayers: 0 })).toThrow('BiLstmTagger: numLayers must be a positive integer, got 0');
    expect(() => bilstmClassifier({ vocabSize: 10, padId: 10 })).toThrow('BiLstmClassifier: padId (10) must be in [0, vocabSize 10)');
    tf.dispose([ids, y, long]);
  });

  it('is registered as bilstm_classifier and bilstm_tagger, seeded and state-dict round-trippable', () => {
    expect(registry.get('bilstm_classifier').recipe).toBe(BILSTM_SENTIMENT_RECIPE);
    expect(registry.get('bilstm_tagger').task).toBe('token-classification');
    manualSeed(5);
    const a = registry.create<BiLstmTagger>('bilstm_tagger', SMALL);
    manualSeed(5);
    const b = registry.create<BiLstmTagger>('bilstm_tagger', SMALL);
    const c = registry.create<BiLstmTagger>('bilstm_tagger', SMALL);
    expectClose(a.stateDict()['encoder.lstm.weight_hh_l1'], b.stateDict()['encoder.lstm.weight_hh_l1'], { rtol: 0, atol: 0 });
    c.loadStateDict(a.stateDict());
    [a, c].forEach((m) => m.eval());
    const ids = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    const [ya, yc] = [a.forward(ids), c.forward(ids)];
    expectClose(yc, ya, { rtol: 0, atol: 0 });
    tf.dispose([ids, ya, yc]);
    [a, b, c].forEach((m) => m.dispose());
  });
});
