/**
 * The rare-names copying task, built from the English side of the aligned Bibles: proper names are
 * capitalised words whose lower-case form never occurs in the training verses; an example is a
 * window of up to `radius` tokens on each side of a name occurrence, and its target is the names
 * of the window in order. Names seen at most `rareMax` times in training are rare: a vocabulary
 * with a minimum frequency cannot generate them, a copy mechanism can.
 */

/** Case-preserving word/punctuation tokens. */
export const caseTokens = (s: string): string[] => s.match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? [];

export interface NamesTask {
  train: { src: string[][]; tgt: string[][] };
  /** Test windows whose names are all rare in training (or unseen). */
  testRare: { src: string[][]; tgt: string[][] };
  /** Every test window (capped). */
  testAll: { src: string[][]; tgt: string[][] };
  /** Training occurrences of each name. */
  nameCounts: Map<string, number>;
}

export interface NamesTaskOptions {
  radius?: number;
  rareMax?: number;
  maxTrain?: number;
  maxTest?: number;
}

/** Builds the task from train and test verses (English strings). */
export function buildNamesTask(trainVerses: readonly string[], testVerses: readonly string[], opts: NamesTaskOptions = {}): NamesTask {
  const radius = opts.radius ?? 4;
  const rareMax = opts.rareMax ?? 2;
  const maxTrain = opts.maxTrain ?? 10000;
  const maxTest = opts.maxTest ?? 500;
  const trainTok = trainVerses.map(caseTokens);
  const lower = new Set<string>();
  for (const v of trainTok) for (const t of v) if (t === t.toLowerCase()) lower.add(t);
  const isName = (t: string) => /^\p{Lu}\p{Ll}+$/u.test(t) && !lower.has(t.toLowerCase());
  const nameCounts = new Map<string, number>();
  for (const v of trainTok) for (const t of v) if (isName(t)) nameCounts.set(t, (nameCounts.get(t) ?? 0) + 1);
  const windows = (verses: string[][], cap: number, keep: (names: string[]) => boolean) => {
    const src: string[][] = [];
    const tgt: string[][] = [];
    for (const v of verses) {
      for (let i = 0; i < v.length && src.length < cap; i++) {
        if (!isName(v[i])) continue;
        const w = v.slice(Math.max(0, i - radius), i + radius + 1);
        const names = w.filter(isName);
        if (!keep(names)) continue;
        src.push(w);
        tgt.push(names);
        i += radius; // next window starts after this one's centre
      }
      if (src.length >= cap) break;
    }
    return { src, tgt };
  };
  const testTok = testVerses.map(caseTokens);
  return {
    train: windows(trainTok, maxTrain, () => true),
    testRare: windows(testTok, maxTest, (names) => names.every((n) => (nameCounts.get(n) ?? 0) <= rareMax)),
    testAll: windows(testTok, maxTest, () => true),
    nameCounts,
  };
}
