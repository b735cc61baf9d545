import { characterErrorRate, corpusBleu, editDistance, errorRate, phonemeErrorRate, tokenize13a, wordErrorRate } from './index';

describe('edit distance and error rates', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance(['K', 'AE', 'T'], ['K', 'AE', 'T'])).toBe(0);
    expect(editDistance(['K', 'AE', 'T'], ['K', 'AH', 'T', 'S'])).toBe(2);
  });

  it('PER / CER / WER are corpus totals over reference length', () => {
    expect(phonemeErrorRate([['K', 'AH', 'T'], ['D', 'AO', 'G']], [['K', 'AE', 'T'], ['D', 'AO', 'G', 'Z']])).toBeCloseTo(2 / 7, 10);
    expect(characterErrorRate(['abd'], ['abcd'])).toBeCloseTo(0.25, 10);
    expect(wordErrorRate(['the cat sat'], ['the  cat sat down'])).toBeCloseTo(0.25, 10);
    expect(() => errorRate([[1]], [])).toThrow('errorRate: 1 hypotheses but 0 references');
    expect(() => errorRate([[1]], [[]])).toThrow('errorRate: the references are all empty');
  });
});

describe('BLEU the sacreBLEU way', () => {
  it('tokenizes like mteval-v13a', () => {
    expect(tokenize13a('Hello, world! It\'s 3.14-5 (test).')).toEqual(['Hello', ',', 'world', '!', "It's", '3.14', '-', '5', '(', 'test', ')', '.']);
    expect(tokenize13a('a &quot;b&quot; c&amp;d 1,000.')).toEqual(['a', '"', 'b', '"', 'c', '&', 'd', '1,000', '.']);
    expect(tokenize13a('  ')).toEqual([]);
  });

  it('computes clipped precisions, brevity penalty and the geometric mean (hand-computed)', () => {
    const r = corpusBleu(['the cat sat on the mat'], ['the cat sat on a mat']);
    expect(r.counts).toEqual([5, 3, 2, 1]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    expect(r.bp).toBe(1);
    expect(r.score).toBeCloseTo(100 * Math.pow((5 / 6) * (3 / 5) * (2 / 4) * (1 / 3), 1 / 4), 8);
    // Short hypothesis: BP = exp(1 - r/c) with corpus totals r = 8, c = 6.
    const s = corpusBleu(['the cat sat on the mat', 'hello'], ['the cat sat on a mat', 'hello there world']);
    expect([s.sysLen, s.refLen]).toEqual([7, 9]);
    expect(s.bp).toBeCloseTo(Math.exp(1 - 9 / 7), 10);
    expect(s.counts).toEqual([6, 3, 2, 1]);
    expect(s.score).toBeCloseTo(100 * s.bp * Math.pow((6 / 7) * (3 / 5) * (2 / 4) * (1 / 3), 1 / 4), 8);
  });

  it("smooths a zero n-gram count with sacreBLEU's 'exp' method, or gives 0 without smoothing", () => {
    // 'a b c d' vs 'a b x d': 3/4, 1/3, 0/2, 0/1 -> smoothed 100/(2·2), 100/(4·1)
    const r = corpusBleu(['a b c d'], ['a b x d']);
    expect(r.counts).toEqual([3, 1, 0, 0]);
    expect(r.score).toBeCloseTo(100 * Math.pow((3 / 4) * (1 / 3) * (1 / 4) * (1 / 4), 1 / 4), 8);
    expect(corpusBleu(['a b c d'], ['a b x d'], { smooth: 'none' }).score).toBe(0);
    expect(corpusBleu(['Hello'], ['hello'], { lowercase: true }).precisions[0]).toBe(100);
    expect(corpusBleu([''], ['a b']).score).toBe(0);
    expect(() => corpusBleu(['a'], [])).toThrow('corpusBleu: 1 hypotheses but 0 references');
  });
});
