import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { sumNll } from '../../lm/perplexity';
import { rnnlm } from '../rnnlm/index';
import { LstmLM, lstmLm } from './index';

const IDS = () => tf.tensor2d([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]], [2, 6], 'int32');

describe('RNNLM and LSTM LM (recurrent models)', () => {
  it('map ids [B, T] to logits [B, T, V] and states [L, B, H]; state dict names follow torch', () => {
    manualSeed(0);
    const r = rnnlm({ vocabSize: 15, embeddingDim: 4, hiddenSize: 6 });
    const [y, h] = r.forward(IDS());
    expect([y.shape, h.shape]).toEqual([[2, 6, 15], [1, 2, 6]]);
    expect(Object.keys(r.stateDict())).toEqual(['embedding.weight', 'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.bias_ih_l0', 'rnn.bias_hh_l0', 'decoder.weight', 'decoder.bias']);
    const l = lstmLm({ vocabSize: 15, embeddingDim: 6, hiddenSize: 6, numLayers: 2 });
    const [z, [hh, cc]] = l.forward(IDS());
    expect([z.shape, hh.shape, cc.shape]).toEqual([[2, 6, 15], [2, 2, 6], [2, 2, 6]]);
    expect(l.stateDict()['lstm.weight_ih_l1'].shape).toEqual([24, 6]);
    expect(l.stateDict()['decoder_bias'].shape).toEqual([15]); // tied: no decoder.weight
    expect(Object.keys(l.stateDict())).not.toContain('decoder.weight');
    tf.dispose([y, h, z, hh, cc]);
    expect(() => lstmLm({ embeddingDim: 8, hiddenSize: 6 })).toThrow('LstmLM: tieWeights needs embeddingDim (8) === hiddenSize (6)');
    [r, l].forEach((m) => m.dispose());
  });

  it('carrying the state over two windows equals reading the whole sequence at once (truncated BPTT is exact forward)', () => {
    manualSeed(2);
    for (const m of [lstmLm({ vocabSize: 15, embeddingDim: 6, hiddenSize: 6 }), rnnlm({ vocabSize: 15, embeddingDim: 4, hiddenSize: 6 })]) {
      const ids = IDS();
      const [whole] = (m as LstmLM).forward(ids);
      const [a, s] = (m as LstmLM).forward(ids.slice([0, 0], [2, 4]), null);
      const [b] = (m as LstmLM).forward(ids.slice([0, 4], [2, 2]), s as never);
      expectClose(tf.concat([a, b], 1), whole, { rtol: 1e-5, atol: 1e-6 });
      // Position t never depends on later tokens.
      const other = tf.tensor2d([[1, 2, 3, 9, 9, 9], [6, 5, 4, 0, 0, 0]], [2, 6], 'int32');
      const [o] = (m as LstmLM).forward(other);
      expectClose(o.slice([0, 0, 0], [2, 3, 15]), whole.slice([0, 0, 0], [2, 3, 15]), { rtol: 0, atol: 1e-6 });
      tf.dispose([ids, whole, a, b, other, o, ...(Array.isArray(s) ? s : [s])]);
      m.dispose();
    }
  });

  it('leak no tensor and give every parameter a finite gradient', () => {
    for (const m of [lstmLm({ vocabSize: 15, embeddingDim: 6, hiddenSize: 6 }), rnnlm({ vocabSize: 15, embeddingDim: 4, hiddenSize: 6 })]) {
      const ids = IDS();
      expectNoLeak(() => tf.tidy(() => void (m as LstmLM).forward(ids)[0].dataSync()));
      const loss = expectNoLeak(() => backward(() => tf.div(sumNll((m as LstmLM).forward(ids)[0], ids), 12), m), m.parameters().length);
      expect(loss).toBeGreaterThan(Math.log(15) - 0.5);
      expect(loss).toBeLessThan(Math.log(15) + 0.5);
      for (const [name, p] of m.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
      ids.dispose();
      m.dispose();
    }
  });

  it('are registered with Bible recipes', () => {
    for (const name of ['rnnlm', 'lstm_lm']) {
      const e = registry.get(name);
      expect([e.task, e.domain, e.recipe!.dataset, e.recipe!.metric]).toEqual(['language-modeling', 'nlp', 'bible-web', 'perplexity']);
      registry.create(name, { vocabSize: 12 }).dispose();
    }
  });
});
