import { backward, Generator, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { synonymAuc, synonymPairs } from '../../lm/wordsim';
import { buildHuffman, word2vec, word2vecBatch } from './index';

describe('Huffman tree', () => {
  it('gives frequent words short codes and forms a prefix code over V - 1 inner nodes', () => {
    const t = buildHuffman([45, 13, 12, 16, 9, 5]); // the textbook example: a 0, b 101, c 100, d 111, e 1101, f 1100
    expect(t.codes.map((c) => c.length)).toEqual([1, 3, 3, 3, 4, 4]);
    expect(t.maxDepth).toBe(4);
    const codes = t.codes.map((c) => c.join(''));
    for (const a of codes) for (const b of codes) if (a !== b) expect(b.startsWith(a)).toBe(false);
    expect(new Set(t.paths.flat()).size).toBe(5);
    t.paths.forEach((p) => expect(p[0]).toBe(4)); // the root is the last inner node
    expect(() => buildHuffman([3])).toThrow('needs at least 2 words');
  });
});

describe('Word2Vec', () => {
  const counts = [50, 30, 10, 5, 3, 1, 1];
  it('hierarchical softmax probabilities sum to 1 over the vocabulary (CBOW and skip-gram)', () => {
    manualSeed(0);
    for (const architecture of ['skipgram', 'cbow'] as const) {
      const m = word2vec({ vocabSize: 7, embeddingDim: 4, window: 1, architecture, objective: 'hierarchical' }).setCounts(counts);
      tf.tidy(() => m.output.data.assign(tf.randomNormal([6, 4], 0, 1, 'float32', 3))); // zero at init: make it non-trivial
      const inputs = architecture === 'cbow' ? tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32') : tf.tensor1d([1, 5], 'int32');
      const h = m.hidden(inputs);
      expect(h.shape).toEqual([2, 4]);
      const words = [0, 1, 2, 3, 4, 5, 6];
      for (let b = 0; b < 2; b++) {
        const hb = tf.tidy(() => tf.tile(h.slice([b, 0], [1, 4]), [7, 1]));
        const logp = m.hsLogProb(hb, words);
        const total = Array.from(logp.dataSync()).reduce((a, v) => a + Math.exp(v), 0);
        expect(total).toBeCloseTo(1, 5);
        tf.dispose([hb, logp]);
      }
      tf.dispose([inputs, h]);
      m.dispose();
    }
  });

  it('negative-sampling loss equals log 2 · (k + 1) at init (zero output vectors) and trains without leaks', () => {
    manualSeed(1);
    const m = word2vec({ vocabSize: 7, embeddingDim: 4, negatives: 3 }).setCounts(counts);
    const x = tf.tensor1d([0, 1, 2], 'int32');
    const y = tf.tensor1d([1, 2, 3], 'int32');
    const gen = new Generator(0);
    const loss = expectNoLeak(() => backward(() => m.loss(x, y, gen), m), m.parameters().length);
    expect(loss).toBeCloseTo(4 * Math.log(2), 5);
    expect(m.output.grad!.shape).toEqual([7, 4]);
    expect(Array.from(m.output.grad!.dataSync()).some((v) => v !== 0)).toBe(true);
    m.zeroGrad();
    expect(() => m.loss(tf.zeros([3, 2], 'int32'), y, gen)).toThrow("Word2Vec (skipgram): expected centre ids [batch], got [3,2]");
    expect(() => word2vec({ vocabSize: 7 }).loss(x, y, gen)).toThrow('call setCounts(counts) before training with negative sampling');
    tf.dispose([x, y]);
    m.dispose();
  });

  it('output bias: NS loss and bias gradients match the hand formula; HS still sums to 1; state dict key', () => {
    manualSeed(2);
    const K = 3;
    const beta = 0.7;
    const m = word2vec({ vocabSize: 7, embeddingDim: 4, negatives: K, outputBias: true }).setCounts(counts);
    expect(Object.keys(m.stateDict()).sort()).toEqual(['input.weight', 'output', 'output_bias']);
    expect(m.stateDict()['output_bias'].shape).toEqual([7]);
    const plain = word2vec({ vocabSize: 7 });
    expect(Object.keys(plain.stateDict()).sort()).toEqual(['input.weight', 'output']);
    plain.dispose();
    // Output vectors are zero at init, so every score is its bias: with all biases β the loss is
    // -log σ(β) - k log σ(-β) whatever noise words are drawn.
    tf.tidy(() => m.outputBias!.data.assign(tf.fill([7], beta)));
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    const x = tf.tensor1d([0, 1, 2, 4], 'int32');
    const y = tf.tensor1d([1, 2, 3, 3], 'int32');
    const loss = backward(() => m.loss(x, y, new Generator(3)), m);
    expect(loss).toBeCloseTo(-Math.log(sig(beta)) - K * Math.log(sig(-beta)), 5);
    // d loss / d b: -(1 - σ(β)) per target and σ(β) per noise word, over the batch of 4.
    const g = Array.from(m.outputBias!.grad!.dataSync());
    expect(g.reduce((a, v) => a + v, 0)).toBeCloseTo(-(1 - sig(beta)) + K * sig(beta), 5);
    expect(g[3]).toBeLessThan(g[0]); // word 3 is the target of 2 of the 4 pairs
    tf.dispose([x, y]);
    m.dispose();
    for (const architecture of ['skipgram', 'cbow'] as const) {
      const hs = word2vec({ vocabSize: 7, embeddingDim: 4, window: 1, architecture, objective: 'hierarchical', outputBias: true }).setCounts(counts);
      expect(hs.outputBias!.data.shape).toEqual([6]);
      tf.tidy(() => {
        hs.output.data.assign(tf.randomNormal([6, 4], 0, 1, 'float32', 4));
        hs.outputBias!.data.assign(tf.randomNormal([6], 0, 2, 'float32', 5));
      });
      const inputs = architecture === 'cbow' ? tf.tensor2d([[1, 2]], [1, 2], 'int32') : tf.tensor1d([5], 'int32');
      const total = tf.tidy(() => tf.sum(tf.exp(hs.hsLogProb(tf.tile(hs.hidden(inputs), [7, 1]), [0, 1, 2, 3, 4, 5, 6]))).dataSync()[0]);
      expect(total).toBeCloseTo(1, 5);
      inputs.dispose();
      hs.dispose();
    }
    expect(() => word2vec({ outputBias: 1 as unknown as boolean })).toThrow('outputBias must be a boolean, got 1');
  });

  it('batches skip-gram pairs within the window and CBOW contexts around the centre', () => {
    const stream = Int32Array.from({ length: 100 }, (_, i) => i);
    const keep = new Float64Array(100).fill(1);
    const sg = word2vecBatch(stream, { architecture: 'skipgram', window: 2 }, 50, keep, new Generator(0));
    for (let b = 0; b < 50; b++) {
      const d = Math.abs(sg.targets[b] - sg.inputs[b]);
      expect(d >= 1 && d <= 2).toBe(true);
    }
    const cb = word2vecBatch(stream, { architecture: 'cbow', window: 2 }, 10, keep, new Generator(0));
    expect(cb.contextSize).toBe(4);
    const c = cb.targets[0];
    expect(Array.from(cb.inputs.slice(0, 4))).toEqual([c - 2, c - 1, c + 1, c + 2]);
  });

  it('synonym AUC is 1 for vectors that put synonyms together and ~0.5 for random vectors', () => {
    const words = ['big', 'large', 'small', 'little', 'red', 'blue'];
    const pairs = synonymPairs([['Big', 'large', 'great wide'], ['small', 'little', 'small']], (w) => (words.includes(w) ? words.indexOf(w) : undefined));
    expect(pairs).toEqual([[0, 1], [2, 3]]);
    const v = Float32Array.from([1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9, -1, 0, 0, -1]); // 6 × 2
    const r = synonymAuc(v, 2, [[0, 1], [2, 3]], { from: 0, to: 6, seed: 1 });
    expect(r.meanSynonymCosine).toBeGreaterThan(0.99);
    expect(r.auc).toBeGreaterThan(0.5); // synonyms at cos ≈ 1 never rank below a random pair
    // Random vectors: synonyms are no closer than random pairs (AUC near 0.5).
    const g = new Generator(5);
    const rnd = Float32Array.from({ length: 400 * 8 }, () => g.normal());
    const rp = Array.from({ length: 150 }, (_, i) => [2 * i, 2 * i + 1] as [number, number]);
    const r2 = synonymAuc(rnd, 8, rp, { from: 0, to: 400, seed: 2 });
    expect(Math.abs(r2.auc - 0.5)).toBeLessThan(0.1);
    expect(() => synonymAuc(v, 2, [], { from: 0, to: 6 })).toThrow('no synonym pair');
  });

  it('registers the four variants', () => {
    for (const name of ['word2vec_skipgram_ns', 'word2vec_skipgram_hs', 'word2vec_cbow_ns', 'word2vec_cbow_hs']) {
      const e = registry.get(name);
      expect([e.task, e.recipe!.metric, e.recipe!.target]).toEqual(['word-embedding', 'synonym-auc', 0.7]);
    }
    const m = registry.create('word2vec_cbow_hs', { vocabSize: 9 });
    expect(m.stateDict()['output'].shape).toEqual([8, 64]);
    m.dispose();
  });
});
