import type { Recipe } from '@neuralzoo/core';
import type { AlexNetConfig } from './config';

/** A training recipe for a small AlexNet: plain data the CLI and demos read. */
export interface AlexNetRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant (28×28 grey images, 10 classes). */
  model: Partial<AlexNetConfig>;
  optimizer: { name: 'Adam'; lr: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

/**
 * Fashion-MNIST recipe of a quarter-width AlexNet with the small stem (`scripts/train-fashion.js
 * alexnet`): Adam, which starts this BatchNorm-free net faster than SGD in a run this short; 1
 * epoch fits the shared 2-core machine. The measured figure is in the vision README.
 */
export const ALEXNET_FASHION_MNIST_RECIPE: Readonly<AlexNetRecipe> = Object.freeze({
  dataset: 'fashion-mnist',
  model: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25 },
  epochs: 1,
  batchSize: 128,
  optimizer: { name: 'Adam', lr: 1e-3, weightDecay: 0 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 0 },
  seed: 0,
  metric: 'accuracy',
  target: 0.91,
} as const);
