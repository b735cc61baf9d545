import { evaluateListOps, listOps, LISTOPS_VOCAB } from './listops';

describe('ListOps (synthetic)', () => {
  it('evaluates expressions like the paper', () => {
    expect(evaluateListOps('[MAX 2 9 [MIN 4 7 ] 0 ]'.split(' '))).toBe(9);
    expect(evaluateListOps('[MED 5 1 [SM 7 8 ] 2 ]'.split(' '))).toBe(2); // sorted 1 2 5 5 → lower middle 2
    expect(evaluateListOps('[SM 9 9 9 ]'.split(' '))).toBe(7);
    expect(() => evaluateListOps('[MAX 1 2'.split(' '))).toThrow('evaluateListOps: expression ends early');
  });

  it('draws seeded, well-formed, padded expressions whose labels are their values', () => {
    const set = listOps({ count: 300, maxDepth: 3, maxArgs: 4, maxLength: 64, seed: 2 });
    expect(set.synthetic).toBe(true);
    expect(set.shape).toEqual([300, 64]);
    for (let i = 0; i < 300; i++) {
      const t = set.tokens[i];
      expect(t[0].startsWith('[')).toBe(true);
      expect(t.filter((x) => x.startsWith('[')).length).toBe(t.filter((x) => x === ']').length);
      expect(Array.from(set.ids.subarray(i * 64, i * 64 + t.length), (id) => LISTOPS_VOCAB[id])).toEqual(t);
      expect(Array.from(set.ids.subarray(i * 64 + t.length, (i + 1) * 64)).every((id) => id === 0)).toBe(true);
      expect(set.labels[i]).toBe(evaluateListOps(t));
    }
    // All ten values occur and some expressions nest.
    expect(new Set(set.labels).size).toBe(10);
    expect(set.tokens.some((t) => t.slice(1).some((x) => x.startsWith('[')))).toBe(true);
    expect(listOps({ count: 5, seed: 2 }).tokens).toEqual(listOps({ count: 5, seed: 2 }).tokens);
  });

  it('rejects bad options', () => {
    expect(() => listOps({ count: 1, maxArgs: 1 })).toThrow('listOps: need maxDepth >= 1 and maxArgs >= 2, got 4 and 1');
  });
});
