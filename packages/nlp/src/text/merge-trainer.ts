/**
 * Incremental pair statistics for training subword vocabularies (BPE and WordPiece): words are
 * symbol lists with a frequency; merging a pair rewrites only the words that contain it.
 */
interface PairStat {
  a: string;
  b: string;
  count: number;
}

export class MergeTrainer {
  /** Symbol count over the corpus (word frequency weighted). */
  readonly symbolCount = new Map<string, number>();
  private readonly pairs = new Map<string, PairStat>();
  /** Words that contained each pair at some point (stale entries are skipped on merge). */
  private readonly pairWords = new Map<string, Set<number>>();

  constructor(
    private readonly words: string[][],
    private readonly freqs: number[],
  ) {
    for (let i = 0; i < words.length; i++) this.account(i, 1);
  }

  /**
   * The pair with the highest `score(count, a, b)` among pairs seen at least `minCount` times;
   * ties go to the smaller "a b" in code-point order, so training is deterministic. null if none.
   */
  best(minCount: number, score: (count: number, a: string, b: string) => number): [string, string] | null {
    let bestKey: string | null = null;
    let bestScore = -Infinity;
    for (const [key, p] of this.pairs) {
      if (p.count < minCount) continue;
      const s = score(p.count, p.a, p.b);
      if (s > bestScore || (s === bestScore && bestKey !== null && key < bestKey)) {
        bestScore = s;
        bestKey = key;
      }
    }
    if (bestKey === null) return null;
    const p = this.pairs.get(bestKey)!;
    return [p.a, p.b];
  }

  /** Replaces every adjacent (a, b) by `merged` in every word. */
  merge(a: string, b: string, merged: string): void {
    const key = pairKey(a, b);
    const where = this.pairWords.get(key);
    if (!where) return;
    for (const i of [...where]) {
      const w = this.words[i];
      let found = false;
      for (let k = 0; k + 1 < w.length; k++) if (w[k] === a && w[k + 1] === b) found = true;
      if (!found) continue;
      this.account(i, -1);
      const out: string[] = [];
      for (let k = 0; k < w.length; k++) {
        if (k + 1 < w.length && w[k] === a && w[k + 1] === b) {
          out.push(merged);
          k++;
        } else out.push(w[k]);
      }
      this.words[i] = out;
      this.account(i, 1);
    }
    this.pairWords.delete(key);
  }

  private account(i: number, sign: 1 | -1): void {
    const w = this.words[i];
    const f = this.freqs[i] * sign;
    for (const s of w) this.bump(this.symbolCount, s, f);
    for (let k = 0; k + 1 < w.length; k++) {
      const key = pairKey(w[k], w[k + 1]);
      let p = this.pairs.get(key);
      if (!p) this.pairs.set(key, (p = { a: w[k], b: w[k + 1], count: 0 }));
      p.count += f;
      if (p.count <= 0) this.pairs.delete(key);
      if (sign > 0) {
        let set = this.pairWords.get(key);
        if (!set) this.pairWords.set(key, (set = new Set()));
        set.add(i);
      }
    }
  }

  private bump(m: Map<string, number>, k: string, d: number): void {
    const v = (m.get(k) ?? 0) + d;
    if (v <= 0) m.delete(k);
    else m.set(k, v);
  }
}

function pairKey(a: string, b: string): string {
  return `${a} ${b}`; // symbols never contain a space (words are split on whitespace)
}
