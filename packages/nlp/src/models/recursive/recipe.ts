import type { Recipe } from '@neuralzoo/core';

/** Tree model recipe on the SYNTHETIC ListOps task of `@neuralzoo/datasets` (value 0–9 of a nested expression). */
export interface ListOpsRecipe extends Recipe {
  dataset: 'listops';
  /** SYNTHETIC: `listOps` options of the train and test sets (different seeds). */
  data: { train: number; test: number; maxDepth: number; maxArgs: number; maxLength: number; trainSeed: number; testSeed: number };
  optimizer: { name: 'Adam'; lr: number };
  /** Model config overrides (vocabSize is the ListOps vocabulary, numClasses 10). */
  model: Record<string, unknown>;
  clipGradNorm: number;
  seed: number;
}

const LISTOPS_DATA = { train: 4000, test: 1000, maxDepth: 3, maxArgs: 4, maxLength: 64, trainSeed: 1, testSeed: 2 };

/** Child-sum Tree-LSTM on ListOps; must beat the sequential BiLSTM of `LISTOPS_LSTM_BASELINE` on the same data. */
export const TREE_LSTM_LISTOPS_RECIPE: Readonly<ListOpsRecipe> = Object.freeze({
  dataset: 'listops',
  data: LISTOPS_DATA,
  epochs: 10,
  batchSize: 32,
  optimizer: { name: 'Adam', lr: 3e-3 },
  model: { embeddingDim: 32, hiddenSize: 64, arity: 4 },
  clipGradNorm: 5,
  seed: 0,
  metric: 'accuracy',
} as const);

/** Recursive NN on ListOps (same data as the Tree-LSTM). */
export const RECURSIVE_NN_LISTOPS_RECIPE: Readonly<ListOpsRecipe> = Object.freeze({ ...TREE_LSTM_LISTOPS_RECIPE });

/** The sequential baseline: a BiLSTM classifier over the ListOps token sequence, same data and budget. */
export const LISTOPS_LSTM_BASELINE: Readonly<ListOpsRecipe> = Object.freeze({
  ...TREE_LSTM_LISTOPS_RECIPE,
  model: { embeddingDim: 32, hiddenSize: 64, numLayers: 1, dropout: 0 },
});
