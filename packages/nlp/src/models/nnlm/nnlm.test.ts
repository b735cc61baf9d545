import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { sumNll } from '../../lm/perplexity';
import { LBL, lbl } from '../lbl/index';
import { NNLM, nnlm, NNLM_DEFAULTS } from './index';

const CTX = () => tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');

describe('NNLM and LBL (window models)', () => {
  it('NNLM maps contexts [B, n] to logits [B, V]; state dict names and parameter count', () => {
    manualSeed(0);
    const m = nnlm({ vocabSize: 20, context: 3, embeddingDim: 4, hiddenSize: 5, directConnections: true });
    const y = m.forward(CTX());
    expect(y.shape).toEqual([2, 20]);
    const sd = m.stateDict();
    expect(Object.fromEntries(Object.entries(sd).map(([k, v]) => [k, v.shape]))).toEqual({
      'embedding.weight': [20, 4],
      'hidden.weight': [5, 12],
      'hidden.bias': [5],
      'output.weight': [20, 5],
      'output.bias': [20],
      'direct.weight': [20, 12],
    });
    expect(m.numParameters()).toBe(80 + 65 + 120 + 240);
    // y = b + W x + U tanh(d + H x), by hand for the first row.
    const p = Object.fromEntries(m.namedParameters());
    const x = tf.tidy(() => p['embedding.weight'].data.gather(tf.tensor1d([1, 2, 3], 'int32')).reshape([1, 12]));
    const ref = tf.tidy(() => tf.add(tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, p['hidden.weight'].data, false, true), p['hidden.bias'].data)), p['output.weight'].data, false, true), p['output.bias'].data), tf.matMul(x, p['direct.weight'].data, false, true)));
    expectClose(y.slice([0, 0], [1, 20]), ref, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([y, x, ref]);
    expect(() => m.forward(tf.zeros([2, 4], 'int32'))).toThrow('NNLM: expected int32 contexts [batch, 3], got [2,4]');
    expect(() => nnlm({ context: 0 })).toThrow('NNLM: context must be a positive integer, got 0');
    expect(m.config).toEqual({ ...NNLM_DEFAULTS, vocabSize: 20, context: 3, embeddingDim: 4, hiddenSize: 5, directConnections: true });
    m.dispose();
  });

  it('LBL scores words by r̂ · r(w) + b_w with r̂ = Σ C_i r(w_i)', () => {
    manualSeed(1);
    const m = lbl({ vocabSize: 10, context: 2, embeddingDim: 3 });
    expect(Object.keys(m.stateDict())).toEqual(['bias', 'embedding.weight', 'context.0.weight', 'context.1.weight']);
    const ctx = tf.tensor2d([[4, 7]], [1, 2], 'int32');
    const y = m.forward(ctx);
    const R = m.embedding.weight.data.arraySync() as number[][];
    const C = (m.context.children() as unknown as { weight: { data: tf.Tensor } }[]).map((c) => c.weight.data.arraySync() as number[][]);
    const rHat = [0, 1, 2].map((d) => [0, 1].reduce((acc, i) => acc + [0, 1, 2].reduce((a, e) => a + C[i][d][e] * R[[4, 7][i]][e], 0), 0));
    const want = R.map((r) => r.reduce((a, v, d) => a + v * rHat[d], 0));
    const got = Array.from(y.dataSync());
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
    tf.dispose([ctx, y]);
    m.dispose();
  });

  it('leak no tensor and give every parameter a finite gradient', () => {
    for (const m of [nnlm({ vocabSize: 20, context: 3, embeddingDim: 4, hiddenSize: 5 }), lbl({ vocabSize: 20, context: 3, embeddingDim: 4 })] as (NNLM | LBL)[]) {
      const x = CTX();
      const t = tf.tensor1d([7, 8], 'int32');
      expectNoLeak(() => tf.tidy(() => void m.forward(x).dataSync()));
      const loss = expectNoLeak(() => backward(() => sumNll(m.forward(x), t), m), m.parameters().length);
      expect(loss).toBeCloseTo(2 * Math.log(20), 0); // near-uniform at init
      for (const [name, p] of m.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
      tf.dispose([x, t]);
      m.dispose();
    }
  });

  it('are registered with Bible recipes', () => {
    for (const name of ['nnlm', 'lbl']) {
      const e = registry.get(name);
      expect([e.task, e.domain, e.recipe!.dataset, e.recipe!.metric]).toEqual(['language-modeling', 'nlp', 'bible-web', 'perplexity']);
      registry.create(name, { vocabSize: 12 }).dispose();
    }
  });
});
