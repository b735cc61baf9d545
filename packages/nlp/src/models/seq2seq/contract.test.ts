import { backward, manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import '../transformer/index';
import '../copynet/index';
import { padIds } from './index';
import { sortingTask } from '../pointer/index';

/** Registry contract for the sequence-pair models of this folder and its neighbours (tiny configs). */
type Loss = nn.Module & { loss(a: tf.Tensor, b: tf.Tensor): tf.Scalar; forward(a: tf.Tensor, b: tf.Tensor): tf.Tensor };
const small = { embedDim: 6, hiddenSize: 8, srcVocabSize: 12, tgtVocabSize: 12, dropout: 0 };
const CASES: Record<string, { config: object; batch: () => [tf.Tensor, tf.Tensor]; out: number[] }> = {
  seq2seq_gru_attention: { config: small, batch: () => [padIds([[4, 5, 6], [7]]), padIds([[2, 4, 3], [2, 5, 6, 3]])], out: [2, 3, 12] },
  seq2seq_lstm_attention: { config: small, batch: () => [padIds([[4, 5, 6], [7]]), padIds([[2, 4, 3], [2, 5, 6, 3]])], out: [2, 3, 12] },
  seq2seq_gru: { config: small, batch: () => [padIds([[4, 5, 6], [7]]), padIds([[2, 4, 3], [2, 5, 6, 3]])], out: [2, 3, 12] },
  seq2seq_transformer: {
    config: { srcVocabSize: 12, tgtVocabSize: 12, dModel: 8, nhead: 2, dimFeedforward: 8, numEncoderLayers: 1, numDecoderLayers: 1, dropout: 0 },
    batch: () => [padIds([[4, 5, 6], [7]]), padIds([[2, 4, 3], [2, 5, 6, 3]])],
    out: [2, 3, 12],
  },
  copynet: { config: { vocabSize: 12, maxOovs: 2, embedDim: 6, hiddenSize: 8, dropout: 0 }, batch: () => [padIds([[4, 12, 6], [13]]), padIds([[2, 12, 3], [2, 13, 6, 3]])], out: [2, 3, 14] },
  pointer_net: {
    config: { hiddenSize: 8 },
    batch: () => {
      const t = sortingTask(2, 4, 0);
      return [tf.tensor3d(t.inputs, [2, 4, 1]), tf.tensor2d(t.targets, [2, 5], 'int32')];
    },
    out: [2, 5, 5],
  },
};

describe('registry contract (seq2seq, transformer, pointer, copy models)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: forward shape, finite gradient for every parameter, state dict round trip, seeded determinism, no leak`, () => {
      expect(registry.get(name).domain).toBe('nlp');
      manualSeed(3);
      const m = registry.create<Loss>(name, c.config);
      const [a, b] = c.batch();
      // Teacher-forced inputs drop the last target token (pointer nets take the whole target).
      const bIn = name === 'pointer_net' ? b : b.slice([0, 0], [b.shape[0], b.shape[1]! - 1]);
      const y = m.forward(a, bIn);
      expect(y.shape).toEqual(c.out);
      m.zeroGrad();
      backward(() => m.loss(a, b), m);
      for (const [k, p] of m.namedParameters()) {
        const g = p.grad ? Array.from(p.grad.dataSync()) : [];
        expect([k, g.length === p.size && g.every(Number.isFinite)]).toEqual([k, true]);
      }
      m.zeroGrad();
      manualSeed(3);
      const m2 = registry.create<Loss>(name, c.config);
      expectClose(m2.forward(a, bIn), y, { rtol: 0, atol: 0, what: 'same seed' });
      const m3 = registry.create<Loss>(name, c.config);
      m3.loadStateDict(m.stateDict());
      expectClose(m3.forward(a, bIn), y, { atol: 1e-6, what: 'state dict round trip' });
      expectNoLeak(() => tf.dispose(m.forward(a, bIn)));
      tf.dispose([a, b, y, bIn]);
      [m, m2, m3].forEach((x) => x.dispose());
    });
  }
});
