import { Generator, manualSeed, optim } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import { trainSteps } from '../../lm/train';
import { synonymAuc, synonymPairs } from '../../lm/wordsim';
import type { WordVecRecipe, WordVecRunResult } from '../../lm/wordvec-recipe';
import type { CwConfig } from './config';
import { CW } from './cw';

/** C&W on the Bible: 5-word windows at random positions of the train split, centre corrupted uniformly over real words. */
export const CW_BIBLE_RECIPE: WordVecRecipe<CwConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'synonym-auc',
  vocabSize: 5000,
  steps: 500,
  batchSize: 256,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 0.003 },
  subsample: 0,
  seed: 0,
  target: 0.7,
  config: { embeddingDim: 64, windowSize: 5, hiddenSize: 100 },
}) as WordVecRecipe<CwConfig>;

/** Trains C&W on the train split; scores WordNet synonym pairs (`synsets`) against random pairs. */
export function trainCw(corpus: LmCorpus, synsets: readonly (readonly string[])[], recipe: WordVecRecipe<CwConfig> = CW_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: CW; result: WordVecRunResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const gen = new Generator(recipe.seed + 1);
  const V = corpus.vocab.size;
  const model = new CW({ ...recipe.config, vocabSize: V });
  const n = model.config.windowSize;
  const B = recipe.batchSize;
  const from = corpus.vocab.numSpecial;
  const trainLoss = trainSteps({
    model,
    optimizer: new optim.Adam(model.parameters(), { lr: Number(recipe.optimizer.lr) }),
    steps: recipe.steps,
    onStep,
    loss: () => {
      const windows = new Int32Array(B * n);
      for (let b = 0; b < B; b++) {
        const s = gen.randint(corpus.train.length - n);
        windows.set(corpus.train.subarray(s, s + n), b * n);
      }
      return model.rankingLoss(windows, B, { from, to: V, gen });
    },
  });
  const vocab = corpus.vocab;
  const pairs = synonymPairs(synsets, (w) => (vocab.has(w) ? vocab.id(w) : undefined));
  const r = synonymAuc(model.vectors(), model.config.embeddingDim, pairs, { from, to: V, seed: 7 });
  return { model, result: { ...r, trainLoss, seconds: (Date.now() - start) / 1000 } };
}
