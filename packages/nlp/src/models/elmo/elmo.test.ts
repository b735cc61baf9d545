import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { bilmNll, bilmPerplexity, charIds, elmo, ELMo } from './index';

const WORDS = ['<pad>', 'in', 'the', 'beginning', 'god', 'created', 'heavens', 'and', 'earth', '.'];
const tiny = () => elmo({ vocabSize: 10, maxChars: 8, charDim: 4, filters: [[1, 4], [2, 4]], dim: 6, numLayers: 2 }).setVocabulary(WORDS);

describe('ELMo', () => {
  let m: ELMo;
  beforeAll(() => {
    manualSeed(0);
    m = tiny();
  });
  afterAll(() => m.dispose());

  it('spells words as begin/end-marked char ids, cut to maxChars', () => {
    expect(Array.from(charIds('god', 6, 256))).toEqual([1, 3 + 103, 3 + 111, 3 + 100, 2, 0]);
    expect(Array.from(charIds('beginning', 6, 256))).toEqual([1, 3 + 98, 3 + 101, 3 + 103, 3 + 105, 2]);
  });

  it('gives L + 1 layers [B, T, 2D], both LM logits [B, T, V] and scalar-mix features', () => {
    const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');
    const out = m.forward(ids);
    expect(out.layers.map((l) => l.shape)).toEqual([[2, 4, 12], [2, 4, 12], [2, 4, 12]]);
    expect([out.forwardLogits.shape, out.backwardLogits.shape]).toEqual([[2, 4, 10], [2, 4, 10]]);
    // Scalar mix with s = 0, γ = 1: the plain mean of the layers.
    const feats = m.embed(ids);
    expectClose(feats, tf.div(tf.addN(out.layers), 3), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([ids, feats, out.layers, out.forwardLogits, out.backwardLogits]);
    expect(Object.keys(m.stateDict())).toEqual(expect.arrayContaining(['encoder.char_embedding.weight', 'encoder.convs.1.weight', 'encoder.highways.0.gate.bias', 'encoder.projection.weight', 'forward_lstms.1.weight_hh_l0', 'backward_lstms.0.weight_ih_l0', 'softmax.weight', 'scalar_mix.weights', 'scalar_mix.gamma']));
  });

  it('forward LM sees only the past and backward LM only the future', () => {
    const a = tf.tensor2d([[1, 2, 3, 4, 5]], [1, 5], 'int32');
    const b = tf.tensor2d([[1, 2, 9, 4, 5]], [1, 5], 'int32'); // position 2 changed
    const oa = m.forward(a);
    const ob = m.forward(b);
    expectClose(oa.forwardLogits.slice([0, 0, 0], [1, 2, 10]), ob.forwardLogits.slice([0, 0, 0], [1, 2, 10]), { rtol: 0, atol: 1e-6 });
    expectClose(oa.backwardLogits.slice([0, 3, 0], [1, 2, 10]), ob.backwardLogits.slice([0, 3, 0], [1, 2, 10]), { rtol: 0, atol: 1e-6 });
    const moved = tf.max(tf.abs(tf.sub(oa.forwardLogits.slice([0, 2, 0], [1, 1, 10]), ob.forwardLogits.slice([0, 2, 0], [1, 1, 10])))).dataSync()[0];
    expect(moved).toBeGreaterThan(1e-5);
    tf.dispose([a, b, oa.layers, ob.layers, oa.forwardLogits, ob.forwardLogits, oa.backwardLogits, ob.backwardLogits]);
  });

  it('biLM loss has finite gradients everywhere, leaks nothing; perplexity near V at init', () => {
    const ids = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], 'int32');
    m.zeroGrad();
    const loss = expectNoLeak(() => backward(() => tf.div(bilmNll(m, ids), 12), m), m.parameters().length);
    expect(Math.abs(loss - Math.log(10))).toBeLessThan(0.5);
    for (const [name, p] of m.namedParameters()) {
      if (name.startsWith('scalar_mix')) continue; // the LM loss does not use the mix
      expect([name, p.grad !== null && Array.from(p.grad.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    }
    m.zeroGrad();
    const ppl = bilmPerplexity(m, Int32Array.from({ length: 40 }, (_, i) => 1 + (i % 9)), 5, 4);
    expect(ppl.tokens).toBe(2 * 8 * 4);
    expect(ppl.perplexity).toBeGreaterThan(5);
    expect(ppl.perplexity).toBeLessThan(20);
    ids.dispose();
  });

  it('checks its inputs and is registered', () => {
    const fresh = elmo({ vocabSize: 10, dim: 4 });
    const ids = tf.tensor2d([[1]], [1, 1], 'int32');
    expect(() => fresh.forward(ids)).toThrow('ELMo: call setVocabulary(tokens) before forward');
    expect(() => fresh.setVocabulary(['a'])).toThrow('ELMo.setVocabulary: expected 10 tokens, got 1');
    expect(() => elmo({ filters: [[20, 4]] })).toThrow('ELMo: filters must be [width, count] pairs with 1 <= width <= maxChars (14)');
    ids.dispose();
    fresh.dispose();
    expect(registry.get('elmo').recipe!.metric).toBe('perplexity');
  });
});
