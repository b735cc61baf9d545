/**
 * Intrinsic evaluation of word vectors: cosine similarity of WordNet synonym pairs against random
 * word pairs, summarised as ROC AUC (the probability that a synonym pair outscores a random pair).
 */
import { train } from '@neuralzoo/core';
import { Generator } from '@neuralzoo/core';

/** Word-id pairs of synonyms: single lower-case words of one synset, both in the vocabulary, deduplicated. */
export function synonymPairs(synsets: readonly (readonly string[])[], id: (word: string) => number | undefined): Array<[number, number]> {
  const seen = new Set<string>();
  const out: Array<[number, number]> = [];
  for (const words of synsets) {
    const ids = [...new Set(words.map((w) => w.toLowerCase()).filter((w) => /^[a-z]+$/.test(w)))].map(id).filter((i): i is number => i !== undefined);
    for (let a = 0; a < ids.length; a++)
      for (let b = a + 1; b < ids.length; b++) {
        const [x, y] = ids[a] < ids[b] ? [ids[a], ids[b]] : [ids[b], ids[a]];
        const key = `${x},${y}`;
        if (x === y || seen.has(key)) continue;
        seen.add(key);
        out.push([x, y]);
      }
  }
  return out;
}

/** Cosine of rows a and b of a row-major [V, D] matrix. */
export function cosine(vectors: Float32Array, dim: number, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let d = 0; d < dim; d++) {
    const x = vectors[a * dim + d];
    const y = vectors[b * dim + d];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / (Math.sqrt(aa * bb) || 1);
}

/** Result of `synonymAuc`. */
export interface SynonymAucResult {
  auc: number;
  pairs: number;
  meanSynonymCosine: number;
  meanRandomCosine: number;
}

/**
 * ROC AUC of cosine similarity separating `pairs` (synonyms, label 1) from as many random pairs of
 * ids in [from, to) (label 0), drawn with `seed`. `vectors` is [V, dim] row-major.
 */
export function synonymAuc(vectors: Float32Array, dim: number, pairs: Array<[number, number]>, opts: { from: number; to: number; seed?: number }): SynonymAucResult {
  if (!pairs.length) throw new Error('synonymAuc: no synonym pair to score');
  const gen = new Generator(opts.seed ?? 0);
  const scores: number[] = [];
  const labels: number[] = [];
  let syn = 0;
  let rnd = 0;
  for (const [a, b] of pairs) {
    const s = cosine(vectors, dim, a, b);
    syn += s;
    scores.push(s);
    labels.push(1);
    let x = 0;
    let y = 0;
    while (x === y) {
      x = opts.from + gen.randint(opts.to - opts.from);
      y = opts.from + gen.randint(opts.to - opts.from);
    }
    const r = cosine(vectors, dim, x, y);
    rnd += r;
    scores.push(r);
    labels.push(0);
  }
  return { auc: train.metrics.rocAuc(scores, labels), pairs: pairs.length, meanSynonymCosine: syn / pairs.length, meanRandomCosine: rnd / pairs.length };
}

