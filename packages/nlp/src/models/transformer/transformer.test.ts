import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { beamSearch, greedyDecode } from '../../decode/index';
import { padIds } from '../seq2seq/index';
import { LearnedPositionalEncoding, SinusoidalPositionalEncoding, sinusoidTable, TransformerSeq2Seq } from './index';

const cfg = { srcVocabSize: 11, tgtVocabSize: 9, dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0, maxLength: 8 };

describe('positional encodings', () => {
  it('sinusoids: PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(…)', () => {
    const pe = sinusoidTable(3, 4).arraySync();
    expectClose(pe[0], [0, 1, 0, 1], { atol: 1e-7 });
    expectClose(pe[2], [Math.sin(2), Math.cos(2), Math.sin(2 / 100), Math.cos(2 / 100)], { atol: 1e-6 });
    const enc = new SinusoidalPositionalEncoding(4, 3);
    const x = tf.zeros([2, 2, 4]);
    expectClose(enc.forward(x, 1).slice([1, 0, 0], [1, 2, 4]), [...pe[1], ...pe[2]], { atol: 1e-7 });
    expect(() => enc.forward(tf.zeros([1, 4, 4]))).toThrow('SinusoidalPositionalEncoding: sequence length 4 exceeds maxLength 3');
    const learned = new LearnedPositionalEncoding(4, 3);
    expect(Object.keys(learned.stateDict())).toEqual(['embedding.weight']);
    expect(learned.forward(x).shape).toEqual([2, 2, 4]);
    x.dispose();
  });
});

describe('TransformerSeq2Seq', () => {
  it('√E-scaled token embeddings have unit scale, like the positional encodings (padding row zero)', () => {
    manualSeed(0);
    const m = new TransformerSeq2Seq({ ...cfg, srcVocabSize: 400, dModel: 64, nhead: 4, dimFeedforward: 32 });
    const w = m.src_embed.weight.data.arraySync() as number[][];
    expect(w[0].every((v) => v === 0)).toBe(true);
    const rest = w.slice(1).flat().map((v) => v * 8); // × √64
    const std = Math.sqrt(rest.reduce((a, v) => a + v * v, 0) / rest.length);
    expect(std).toBeGreaterThan(0.9);
    expect(std).toBeLessThan(1.1);
    m.dispose();
  });

  for (const positional of ['sinusoidal', 'learned'] as const) {
    it(`${positional}: shapes, causal decoder, padding changes nothing, finite gradients, no leak`, () => {
      manualSeed(0);
      const m = new TransformerSeq2Seq({ ...cfg, positional });
      m.eval();
      const src = padIds([[4, 5, 6], [7, 8]]);
      const srcLonger = padIds([[4, 5, 6, 0, 0], [7, 8, 0, 0, 0]]);
      const tgtIn = padIds([[2, 4, 5], [2, 6, 7]]);
      const y = m.forward(src, tgtIn);
      expect(y.shape).toEqual([2, 3, 9]);
      expectClose(m.forward(srcLonger, tgtIn), y, { atol: 1e-5, what: 'extra source padding' });
      // Causal: changing the last target token leaves earlier positions unchanged.
      const tgtAlt = padIds([[2, 4, 8], [2, 6, 8]]);
      expectClose(m.forward(src, tgtAlt).slice([0, 0, 0], [2, 2, 9]), y.slice([0, 0, 0], [2, 2, 9]), { atol: 1e-5, what: 'causality' });
      // Step-wise decoding reproduces the teacher-forced log-probabilities.
      let state = m.encode(src);
      const full = tf.logSoftmax(y, -1);
      for (let t = 0; t < 3; t++) {
        const [lp, next] = m.decodeStep(tgtIn.slice([0, t], [2, 1]).reshape([2]) as tf.Tensor1D, state, t);
        expectClose(lp, full.slice([0, t, 0], [2, 1, 9]).reshape([2, 9]), { atol: 1e-5, what: `step ${t}` });
        state = next;
      }
      m.train();
      const tgt = padIds([[2, 4, 5, 3], [2, 6, 3]]);
      const loss = backward(() => m.loss(src, tgt), m);
      expect(loss).toBeGreaterThan(1);
      for (const [name, p] of m.namedParameters()) {
        const g = p.grad ? Array.from(p.grad.dataSync()) : [];
        expect([name, g.length === p.size && g.every(Number.isFinite)]).toEqual([name, true]);
      }
      m.zeroGrad();
      m.eval();
      expectNoLeak(() => greedyDecode(m, src, { bos: 2, eos: 3, maxLength: 5 }));
      expectNoLeak(() => beamSearch(m, src, { bos: 2, eos: 3, maxLength: 5, beamSize: 2 }));
      expect(() => m.forward(padIds([[1, 1, 1, 1, 1, 1, 1, 1, 1]]), tgtIn)).toThrow('TransformerSeq2Seq: src length 9 exceeds maxLength 8');
      m.dispose();
    });
  }

  it('uses core layer names and is registered', () => {
    const m = registry.create<TransformerSeq2Seq>('seq2seq_transformer', { dModel: 8, nhead: 2, dimFeedforward: 8 });
    const keys = Object.keys(m.stateDict());
    expect(keys).toContain('encoder.layers.0.self_attn.in_proj_weight');
    expect(keys).toContain('decoder.layers.1.multihead_attn.out_proj.weight');
    expect(keys).toContain('src_pos.pe');
    expect(() => new TransformerSeq2Seq({ ...cfg, nhead: 3 })).toThrow('TransformerSeq2Seq: dModel (8) must be divisible by nhead (3)');
    m.dispose();
  });
});
