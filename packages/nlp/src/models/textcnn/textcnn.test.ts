import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { padBatch } from '../../text/index';
import { TEXT_CNN_SENTIMENT_RECIPE, TextCnn, textCnn } from './index';

describe('TextCnn', () => {
  let model: TextCnn;
  beforeAll(() => {
    manualSeed(0);
    model = textCnn({ vocabSize: 30, embeddingDim: 8, filterSizes: [2, 3], numFilters: 4, numClasses: 3 });
    model.eval();
  });
  afterAll(() => model.dispose());

  it('maps ids [B, T] to [B, numClasses] logits with torch-style parameter names', () => {
    const ids = tf.tensor2d([[5, 6, 7, 8, 0], [9, 10, 0, 0, 0]], [2, 5], 'int32');
    const y = model.forward(ids);
    expect(y.shape).toEqual([2, 3]);
    expect(Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape])).toEqual([
      ['embedding.weight', [30, 8]],
      ['convs.0.weight', [4, 8, 2]],
      ['convs.0.bias', [4]],
      ['convs.1.weight', [4, 8, 3]],
      ['convs.1.bias', [4]],
      ['fc.weight', [3, 8]],
      ['fc.bias', [3]],
    ]);
    // 30·8 + (4·8·2 + 4) + (4·8·3 + 4) + 3·8 + 3
    expect(model.numParameters()).toBe(240 + 68 + 100 + 27);
    tf.dispose([ids, y]);
  });

  it('gives the same logits however much padding follows a sentence, short sentences included', () => {
    const sents = [[3, 4, 5, 6], [7], []];
    for (const s of sents) {
      const alone = padBatch([s]);
      const padded = padBatch([s, [1, 2, 3, 4, 5, 6, 7, 8, 9]]);
      const a = model.forward(alone.ids);
      const b = model.forward(padded.ids).slice([0, 0], [1, 3]);
      expectClose(b, a, { rtol: 1e-5, atol: 1e-6, what: `sentence [${s}]` });
      tf.dispose([a, b, alone.ids, alone.mask, alone.lengths, padded.ids, padded.mask, padded.lengths]);
    }
  });

  it('matches a hand computation of max-over-time pooling for one filter', () => {
    manualSeed(1);
    const m = textCnn({ vocabSize: 5, embeddingDim: 1, filterSizes: [2], numFilters: 1, numClasses: 1, dropout: 0 });
    const sd = m.stateDict();
    m.loadStateDict({
      'embedding.weight': tf.tensor2d([[0], [1], [2], [-3], [4]]),
      'convs.0.weight': tf.tensor3d([[[1, 1]]]),
      'convs.0.bias': tf.tensor1d([0.5]),
      'fc.weight': tf.tensor2d([[2]]),
      'fc.bias': tf.tensor1d([-1]),
    });
    // tokens 1 2 3 4 -> embeddings 1 2 -3 4; windows: 3, -1, 1 (+0.5) -> relu -> max 3.5 -> 2·3.5 - 1 = 6
    const ids = tf.tensor2d([[1, 2, 3, 4, 0, 0]], [1, 6], 'int32');
    const y = m.forward(ids);
    expect(y.dataSync()[0]).toBeCloseTo(6, 5);
    tf.dispose([ids, y]);
    m.dispose();
    expect(Object.keys(sd)).toHaveLength(5);
  });

  it('leaks nothing and gives every parameter a finite gradient', () => {
    model.train();
    const ids = tf.tensor2d([[5, 6, 7, 0], [9, 10, 11, 12]], [2, 4], 'int32');
    const y = tf.tensor1d([0, 2], 'int32');
    expectNoLeak(() => tf.tidy(() => model.forward(ids).dataSync()));
    model.zeroGrad();
    expectNoLeak(() => backward(() => F.crossEntropy(model.forward(ids), y), model), model.parameters().length);
    for (const [name, p] of model.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    // The padding row gets no gradient.
    expect(Array.from(model.embedding.weight.grad!.slice([0, 0], [1, 8]).dataSync())).toEqual(new Array(8).fill(0));
    model.zeroGrad();
    model.eval();
    tf.dispose([ids, y]);
  });

  it('throws clear errors for bad configs and over-long input', () => {
    expect(() => textCnn({ vocabSize: 10, filterSizes: [] })).toThrow('TextCnn: filterSizes must be a non-empty list of positive integers, got []');
    expect(() => textCnn({ vocabSize: 10, dropout: 1 })).toThrow('TextCnn: dropout must be in [0, 1), got 1');
    expect(() => textCnn({ vocabSize: 0 })).toThrow('TextCnn: vocabSize must be a positive integer, got 0');
    const m = textCnn({ vocabSize: 10, embeddingDim: 4, numFilters: 2, maxLength: 4 });
    const ids = tf.zeros([1, 5], 'int32');
    expect(() => m.forward(ids)).toThrow("TextCnn: input has 5 tokens, over maxLength 4; truncate it (padSequences truncation 'right')");
    const flat = tf.zeros([5], 'int32');
    expect(() => m.forward(flat)).toThrow('TextCnn: expected token ids [batch, time], got shape [5]');
    tf.dispose([ids, flat]);
    m.dispose();
  });

  it('is registered as text_cnn with its sentiment recipe and is deterministic under manualSeed', () => {
    const e = registry.get('text_cnn');
    expect([e.task, e.domain, e.recipe]).toEqual(['text-classification', 'nlp', TEXT_CNN_SENTIMENT_RECIPE]);
    manualSeed(3);
    const a = registry.create<TextCnn>('text_cnn', { vocabSize: 20, embeddingDim: 4, numFilters: 2 });
    manualSeed(3);
    const b = registry.create<TextCnn>('text_cnn', { vocabSize: 20, embeddingDim: 4, numFilters: 2 });
    expectClose(a.stateDict()['convs.2.weight'], b.stateDict()['convs.2.weight'], { rtol: 0, atol: 0 });
    const sd = a.stateDict();
    b.loadStateDict(sd);
    a.eval();
    b.eval();
    const ids = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const [ya, yb] = [a.forward(ids), b.forward(ids)];
    expectClose(ya, yb, { rtol: 0, atol: 0 });
    tf.dispose([ids, ya, yb]);
    a.dispose();
    b.dispose();
  });
});
