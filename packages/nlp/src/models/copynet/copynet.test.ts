import { backward, manualSeed, optim, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { greedyDecode } from '../../decode/index';
import { padIds } from '../seq2seq/index';
import { buildNamesTask, CopyNet, extendSource } from './index';

const V = 10;

describe('CopyNet', () => {
  it('extendSource gives per-source ids V + k to out-of-vocabulary words', () => {
    const vocab: Record<string, number> = { the: 4, son: 5, of: 6 };
    const r = extendSource(['the', 'son', 'of', 'Zerah', 'and', 'Zerah'], (t) => vocab[t], V, 1, 1);
    expect(r).toEqual({ ids: [4, 5, 6, 10, 1, 10], oovs: ['Zerah'] }); // 'and' is past maxOovs: unk
  });

  it('mixes generation and copying into a distribution over the extended vocabulary', () => {
    manualSeed(0);
    const m = new CopyNet({ vocabSize: V, maxOovs: 3, embedDim: 6, hiddenSize: 8, dropout: 0 });
    m.eval();
    const src = padIds([[4, 10, 5], [11, 6]]);
    const tgtIn = padIds([[2, 10], [2, 11]]);
    const p = m.forward(src, tgtIn);
    expect(p.shape).toEqual([2, 2, 13]);
    expectClose(tf.sum(p, -1), [1, 1, 1, 1], { atol: 1e-5, what: 'probabilities sum to 1' });
    const P = p.arraySync() as number[][][];
    // OOV ids get probability only by copying: 12 is in neither source, 11 only in row 1.
    expect(P[0][0][12]).toBe(0);
    expect(P[0][0][11]).toBe(0);
    expect(P[1][0][11]).toBeGreaterThan(0);
    expect(P[1][0][10]).toBe(0);
    // Source padding changes nothing.
    expectClose(m.forward(padIds([[4, 10, 5, 0], [11, 6, 0, 0]]), tgtIn), p, { atol: 1e-5 });
    m.train();
    const tgt = padIds([[2, 10, 3], [2, 11, 3]]);
    const loss = backward(() => m.loss(src, tgt), m);
    expect(loss).toBeGreaterThan(0.5);
    for (const [name, prm] of m.namedParameters()) {
      const g = Array.from(prm.grad!.dataSync());
      expect([name, g.every(Number.isFinite)]).toEqual([name, true]);
    }
    expect(Array.from(Object.fromEntries(m.namedParameters())['gate.weight'].grad!.dataSync()).some((v) => v !== 0)).toBe(true);
    m.zeroGrad();
    m.eval();
    const out = expectNoLeak(() => greedyDecode(m, src, { bos: 2, eos: 3, maxLength: 3 }));
    expect(out.flat().every((id) => id >= 0 && id < 13)).toBe(true);
    expect(() => m.encode(padIds([[4, 13]]))).toThrow('CopyNet: source id 13 is outside [0, 13) (vocabSize + maxOovs)');
    tf.dispose([src, tgtIn, p, tgt]);
    m.dispose();
  });

  it('learns to copy unseen names in a few steps', () => {
    manualSeed(1);
    const m = new CopyNet({ vocabSize: V, maxOovs: 2, embedDim: 8, hiddenSize: 16, dropout: 0 });
    // "son of NAME" -> NAME, where NAME is always out of vocabulary (id V): only copying can solve it.
    const src = padIds([[5, 6, 10, 4], [4, 5, 6, 10], [10, 4, 5, 6]]);
    const tgt = padIds([[2, 10, 3], [2, 10, 3], [2, 10, 3]]);
    const opt = new optim.Adam(m.parameters(), { lr: 0.05 });
    let loss = 0;
    for (let i = 0; i < 30; i++) {
      loss = backward(() => m.loss(src, tgt), m);
      opt.step();
      opt.zeroGrad();
    }
    expect(loss).toBeLessThan(0.1);
    m.eval();
    expect(greedyDecode(m, padIds([[4, 5, 6, 10]]), { bos: 2, eos: 3, maxLength: 3 })).toEqual([[10]]);
    m.dispose();
  });

  it('builds the rare-names task from verses and is registered', () => {
    const t = buildNamesTask(['Abram went to Egypt with Lot.', 'And Lot went with Abram.', 'Then he went and then rested.'], ['And Zerah begot Lot in Egypt.'], { radius: 2 });
    expect(t.nameCounts.get('Lot')).toBe(2);
    expect(t.nameCounts.has('Then')).toBe(false); // 'then' occurs in lower case: not a name
    expect(t.train.tgt[0]).toEqual(['Abram']);
    expect(t.testRare.tgt.flat()).toContain('Zerah');
    expect(registry.create<CopyNet>('copynet').config.vocabSize).toBe(32);
  });
});
