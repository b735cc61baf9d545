import { manualSeed, optim, tf } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import { randomWindows } from '../../lm/batching';
import { blockPerplexity, sumNll } from '../../lm/perplexity';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import { trainSteps } from '../../lm/train';
import type { GptConfig } from './config';
import { GPT } from './gpt';

/** GPT on the Bible (WEB): a small 2-block model trained on random 32-token windows of the train split. */
export const GPT_BIBLE_RECIPE: LmRecipe<GptConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 3000,
  batchSize: 16,
  seqLen: 32,
  epochs: 1,
  optimizer: { name: 'AdamW', lr: 3e-3, weightDecay: 0.01, warmupSteps: 30 },
  clipNorm: 1,
  seed: 0,
  config: { nPositions: 32, nEmbd: 64, nLayer: 2, nHead: 4, dropout: 0 },
}) as LmRecipe<GptConfig>;

/** Trains a fresh GPT with `recipe` on `corpus` and evaluates it; `onStep` sees each step's loss. */
export function trainGptLm(corpus: LmCorpus, recipe: LmRecipe<GptConfig> = GPT_BIBLE_RECIPE, onStep?: (step: number, loss: number) => void): { model: GPT; result: LmRunResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const model = new GPT({ ...recipe.config, vocabSize: corpus.vocab.size, nPositions: recipe.seqLen });
  const lr = Number(recipe.optimizer.lr);
  const weightDecay = Number(recipe.optimizer.weightDecay);
  const warmupSteps = Number(recipe.optimizer.warmupSteps);
  const optimizer = new optim.AdamW(model.parameters(), { lr, weightDecay });
  // Linear warm-up then cosine decay to 10 % of lr, stepped per batch.
  const scheduleAt = (i: number) => (i < warmupSteps ? (i + 1) / warmupSteps : 0.1 + 0.45 * (1 + Math.cos((Math.PI * (i - warmupSteps)) / (recipe.steps - warmupSteps))));
  let step = 0;
  const T = recipe.seqLen;
  const B = recipe.batchSize;
  const trainLoss = trainSteps({
    model,
    optimizer: {
      step: () => {
        for (const g of optimizer.paramGroups) g.lr = lr * scheduleAt(step);
        optimizer.step();
        step++;
      },
      zeroGrad: () => optimizer.zeroGrad(),
    },
    steps: recipe.steps,
    clipNorm: recipe.clipNorm,
    onStep,
    loss: () => {
      const w = randomWindows(corpus.train, B, T);
      return tf.div(sumNll(model.forward(tf.tensor2d(w.x, [B, T], 'int32')), tf.tensor2d(w.y, [B, T], 'int32')), B * T);
    },
  });
  const valid = blockPerplexity(model, corpus.valid, { blockSize: T, batchSize: 32 });
  const test = blockPerplexity(model, corpus.test, { blockSize: T, batchSize: 32 });
  return {
    model,
    result: { testPerplexity: test.perplexity, validPerplexity: valid.perplexity, trainLoss, trainTokens: recipe.steps * B * T, seconds: (Date.now() - start) / 1000 },
  };
}
