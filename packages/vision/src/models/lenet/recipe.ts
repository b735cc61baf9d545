import type { Recipe } from '@neuralzoo/core';

/** The MNIST recipe of LeNet-5: plain data that the CLI (`neuralzoo train lenet5`) and the demo run. */
export interface LeNetRecipe extends Recipe {
  dataset: 'mnist';
  optimizer: { name: 'Adam'; lr: number };
  /** `F.crossEntropy` with label smoothing (torch's `label_smoothing`), a mild regulariser for 8,000 digits. */
  loss: { name: 'crossEntropy'; labelSmoothing: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  /** Seed of parameter init and shuffling. */
  seed: number;
}

/**
 * Reaches the `target` test accuracy on the fixed 8,000/2,000 MNIST split of
 * `@neuralzoo/datasets` (see the vision README for the measured figure, backend and time).
 */
export const LENET5_MNIST_RECIPE: Readonly<LeNetRecipe> = Object.freeze({
  dataset: 'mnist',
  epochs: 20,
  batchSize: 128,
  optimizer: { name: 'Adam', lr: 3e-3 },
  loss: { name: 'crossEntropy', labelSmoothing: 0.1 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.98,
} as const);
