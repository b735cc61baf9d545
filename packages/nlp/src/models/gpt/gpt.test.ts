import * as path from 'path';
import { backward, F, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { GPT, GPT_DEFAULTS, generate, gpt, pickNext } from './index';
import { Generator } from '@neuralzoo/core';

const FIXTURES = path.join(__dirname, '../../../fixtures/gpt');
const TINY = { vocabSize: 37, nPositions: 12, nEmbd: 16, nLayer: 2, nHead: 4, dropout: 0 };

function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], 'int32');
}

describe('GPT', () => {
  let model: GPT;
  beforeAll(() => {
    manualSeed(0);
    model = gpt(TINY).eval();
  });
  afterAll(() => model.dispose());

  it('maps ids [B, T] to logits [B, T, V] with Hugging Face GPT-2 key names and layouts', () => {
    const y = model.forward(ids([[1, 2, 3], [4, 5, 6]]));
    expect(y.shape).toEqual([2, 3, 37]);
    y.dispose();
    const sd = model.stateDict();
    const shapes = Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]));
    expect(shapes['transformer.wte.weight']).toEqual([37, 16]);
    expect(shapes['transformer.wpe.weight']).toEqual([12, 16]);
    expect(shapes['transformer.h.1.attn.c_attn.weight']).toEqual([16, 48]); // Conv1D [in, out]
    expect(shapes['transformer.h.1.attn.c_proj.weight']).toEqual([16, 16]);
    expect(shapes['transformer.h.0.mlp.c_fc.weight']).toEqual([16, 64]);
    expect(shapes['transformer.h.0.mlp.c_proj.weight']).toEqual([64, 16]);
    expect(shapes['transformer.h.0.ln_1.weight']).toEqual([16]);
    expect(shapes['transformer.ln_f.bias']).toEqual([16]);
    expect(sd['lm_head.weight']).toBe(sd['transformer.wte.weight']); // tied
    // 37·16 + 12·16 + 2·(4·16 [ln] + 16·48 + 48 + 16·16 + 16 + 16·64 + 64 + 64·16 + 16) + 2·16
    expect(model.numParameters()).toBe(37 * 16 + 12 * 16 + 2 * (64 + 816 + 272 + 1088 + 1040) + 32);
  });

  it('is causal: changing future tokens never changes the logits of earlier positions', () => {
    const a = model.forward(ids([[3, 1, 4, 1, 5, 9, 2, 6]]));
    const b = model.forward(ids([[3, 1, 4, 1, 30, 20, 10, 0]]));
    expectClose(a.slice([0, 0, 0], [1, 4, 37]), b.slice([0, 0, 0], [1, 4, 37]), { rtol: 0, atol: 1e-6 });
    const diff = tf.max(tf.abs(tf.sub(a.slice([0, 4, 0], [1, 1, 37]), b.slice([0, 4, 0], [1, 1, 37])))).dataSync()[0];
    expect(diff).toBeGreaterThan(1e-4);
    tf.dispose([a, b]);
  });

  it('matches the plain-torch GPT-2 reference: logits within 1e-4 and gradients', () => {
    const fx = loadFixture(FIXTURES, 'gpt2_tiny');
    const cfg = fx.meta.config as Record<string, number>;
    const m = gpt({ vocabSize: cfg.vocab_size, nPositions: cfg.n_positions, nEmbd: cfg.n_embd, nLayer: cfg.n_layer, nHead: cfg.n_head, layerNormEps: cfg.layer_norm_epsilon, dropout: 0 });
    const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('transformer.') || k === 'lm_head.weight'));
    m.loadStateDict(sd);
    m.eval();
    const logits = m.forward(fx.tensors.ids);
    expectClose(logits, fx.tensors.logits, { rtol: 1e-4, atol: 1e-4, what: 'logits' });
    const V = cfg.vocab_size;
    const [B, T] = fx.tensors.ids.shape;
    const loss = backward(() => {
      const l = m.forward(fx.tensors.ids).slice([0, 0, 0], [B, T - 1, V]).reshape([-1, V]);
      return F.crossEntropy(l, fx.tensors.ids.slice([0, 1], [B, T - 1]).reshape([-1]));
    }, m);
    expect(loss).toBeCloseTo(fx.meta.loss as number, 4);
    const p = Object.fromEntries(m.namedParameters());
    for (const k of ['transformer.h.0.attn.c_attn.weight', 'transformer.wte.weight'])
      expectClose(p[k].grad!, fx.tensors[`grad.${k}`], { rtol: 1e-3, atol: 1e-5, what: `grad ${k}` });
    // HF safetensors keep tied weights once: a state dict without lm_head.weight loads the same.
    const m2 = gpt({ ...TINY, vocabSize: V });
    const { ['lm_head.weight']: _head, ...noHead } = sd;
    m2.loadStateDict(noHead);
    const logits2 = m2.eval().forward(fx.tensors.ids);
    expectClose(logits2, fx.tensors.logits, { rtol: 1e-4, atol: 1e-4, what: 'logits without lm_head' });
    tf.dispose([logits, logits2]);
    [m, m2].forEach((x) => x.dispose());
    fx.dispose();
  });

  it('refuses an untied lm_head and over-long input, naming the sizes', () => {
    const sd = Object.fromEntries(Object.entries(model.stateDict()).map(([k, v]) => [k, v.clone()]));
    const head = sd['lm_head.weight'];
    sd['lm_head.weight'] = tf.add(head, 1);
    expect(() => model.loadStateDict(sd)).toThrow('lm_head.weight differs from transformer.wte.weight');
    tf.dispose([head, ...Object.values(sd)]);
    const long = tf.zeros([1, 13], 'int32');
    expect(() => model.forward(long)).toThrow('GPT: sequence length 13 must be in [1, nPositions = 12]');
    long.dispose();
    expect(() => gpt({ nEmbd: 30, nHead: 4 })).toThrow('GPT: nEmbd (30) must be divisible by nHead (4)');
  });

  it('leaks no tensor in forward, backward or generation', () => {
    const x = ids([[1, 2, 3, 4]]);
    expectNoLeak(() => tf.tidy(() => model.forward(x).dataSync()));
    model.zeroGrad();
    expectNoLeak(() => backward(() => tf.mean(model.forward(x)), model), model.parameters().length);
    model.zeroGrad();
    expectNoLeak(() => generate(model, [1, 2], 12, { maxNewTokens: 3, seed: 1 }));
    x.dispose();
  });

  it('generates greedily and reproducibly with seeded top-k / temperature sampling', () => {
    const greedy = generate(model, [5, 6, 7], 12, { maxNewTokens: 6, strategy: 'greedy' });
    expect(greedy).toHaveLength(6);
    // Greedy takes the arg-max of the last position each step.
    const first = tf.tidy(() => tf.argMax(model.forward(ids([[5, 6, 7]])).slice([0, 2, 0], [1, 1, 37]).reshape([37])).dataSync()[0]);
    expect(greedy[0]).toBe(first);
    const s1 = generate(model, [5, 6, 7], 12, { maxNewTokens: 15, topK: 5, temperature: 0.8, seed: 3 });
    const s2 = generate(model, [5, 6, 7], 12, { maxNewTokens: 15, topK: 5, temperature: 0.8, seed: 3 });
    expect(s1).toEqual(s2); // 3 + 15 > nPositions: the context is cropped to the last 12 ids
    // top-k 1 is greedy; top-k 2 only ever picks the two best.
    const gen = new Generator(0);
    const row = [0.1, 3, -1, 2.5];
    for (let i = 0; i < 50; i++) {
      expect(pickNext(row, { topK: 1 }, gen)).toBe(1);
      expect([1, 3]).toContain(pickNext(row, { topK: 2 }, gen));
    }
    // A low temperature concentrates on the best token; frequencies follow softmax at T = 1.
    let best = 0;
    let count3 = 0;
    for (let i = 0; i < 2000; i++) {
      if (pickNext(row, { temperature: 0.05 }, gen) === 1) best++;
      if (pickNext(row, {}, gen) === 3) count3++;
    }
    expect(best).toBe(2000);
    const z = row.reduce((a, v) => a + Math.exp(v), 0);
    expect(count3 / 2000).toBeCloseTo(Math.exp(2.5) / z, 1);
    expect(() => pickNext(row, { temperature: 0 }, gen)).toThrow('temperature must be > 0');
  });

  it('is registered as gpt with its Bible recipe', () => {
    const entry = registry.get('gpt');
    expect([entry.task, entry.domain]).toEqual(['language-modeling', 'nlp']);
    expect(entry.recipe!.metric).toBe('perplexity');
    const m = registry.create<GPT>('gpt', { nLayer: 1, vocabSize: 20, nEmbd: 8, nHead: 2 });
    expect(m.config).toEqual({ ...GPT_DEFAULTS, nLayer: 1, vocabSize: 20, nEmbd: 8, nHead: 2 });
    m.dispose();
  });
});
