import { manualSeed, tf } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainRecurrentLm } from '../../lm/trainers';
import type { RnnlmConfig } from './config';
import { RNNLM } from './rnnlm';

/** RNNLM on the Bible: truncated BPTT over 16 contiguous rows of the train split, windows of 32. */
export const RNNLM_BIBLE_RECIPE: LmRecipe<RnnlmConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 250,
  batchSize: 16,
  seqLen: 32,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 3e-3 },
  clipNorm: 1,
  seed: 0,
  config: { embeddingDim: 64, hiddenSize: 128 },
}) as LmRecipe<RnnlmConfig>;

export function trainRnnlm(corpus: LmCorpus, recipe: LmRecipe<RnnlmConfig> = RNNLM_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: RNNLM; result: LmRunResult } {
  manualSeed(recipe.seed);
  const model = new RNNLM({ ...recipe.config, vocabSize: corpus.vocab.size });
  return { model, result: trainRecurrentLm(model, (h: tf.Tensor) => h.dispose(), corpus, recipe, onStep) };
}
