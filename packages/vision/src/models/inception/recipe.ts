import type { Recipe } from '@neuralzoo/core';
import type { InceptionV3Config } from './config';

/** A training recipe for a small Inception v3: plain data the CLI and demos read. */
export interface InceptionV3Recipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant (the aux head needs 299×299 inputs, so it is off). */
  model: Partial<InceptionV3Config>;
  /** Label smoothing of the cross-entropy loss (the paper's 0.1). */
  labelSmoothing: number;
  optimizer: { name: 'RMSprop'; lr: number; alpha: number; eps: number; momentum: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

/**
 * Fashion-MNIST recipe of a quarter-width Inception v3 with the small stem (28×28 input, no
 * padding needed). Not yet run to its target: `target` is what a model of this size usually
 * reaches on Fashion-MNIST's test split.
 */
export const INCEPTION_V3_FASHION_MNIST_RECIPE: Readonly<InceptionV3Recipe> = Object.freeze({
  dataset: 'fashion-mnist',
  model: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25 },
  labelSmoothing: 0.1,
  epochs: 10,
  batchSize: 64,
  optimizer: { name: 'RMSprop', lr: 2e-3, alpha: 0.9, eps: 1.0, momentum: 0.9, weightDecay: 4e-5 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.91,
} as const);
