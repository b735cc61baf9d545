import { manualSeed, tf } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainRecurrentLm } from '../../lm/trainers';
import type { LstmLmConfig } from './config';
import { LstmLM, LstmState } from './lstm-lm';

/** LSTM LM on the Bible: truncated BPTT over 16 contiguous rows of the train split, windows of 32, tied embeddings. */
export const LSTM_LM_BIBLE_RECIPE: LmRecipe<LstmLmConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 1200,
  batchSize: 16,
  seqLen: 32,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 4e-3 },
  clipNorm: 1,
  seed: 0,
  config: { embeddingDim: 128, hiddenSize: 128, numLayers: 1, dropout: 0, tieWeights: true },
}) as LmRecipe<LstmLmConfig>;

export function trainLstmLm(corpus: LmCorpus, recipe: LmRecipe<LstmLmConfig> = LSTM_LM_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: LstmLM; result: LmRunResult } {
  manualSeed(recipe.seed);
  const model = new LstmLM({ ...recipe.config, vocabSize: corpus.vocab.size });
  return { model, result: trainRecurrentLm(model, (s: LstmState) => tf.dispose(s), corpus, recipe, onStep) };
}
