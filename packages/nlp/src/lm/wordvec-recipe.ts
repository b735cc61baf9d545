/** The recipe shape of the word-vector models (word2vec, C&W), what their runs report, and the parts their trainers share. */
import type { optim, Recipe } from '@neuralzoo/core';
import type { LmCorpus } from './corpus';
import { synonymAuc, synonymPairs } from './wordsim';

/** A word-vector recipe on the Bible train split, evaluated with WordNet synonyms (ROC AUC). */
export interface WordVecRecipe<C = unknown> extends Recipe {
  dataset: 'bible-web';
  metric: 'synonym-auc';
  /** Vocabulary size, specials included. */
  vocabSize: number;
  /** Optimizer steps. */
  steps: number;
  /** Model config used by the recipe. */
  config: Partial<C>;
  /** Subsampling threshold t of frequent words (keep probability √(t/f) + t/f). */
  subsample: number;
  /** 'linear': the learning rate falls linearly to 1e-4 of its start over the steps (word2vec's schedule). Default constant. */
  lrDecay?: 'linear' | 'none';
  seed: number;
}

/** What a word-vector run returns. */
export interface WordVecRunResult {
  /** ROC AUC of cosine: synonym pairs vs as many random pairs. */
  auc: number;
  /** Synonym pairs with both words in the vocabulary. */
  pairs: number;
  meanSynonymCosine: number;
  meanRandomCosine: number;
  trainLoss: number;
  seconds: number;
}

/** Word counts of a stream over [0, vocabSize). */
export function wordCounts(stream: Int32Array, vocabSize: number): Float64Array {
  const c = new Float64Array(vocabSize);
  for (const id of stream) c[id]++;
  return c;
}

/** Keep probability of each word under frequent-word subsampling with threshold t (Mikolov et al., 2013b). */
export function keepProbabilities(counts: Float64Array, t: number): Float64Array {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((n) => {
    if (n === 0) return 1;
    const r = t / (n / total);
    return Math.min(1, Math.sqrt(r) + r);
  });
}

/**
 * The recipe's optimizer as `trainSteps` takes it: with `lrDecay: 'linear'` each step first sets
 * every group's lr to lr · max(1e-4, 1 − step / steps) (word2vec's schedule); else the lr stays.
 */
export function wordVecOptimizer(opt: optim.Optimizer, recipe: WordVecRecipe): { step(): void; zeroGrad(): void } {
  const lr = Number(recipe.optimizer.lr);
  let step = 0;
  return {
    step: () => {
      if (recipe.lrDecay === 'linear') for (const g of opt.paramGroups) g.lr = lr * Math.max(1e-4, 1 - step / recipe.steps);
      opt.step();
      step++;
    },
    zeroGrad: () => opt.zeroGrad(),
  };
}

/**
 * A finished run's result: ROC AUC of the vectors ([vocab, dim], row-major) on the WordNet synonym
 * pairs of the corpus vocabulary against random pairs of non-special words (seed 7), with the
 * final training loss and the seconds since `start` (ms).
 */
export function wordVecResult(vectors: Float32Array, dim: number, corpus: LmCorpus, synsets: readonly (readonly string[])[], trainLoss: number, start: number): WordVecRunResult {
  const vocab = corpus.vocab;
  const pairs = synonymPairs(synsets, (w) => (vocab.has(w) ? vocab.id(w) : undefined));
  const r = synonymAuc(vectors, dim, pairs, { from: vocab.numSpecial, to: vocab.size, seed: 7 });
  return { ...r, trainLoss, seconds: (Date.now() - start) / 1000 };
}
