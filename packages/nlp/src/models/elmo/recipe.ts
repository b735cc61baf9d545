import { manualSeed, tf } from '@neuralzoo/core';
import { randomWindows } from '../../lm/batching';
import type { LmCorpus } from '../../lm/corpus';
import { perplexity, sumNll } from '../../lm/perplexity';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { cosineAdam } from '../../lm/trainers';
import { trainSteps } from '../../lm/train';
import type { ElmoConfig } from './config';
import { ELMo } from './elmo';

/**
 * ELMo's biLM on the Bible: random 20-word windows of the train split, both directions' losses
 * averaged. Its four LSTMs are slow on wasm, so valid and test perplexities are measured on the
 * first `evalTokens` tokens of each split.
 */
export const ELMO_BIBLE_RECIPE: LmRecipe<ElmoConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 60,
  evalTokens: 4000,
  batchSize: 16,
  seqLen: 20,
  epochs: 1,
  optimizer: { name: 'Adam', lr: 3e-3 },
  clipNorm: 1,
  seed: 0,
  config: { dim: 64, numLayers: 2, maxChars: 14, charDim: 16, highwayLayers: 1, dropout: 0 },
}) as LmRecipe<ElmoConfig>;

/**
 * Summed NLL (nats) of both directions over windows ids [B, T]: the forward LM predicts tokens
 * 1..T-1, the backward LM tokens 0..T-2; 2·B·(T-1) predictions.
 */
export function bilmNll(model: ELMo, ids: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const [B, T] = ids.shape as [number, number];
    const { forwardLogits: f, backwardLogits: b } = model.forward(ids);
    const V = f.shape[2]!;
    const fwd = sumNll(f.slice([0, 0, 0], [B, T - 1, V]), ids.slice([0, 1], [B, T - 1]));
    const bwd = sumNll(b.slice([0, 1, 0], [B, T - 1, V]), ids.slice([0, 0], [B, T - 1]));
    return tf.add(fwd, bwd) as tf.Scalar;
  });
}

/** biLM perplexity (exp of the mean NLL of both directions) over non-overlapping windows of `T` tokens. */
export function bilmPerplexity(model: ELMo, stream: Int32Array, T: number, batch = 32): { perplexity: number; tokens: number } {
  let nll = 0;
  let count = 0;
  const n = Math.floor(stream.length / T);
  for (let s = 0; s < n; s += batch) {
    const rows = Math.min(batch, n - s);
    const x = stream.slice(s * T, (s + rows) * T);
    nll += tf.tidy(() => bilmNll(model, tf.tensor2d(x, [rows, T], 'int32')).dataSync()[0]);
    count += 2 * rows * (T - 1);
  }
  return { perplexity: perplexity(nll, count), tokens: count };
}

export function trainElmo(corpus: LmCorpus, recipe: LmRecipe<ElmoConfig> = ELMO_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: ELMo; result: LmRunResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const model = new ELMo({ ...recipe.config, vocabSize: corpus.vocab.size }).setVocabulary(corpus.vocab.tokens());
  const B = recipe.batchSize;
  const T = recipe.seqLen;
  const trainLoss = trainSteps({
    model,
    optimizer: cosineAdam(model, Number(recipe.optimizer.lr), recipe.steps),
    steps: recipe.steps,
    clipNorm: recipe.clipNorm,
    onStep,
    loss: () => {
      const w = randomWindows(corpus.train, B, T);
      return tf.div(bilmNll(model, tf.tensor2d(w.x, [B, T], 'int32')), 2 * B * (T - 1));
    },
  });
  const n = Number(recipe.evalTokens);
  const valid = bilmPerplexity(model, corpus.valid.subarray(0, n), T);
  const test = bilmPerplexity(model, corpus.test.subarray(0, n), T);
  return { model, result: { testPerplexity: test.perplexity, validPerplexity: valid.perplexity, trainLoss, trainTokens: recipe.steps * B * T, seconds: (Date.now() - start) / 1000 } };
}
