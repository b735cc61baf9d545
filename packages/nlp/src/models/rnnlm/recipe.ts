import { manualSeed, tf } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainRecurrentLm } from '../../lm/trainers';
import type { RnnlmConfig } from './config';
import { RNNLM } from './rnnlm';

/**
 * RNNLM on the Bible: truncated BPTT over 16 contiguous rows of the train split, windows of 32.
 * Adam at 3e-3 for the embedding and the softmax layer but a third of that (1e-3) for the recurrent
 * layer (`lrScale`): Adam moves every weight by about lr per step whatever the gradient norm
 * (clipping does not bound it), so at 3e-3 everywhere the 128 × 128 recurrent matrix changed by up
 * to ~0.4 in spectral norm per window, the tanh state saturated (|h| ≈ 0.97) and the model fitted
 * states made by the previous step's weights (valid 6,965). At 1e-3 everywhere it was stable but
 * slow (test 62.2 after 2,000 steps); only the recurrent layer needs the small steps.
 */
export const RNNLM_BIBLE_RECIPE: LmRecipe<RnnlmConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 2000,
  batchSize: 16,
  seqLen: 32,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 3e-3 },
  lrScale: { 'rnn.': 0.333 },
  clipNorm: 1,
  seed: 0,
  config: { embeddingDim: 64, hiddenSize: 128 },
}) as LmRecipe<RnnlmConfig>;

export function trainRnnlm(corpus: LmCorpus, recipe: LmRecipe<RnnlmConfig> = RNNLM_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: RNNLM; result: LmRunResult } {
  manualSeed(recipe.seed);
  const model = new RNNLM({ ...recipe.config, vocabSize: corpus.vocab.size });
  return { model, result: trainRecurrentLm(model, (h: tf.Tensor) => h.dispose(), corpus, recipe, onStep) };
}
