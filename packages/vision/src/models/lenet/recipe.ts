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
  epochs: 40,
  batchSize: 128,
  optimizer: { name: 'Adam', lr: 3e-3 },
  loss: { name: 'crossEntropy', labelSmoothing: 0.1 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.985,
} as const);

/** The Fashion-MNIST recipe of LeNet-5 (full 60,000 / 10,000 split, `scripts/train-fashion.js lenet5`). */
export interface LeNetFashionRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Registry name and builder config of the trained model. */
  variant: 'lenet5';
  model: Record<string, never>;
  optimizer: { name: 'Adam'; lr: number };
  /** Label smoothing of the cross-entropy loss. */
  labelSmoothing: number;
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation by up to maxShift pixels and left-right flips with probability flip. */
  augment: { maxShift: number; flip: number };
  seed: number;
}

/** LeNet-5 (default config) on Fashion-MNIST; the measured figure is in the vision README. */
export const LENET5_FASHION_MNIST_RECIPE: Readonly<LeNetFashionRecipe> = Object.freeze({
  dataset: 'fashion-mnist',
  variant: 'lenet5',
  model: {},
  epochs: 15,
  batchSize: 128,
  optimizer: { name: 'Adam', lr: 3e-3 },
  labelSmoothing: 0,
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 0, flip: 0.5 },
  seed: 0,
  metric: 'accuracy',
  target: 0.89,
} as const);
