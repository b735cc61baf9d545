/**
 * Levenshtein edit distance and the error rates built on it: phoneme error rate (PER) for G2P,
 * character error rate (CER), word error rate (WER): Σ distance(hyp, ref) / Σ |ref| over a corpus.
 */

/** Minimum number of insertions, deletions and substitutions turning `a` into `b`. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/**
 * Corpus error rate: total edit distance over total reference length (a hypothesis longer than its
 * reference can push it above 1). Throws on mismatched counts or empty references overall.
 */
export function errorRate<T>(hypotheses: readonly ArrayLike<T>[], references: readonly ArrayLike<T>[]): number {
  if (hypotheses.length !== references.length) throw new Error(`errorRate: ${hypotheses.length} hypotheses but ${references.length} references`);
  let dist = 0;
  let len = 0;
  hypotheses.forEach((h, i) => {
    dist += editDistance(h, references[i]);
    len += references[i].length;
  });
  if (len === 0) throw new Error('errorRate: the references are all empty');
  return dist / len;
}

/** Phoneme error rate of phoneme sequences (G2P). */
export const phonemeErrorRate = (hyp: readonly (readonly string[])[], ref: readonly (readonly string[])[]): number => errorRate(hyp, ref);

/** Character error rate of strings (compared by UTF-16 code unit). */
export const characterErrorRate = (hyp: readonly string[], ref: readonly string[]): number => errorRate(hyp, ref);

/** Word error rate of whitespace-tokenized strings. */
export const wordErrorRate = (hyp: readonly string[], ref: readonly string[]): number =>
  errorRate(hyp.map((s) => s.split(/\s+/).filter(Boolean)), ref.map((s) => s.split(/\s+/).filter(Boolean)));
