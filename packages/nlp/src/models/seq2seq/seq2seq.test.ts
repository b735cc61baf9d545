import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { greedyDecode, beamSearch } from '../../decode/index';
import { Seq2Seq, padIds, trainPairs } from './index';

const cfg = { srcVocabSize: 12, tgtVocabSize: 10, embedDim: 6, hiddenSize: 8, dropout: 0 };

describe('Seq2Seq', () => {
  for (const [cell, attention] of [['gru', 'bahdanau'], ['lstm', 'luong'], ['rnn', 'none']] as const) {
    it(`${cell} + ${attention}: logits shape, source padding changes nothing, finite gradients, no leak`, () => {
      manualSeed(0);
      const m = new Seq2Seq({ ...cfg, cell, attention });
      m.eval();
      const src = padIds([[4, 5, 6], [7, 8]]);
      const srcLonger = padIds([[4, 5, 6, 0, 0], [7, 8, 0, 0, 0]]);
      const tgt = padIds([[2, 4, 5, 3], [2, 6, 3]]);
      const y = m.forward(src, tgt.slice([0, 0], [2, 3]));
      expect(y.shape).toEqual([2, 3, 10]);
      const y2 = m.forward(srcLonger, tgt.slice([0, 0], [2, 3]));
      expectClose(y2, y, { atol: 1e-5, what: 'logits with extra source padding' });
      m.train();
      const loss = backward(() => m.loss(src, tgt), m);
      expect(loss).toBeGreaterThan(1.5);
      expect(loss).toBeLessThan(3.5); // ≈ ln 10 at init
      for (const [name, p] of m.namedParameters()) {
        const g = p.grad ? Array.from(p.grad.dataSync()) : [];
        expect([name, g.length === p.size && g.every(Number.isFinite)]).toEqual([name, true]);
      }
      m.zeroGrad();
      m.eval();
      expectNoLeak(() => tf.dispose(m.forward(src, tgt)));
      expectNoLeak(() => greedyDecode(m, src, { bos: 2, eos: 3, maxLength: 4 }));
      expectNoLeak(() => beamSearch(m, src, { bos: 2, eos: 3, maxLength: 4, beamSize: 3 }));
      tf.dispose([src, srcLonger, tgt, y, y2]);
      m.dispose();
    });
  }

  it('decodeStep reproduces the teacher-forced logits step by step', () => {
    manualSeed(1);
    const m = new Seq2Seq({ ...cfg });
    m.eval();
    const src = padIds([[4, 5, 6, 7], [8, 9]]);
    const tgtIn = padIds([[2, 4, 5], [2, 6, 7]]);
    const full = tf.logSoftmax(m.forward(src, tgtIn), -1);
    let state = m.encode(src);
    const cols = tf.unstack(tgtIn, 1);
    for (let t = 0; t < 3; t++) {
      const [lp, next] = m.decodeStep(cols[t] as tf.Tensor1D, state, t);
      expectClose(lp, full.slice([0, t, 0], [2, 1, 10]).squeeze([1]), { atol: 1e-5, what: `step ${t}` });
      state = next;
    }
    m.dispose();
  });

  it('pads batches to their longest row only, and trains on sources of 1, 21 and 31 tokens (core RNN backward edge cases)', () => {
    expect([1, 2, 16, 17, 21, 22, 31].map((n) => padIds([new Array(n).fill(4)]).shape[1])).toEqual([1, 2, 16, 17, 21, 22, 31]);
    expect(padIds([[4]], 0, 2).shape).toEqual([1, 2]);
    const m = new Seq2Seq({ ...cfg });
    for (const n of [1, 21, 31]) {
      const src = padIds([new Array(n).fill(4), [5]]);
      const tgt = padIds([[2, 4, 3], [2, 5, 3]]);
      m.zeroGrad();
      expect([n, Number.isFinite(backward(() => m.loss(src, tgt), m))]).toEqual([n, true]);
      expect(m.parameters().every((p) => p.grad !== null && Array.from(p.grad.dataSync()).every(Number.isFinite))).toBe(true);
      tf.dispose([src, tgt]);
    }
    m.dispose();
  });

  it('trainPairs warms the learning rate up linearly: step 1 of 100 moves Adam parameters 1/100 as far', () => {
    const moved = (warmupSteps?: number) => {
      manualSeed(0);
      const m = new Seq2Seq({ ...cfg });
      const before = m.parameters().map((p) => p.data.dataSync().slice());
      trainPairs(m, [[4, 5], [6, 7]], [[2, 4, 3], [2, 5, 3]], { epochs: 1, batchSize: 2, lr: 1e-2, warmupSteps });
      const d = Math.max(...m.parameters().map((p, i) => Math.max(...Array.from(p.data.dataSync(), (v, j) => Math.abs(v - before[i][j])))));
      m.dispose();
      return d;
    };
    const full = moved();
    expect(full).toBeGreaterThan(5e-3); // Adam's first step is about lr per weight
    expect(moved(100) / full).toBeCloseTo(0.01, 3);
  });

  it('validates config and inputs, and is registered', () => {
    expect(() => new Seq2Seq({ ...cfg, cell: 'tcn' as 'gru' })).toThrow("Seq2Seq: cell must be 'gru', 'lstm' or 'rnn', got 'tcn'");
    expect(() => new Seq2Seq({ ...cfg, attention: 'x' as 'none' })).toThrow("Seq2Seq: attention must be 'bahdanau', 'luong' or 'none', got 'x'");
    const m = registry.create<Seq2Seq>('seq2seq_gru_attention', { srcVocabSize: 5, tgtVocabSize: 6 });
    expect([m.config.cell, m.config.attention, m.config.tgtVocabSize]).toEqual(['gru', 'bahdanau', 6]);
    const empty = padIds([[0, 0]]);
    expect(() => m.encode(empty)).toThrow('Seq2Seq: every source needs at least one token');
    expect(registry.get('seq2seq_gru').recipe!.metric).toBe('bleu');
    expect(registry.get('seq2seq_gru_attention').recipe!.target).toBe(0.25);
    empty.dispose();
    m.dispose();
  });
});
