import { tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { beamSearch, DecoderState, greedyDecode, lengthPenalty, StepDecoder } from './index';

const [BOS, EOS, A, B, C] = [2, 3, 4, 5, 6];
const V = 7;

/**
 * A hand-built model: next-token probabilities depend on the step and the previous token only.
 * Greedy takes A (0.5), then A (0.6), then eos: P(A A) = 0.5·0.6·0.97 = 0.291.
 * The best sequence is B then eos: 0.4·0.9 = 0.36, which a beam of 2 finds.
 */
class TableModel implements StepDecoder {
  encode(src: tf.Tensor2D): DecoderState {
    return [tf.zeros([src.shape[0], 1])];
  }
  decodeStep(prev: tf.Tensor1D, state: DecoderState, t: number): [tf.Tensor2D, DecoderState] {
    const rows = Array.from(prev.dataSync()).map((p) => {
      const row = new Array(V).fill(1e-6);
      const set = (o: Record<number, number>) => Object.entries(o).forEach(([k, v]) => (row[Number(k)] = v));
      if (t === 0) set({ [A]: 0.5, [B]: 0.4, [EOS]: 0.1 });
      else if (t === 1 && p === A) set({ [A]: 0.6, [EOS]: 0.3, [B]: 0.05, [C]: 0.05 });
      else if (t === 1 && p === B) set({ [EOS]: 0.9, [A]: 0.05, [C]: 0.05 });
      else set({ [EOS]: 0.97, [C]: 0.03 });
      return row.map(Math.log);
    });
    return [tf.tensor2d(rows), [tf.add(state[0], 1)]];
  }
}

describe('greedy and beam search', () => {
  let src: tf.Tensor2D;
  beforeAll(() => (src = tf.tensor2d([[7, 8]], [1, 2], 'int32')));
  afterAll(() => src.dispose());
  const opts = { bos: BOS, eos: EOS, maxLength: 5 };

  it('greedy follows the arg-max: A A', () => {
    expect(expectNoLeak(() => greedyDecode(new TableModel(), src, opts))).toEqual([[A, A]]);
  });

  it('a beam of 2 finds the better sequence B (0.36 > 0.291) that greedy misses', () => {
    const [best] = expectNoLeak(() => beamSearch(new TableModel(), src, { ...opts, beamSize: 2, lengthPenalty: 0, numReturn: 2 }));
    expect(best.map((h) => h.tokens)).toEqual([[B], [A, A]]);
    expect(best[0].logProb).toBeCloseTo(Math.log(0.36), 5);
    expect(best[1].logProb).toBeCloseTo(Math.log(0.291), 5);
    expect(beamSearch(new TableModel(), src, { ...opts, beamSize: 1, lengthPenalty: 0 })[0][0].tokens).toEqual([A, A]);
  });

  it('the GNMT length penalty ((5+|y|)/6)^α favours the longer A A when α = 2', () => {
    expect(lengthPenalty(1, 0.6)).toBe(1);
    const [[best]] = beamSearch(new TableModel(), src, { ...opts, beamSize: 2, lengthPenalty: 2 });
    expect(best.tokens).toEqual([A, A]);
    expect(best.score).toBeCloseTo(Math.log(0.291) / Math.pow(8 / 6, 2), 5);
  });

  it('decodes a batch and validates its options', () => {
    const two = tf.tensor2d([[7], [8]], [2, 1], 'int32');
    expect(greedyDecode(new TableModel(), two, opts)).toEqual([[A, A], [A, A]]);
    expect(beamSearch(new TableModel(), two, { ...opts, beamSize: 3, lengthPenalty: 0 }).map((h) => h[0].tokens)).toEqual([[B], [B]]);
    expect(greedyDecode(new TableModel(), two, { ...opts, maxLength: 1 })).toEqual([[A], [A]]);
    // minLength 2 forbids stopping after B: beam then prefers A A (0.291) to B C eos (0.4·0.05·0.97).
    expect(beamSearch(new TableModel(), two, { ...opts, beamSize: 3, lengthPenalty: 0, minLength: 2 })[0][0].tokens).toEqual([A, A]);
    expect(greedyDecode(new TableModel(), src, { ...opts, minLength: 3 })[0]).toEqual([A, A, C]);
    expect(() => beamSearch(new TableModel(), two, { ...opts, beamSize: 0 })).toThrow('beamSearch: beamSize must be a positive integer, got 0');
    expect(() => greedyDecode(new TableModel(), two, { ...opts, eos: -1 })).toThrow('greedyDecode: eos must be a non-negative integer, got -1');
    two.dispose();
  });
});
