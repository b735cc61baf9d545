import { manualSeed } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainWindowLm } from '../../lm/trainers';
import type { NnlmConfig } from './config';
import { NNLM } from './nnlm';

/** NNLM on the Bible: 4 words of context, random positions of the train split. */
export const NNLM_BIBLE_RECIPE: LmRecipe<NnlmConfig> = Object.freeze({
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
  config: { context: 4, embeddingDim: 64, hiddenSize: 128, directConnections: false },
}) as LmRecipe<NnlmConfig>;

export function trainNnlm(corpus: LmCorpus, recipe: LmRecipe<NnlmConfig> = NNLM_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: NNLM; result: LmRunResult } {
  manualSeed(recipe.seed);
  const model = new NNLM({ ...recipe.config, vocabSize: corpus.vocab.size });
  return { model, result: trainWindowLm(model, model.config.context, corpus, recipe, onStep) };
}
