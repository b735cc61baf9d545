import type { Recipe } from '@neuralzoo/core';
import type { AlexNetConfig } from './config';

/** A training recipe for a small AlexNet: plain data the CLI and demos read. */
export interface AlexNetRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant (28×28 grey images, 10 classes). */
  model: Partial<AlexNetConfig>;
  optimizer: { name: 'SGD'; lr: number; momentum: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

/**
 * Fashion-MNIST recipe of a quarter-width AlexNet with the small stem. Not yet run to its
 * target: `target` is what a model of this size usually reaches on Fashion-MNIST's test split.
 */
export const ALEXNET_FASHION_MNIST_RECIPE: Readonly<AlexNetRecipe> = Object.freeze({
  dataset: 'fashion-mnist',
  model: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25 },
  epochs: 10,
  batchSize: 128,
  optimizer: { name: 'SGD', lr: 0.02, momentum: 0.9, weightDecay: 5e-4 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.9,
} as const);
