import { tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { batchify, bpttWindows, buildLmCorpus, cosineAdam, lmTokenize, ngramContexts, perplexity, sumNll, splitByChapter, windowPerplexity, blockPerplexity, recurrentPerplexity, randomWindows, BIBLE_LM_SPLIT } from './index';
import { backward, Generator, manualSeed, nn } from '@neuralzoo/core';

describe('LM corpus', () => {
  it('splits by whole chapters with the documented rule and builds the vocab from train only', () => {
    const verses = [];
    for (let c = 0; c < 40; c++) for (let v = 1; v <= 2; v++) verses.push({ ref: `Gen.${c + 1}.${v}`, text: c % 20 === 19 ? 'Zebulun wept.' : `In the beginning, God’s word ${c}.` });
    const s = splitByChapter(verses);
    expect(BIBLE_LM_SPLIT).toEqual({ period: 20, valid: 9, test: 19 });
    expect(s.test.map((v) => v.ref)).toEqual(['Gen.20.1', 'Gen.20.2', 'Gen.40.1', 'Gen.40.2']);
    expect(s.valid.map((v) => v.ref)).toEqual(['Gen.10.1', 'Gen.10.2', 'Gen.30.1', 'Gen.30.2']);
    expect(s.train).toHaveLength(72);
    expect(lmTokenize('In the beginning, God’s Spirit said “Let there be light.”')).toEqual(['in', 'the', 'beginning', ',', "god's", 'spirit', 'said', '“', 'let', 'there', 'be', 'light', '.', '”']);
    const c = buildLmCorpus(s, { vocabSize: 20 });
    expect(c.vocab.has('zebulun')).toBe(false); // test-only word
    expect(c.unkRate.test).toBeCloseTo(2 / 4, 5); // "zebulun wept . <eos>": 2 of 4 unknown
    expect(c.test[3]).toBe(c.vocab.eosId);
    expect(() => splitByChapter([{ ref: 'Gen', text: 'x' }])).toThrow('is not Book.chapter.verse');
  });
});

describe('LM batching', () => {
  const stream = Int32Array.from({ length: 23 }, (_, i) => i);
  it('batchifies into contiguous rows and yields shifted BPTT windows', () => {
    const b = batchify(stream, 3); // rows of 7: 0..6, 7..13, 14..20
    expect([b.rows, b.cols]).toEqual([3, 7]);
    const w = [...bpttWindows(b, 4)];
    expect(w.map((x) => x.len)).toEqual([4, 2]);
    expect(Array.from(w[0].x)).toEqual([0, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 17]);
    expect(Array.from(w[0].y)).toEqual([1, 2, 3, 4, 8, 9, 10, 11, 15, 16, 17, 18]);
    expect(Array.from(w[1].x)).toEqual([4, 5, 11, 12, 18, 19]);
    expect(Array.from(w[1].y)).toEqual([5, 6, 12, 13, 19, 20]);
    expect(() => batchify(stream, 20)).toThrow('too short for 20 rows');
  });
  it('builds n-gram contexts padded before the stream start, and random windows', () => {
    const { contexts, targets } = ngramContexts(stream, 3, [0, 1, 5], 99);
    expect(Array.from(contexts)).toEqual([99, 99, 99, 99, 99, 0, 2, 3, 4]);
    expect(Array.from(targets)).toEqual([0, 1, 5]);
    const r = randomWindows(stream, 2, 5, new Generator(1));
    for (let b = 0; b < 2; b++) for (let t = 0; t < 5; t++) expect(r.y[b * 5 + t]).toBe(r.x[b * 5 + t] + 1);
  });
});

describe('perplexity', () => {
  it('sumNll equals -Σ log softmax at the targets; a uniform model has perplexity = vocab size', () => {
    const logits = tf.tensor2d([[1, 2, 3], [0, 0, 0]]);
    const nll = sumNll(logits, tf.tensor1d([2, 0], 'int32')).dataSync()[0];
    const lse = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(nll).toBeCloseTo(lse - 3 + Math.log(3), 5);
    expect(perplexity(Math.log(7) * 10, 10)).toBeCloseTo(7, 8);
    const V = 11;
    const uniform = { forward: (x: tf.Tensor) => tf.zeros([x.shape[0], V]) }; // [N, context] -> [N, V]
    const stream = Int32Array.from({ length: 50 }, (_, i) => (i * 7) % V);
    const w = expectNoLeak(() => windowPerplexity(uniform, stream, 3, { padId: 0, batchSize: 16 }));
    expect(w.perplexity).toBeCloseTo(V, 4);
    expect(w.tokens).toBe(50);
    const causal = { forward: (x: tf.Tensor) => tf.zeros([...x.shape, V]) };
    const bp = expectNoLeak(() => blockPerplexity(causal, stream, { blockSize: 8, batchSize: 4 }));
    expect(bp.perplexity).toBeCloseTo(V, 4);
    expect(bp.tokens).toBe(49);
    const rec = { forward: (x: tf.Tensor, s: tf.Tensor | null): [tf.Tensor, tf.Tensor] => [tf.zeros([...x.shape, V]), s ? s.add(1) : tf.zeros([1])] };
    const rp = expectNoLeak(() => recurrentPerplexity(rec, stream, { batchSize: 2, bptt: 6, disposeState: (s) => s.dispose() }));
    expect(rp.perplexity).toBeCloseTo(V, 4);
    expect(rp.tokens).toBe(48); // 2 rows of 25, 24 predictions each
    tf.dispose(logits);
    expect(() => sumNll(tf.zeros([2, 3]), tf.tensor1d([0, 3], 'int32'))).toThrow('target 3 at 1 is outside [0, 3)');
  });
});

describe('cosineAdam', () => {
  it('scales the cosine-decayed lr per parameter-name prefix (lrScale)', () => {
    manualSeed(0);
    const net = new nn.Sequential(new nn.Linear(2, 2), new nn.Linear(2, 1));
    const before = net.parameters().map((p) => Array.from(p.data.dataSync()));
    const opt = cosineAdam(net, 0.01, 4, { '1.': 0.25 });
    const x = tf.tensor2d([[1, -2]]);
    backward(() => tf.sum(net.forward(x)), net);
    opt.step(); // step 0: lr = 0.01 · (0.1 + 0.45 · 2); Adam's first step moves each weight by ~lr · sign(g)
    const moved = net.parameters().map((p, i) => Math.max(...Array.from(p.data.dataSync()).map((v, j) => Math.abs(v - before[i][j]))));
    expect(moved[0]).toBeCloseTo(0.01, 4); // 0.weight
    expect(moved[2]).toBeCloseTo(0.0025, 4); // 1.weight: 0.25 × lr
    expect(moved[3]).toBeCloseTo(0.0025, 4); // 1.bias
    expect(() => cosineAdam(net, 0.01, 4, { 'rnn.': 0.5 })).toThrow("no parameter name starts with 'rnn.'");
    expect(() => cosineAdam(net, 0.01, 4, { '0.': 0 })).toThrow("lrScale['0.'] must be > 0, got 0");
    x.dispose();
    net.dispose();
  });
});
