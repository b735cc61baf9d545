import { manualSeed } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainWindowLm } from '../../lm/trainers';
import type { LblConfig } from './config';
import { LBL } from './lbl';

/** LBL on the Bible: 4 words of context (same data and steps as NNLM), random positions of the train split. */
export const LBL_BIBLE_RECIPE: LmRecipe<LblConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 3000,
  batchSize: 256,
  seqLen: 5,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 2e-3 },
  clipNorm: 1,
  seed: 0,
  config: { context: 4, embeddingDim: 64 },
}) as LmRecipe<LblConfig>;

export function trainLbl(corpus: LmCorpus, recipe: LmRecipe<LblConfig> = LBL_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: LBL; result: LmRunResult } {
  manualSeed(recipe.seed);
  const model = new LBL({ ...recipe.config, vocabSize: corpus.vocab.size });
  return { model, result: trainWindowLm(model, model.config.context, corpus, recipe, onStep) };
}
