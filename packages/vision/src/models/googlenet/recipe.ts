import type { Recipe } from '@neuralzoo/core';
import type { GoogLeNetConfig } from './config';

/** A training recipe for a small GoogLeNet: plain data the CLI and demos read. */
export interface GoogLeNetRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant. */
  model: Partial<GoogLeNetConfig>;
  /** Zero padding added on each side of the 28×28 images: GoogLeNet needs at least 31×31. */
  pad: number;
  /** Weight of each auxiliary classifier's loss, added to the main loss (the paper's 0.3). */
  auxLossWeight: number;
  optimizer: { name: 'SGD'; lr: number; momentum: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

/**
 * Fashion-MNIST recipe of a quarter-width GoogLeNet with its aux heads. Not yet run to its
 * target: `target` is what a model of this size usually reaches on Fashion-MNIST's test split.
 */
export const GOOGLENET_FASHION_MNIST_RECIPE: Readonly<GoogLeNetRecipe> = Object.freeze({
  dataset: 'fashion-mnist',
  model: { inChannels: 1, numClasses: 10, widthMultiplier: 0.25, auxLogits: true },
  pad: 2,
  auxLossWeight: 0.3,
  epochs: 10,
  batchSize: 128,
  optimizer: { name: 'SGD', lr: 0.05, momentum: 0.9, weightDecay: 5e-4 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.91,
} as const);
