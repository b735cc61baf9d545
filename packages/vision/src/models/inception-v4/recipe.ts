import type { Recipe } from '@neuralzoo/core';
import type { InceptionV4Config } from './config';

/** A training recipe for a small Inception v4 / Inception-ResNet v2: plain data the CLI and demos read. */
export interface InceptionV4Recipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant. */
  model: Partial<InceptionV4Config>;
  /** Label smoothing of the cross-entropy loss (0.1 as in Inception v3/v4 training). */
  labelSmoothing: number;
  optimizer: { name: 'RMSprop'; lr: number; alpha: number; eps: number; momentum: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

const common = {
  dataset: 'fashion-mnist',
  labelSmoothing: 0.1,
  epochs: 10,
  batchSize: 64,
  // the paper's RMSprop (decay 0.9, eps 1.0), lr scaled to the batch
  optimizer: { name: 'RMSprop', lr: 2e-3, alpha: 0.9, eps: 1.0, momentum: 0.9, weightDecay: 4e-5 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  augment: { maxShift: 2 },
  seed: 0,
  metric: 'accuracy',
  target: 0.91,
} as const;

/**
 * Fashion-MNIST recipe of a quarter-width Inception v4 with the small stem and [2, 3, 1] blocks
 * (28×28 input, 1×1 final maps). Not yet run to its target: `target` is the goal.
 */
export const INCEPTION_V4_FASHION_MNIST_RECIPE: Readonly<InceptionV4Recipe> = Object.freeze({
  ...common,
  model: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25, blocks: [2, 3, 1] as [number, number, number] } as Partial<InceptionV4Config>,
});

/**
 * Fashion-MNIST recipe of a quarter-width Inception-ResNet v2 with the small stem and [3, 5, 2]
 * blocks (28×28 input, 4×4 final maps). Not yet run to its target: `target` is the goal.
 */
export const INCEPTION_RESNET_V2_FASHION_MNIST_RECIPE: Readonly<InceptionV4Recipe> = Object.freeze({
  ...common,
  model: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25, blocks: [3, 5, 2] as [number, number, number] } as Partial<InceptionV4Config>,
});
