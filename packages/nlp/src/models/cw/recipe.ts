import { Generator, manualSeed, optim } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import { trainSteps } from '../../lm/train';
import { wordCounts, wordVecOptimizer, wordVecResult, type WordVecRecipe, type WordVecRunResult } from '../../lm/wordvec-recipe';
import type { CwConfig } from './config';
import { CW } from './cw';

/** A C&W recipe: a word-vector recipe plus the distribution of the corrupting centre words. */
export interface CwRecipe extends WordVecRecipe<CwConfig> {
  /**
   * The corrupting word is drawn over the non-special words ∝ count^corruptionPower (train split):
   * 0 = uniform over the vocabulary (Collobert & Weston), 1 = the unigram distribution. Default 0.
   */
  corruptionPower?: number;
  /** Corrupted windows per true window (the hinge is averaged over all of them). Default 1. */
  negatives?: number;
}

/**
 * C&W on the Bible: 5-word windows at random positions of the train split, each ranked against 4
 * copies (`negatives`) whose centre is replaced by a word drawn from the unigram distribution
 * (`corruptionPower` 1); 100-d word vectors starting small (N(0, 0.01²)). With Collobert &
 * Weston's uniform corruption (mostly rare words) the ranking is solved by the centre word's
 * frequency alone (train loss 0.15) and the vectors learn little else: synonym AUC 0.48–0.49, rare
 * words all pushed along one "implausible" direction.
 */
export const CW_BIBLE_RECIPE: CwRecipe = Object.freeze({
  dataset: 'bible-web',
  metric: 'synonym-auc',
  vocabSize: 5000,
  steps: 12000,
  batchSize: 256,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 0.003 },
  lrDecay: 'linear',
  subsample: 0,
  corruptionPower: 1,
  negatives: 4,
  seed: 0,
  target: 0.7,
  config: { embeddingDim: 100, windowSize: 5, hiddenSize: 100, embeddingInitStd: 0.01 },
}) as CwRecipe;

/** Trains C&W on the train split; scores WordNet synonym pairs (`synsets`) against random pairs. */
export function trainCw(corpus: LmCorpus, synsets: readonly (readonly string[])[], recipe: CwRecipe = CW_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: CW; result: WordVecRunResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const gen = new Generator(recipe.seed + 1);
  const V = corpus.vocab.size;
  const model = new CW({ ...recipe.config, vocabSize: V });
  const n = model.config.windowSize;
  const B = recipe.batchSize;
  const from = corpus.vocab.numSpecial;
  const cdf = corruptionCdf(wordCounts(corpus.train, V), from, recipe.corruptionPower ?? 0);
  const trainLoss = trainSteps({
    model,
    optimizer: wordVecOptimizer(new optim.Adam(model.parameters(), { lr: Number(recipe.optimizer.lr) }), recipe),
    steps: recipe.steps,
    onStep,
    loss: () => {
      const windows = new Int32Array(B * n);
      for (let b = 0; b < B; b++) {
        const s = gen.randint(corpus.train.length - n);
        windows.set(corpus.train.subarray(s, s + n), b * n);
      }
      return model.rankingLoss(windows, B, { from, to: V, gen, cdf, negatives: recipe.negatives });
    },
  });
  return { model, result: wordVecResult(model.vectors(), model.config.embeddingDim, corpus, synsets, trainLoss, start) };
}

/** Cumulative distribution over ids ∝ max(count, 1)^power for ids ≥ from, 0 below (specials). */
export function corruptionCdf(counts: Float64Array, from: number, power: number): Float64Array {
  const cdf = new Float64Array(counts.length);
  let acc = 0;
  counts.forEach((n, i) => (cdf[i] = acc += i < from ? 0 : Math.max(1, n) ** power));
  return cdf.map((x) => x / acc);
}
