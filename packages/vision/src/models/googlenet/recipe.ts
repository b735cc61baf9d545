import type { Recipe } from '@neuralzoo/core';
import type { GoogLeNetConfig } from './config';

/** A training recipe for a small GoogLeNet: plain data the CLI and demos read. */
export interface GoogLeNetRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Builder config of the trained variant. */
  model: Partial<GoogLeNetConfig>;
  /** Zero padding added on each side of the 28×28 images (the 'imagenet' stem needs 2, for 32×32; the 'small' stem takes 28×28). */
  pad: number;
  /** Weight of each auxiliary classifier's loss, added to the main loss (the paper's 0.3). */
  auxLossWeight: number;
  optimizer: { name: 'SGD'; lr: number; momentum: number; weightDecay: number };
  /**
   * The 1cycle lr schedule over all epochs, stepped once per batch: warm-up from maxLr / 25 to
   * maxLr over pctStart of the steps, then cosine annealing to maxLr / 25e4 (momentum cycles
   * 0.95 → 0.85 → 0.95).
   */
  scheduler: { name: 'OneCycleLR'; step: 'batch'; maxLr: number; pctStart: number };
  /** Random translation by up to maxShift pixels and left-right flips with probability flip. */
  augment: { maxShift: number; flip: number };
  seed: number;
}

/**
 * Fashion-MNIST recipe of a quarter-width GoogLeNet with its aux heads and the small stem (3×3
 * stride-1 conv1: unpadded 28×28 images give 7×7 maps in inception3, 3×3 in inception4, 2×2 in
 * inception5): SGD with momentum under a 1cycle schedule to lr 0.1, 4 epochs without
 * augmentation (what fits the shared 2-core machine). The measured figure is in the vision README.
 */
export const GOOGLENET_FASHION_MNIST_RECIPE: Readonly<GoogLeNetRecipe> = Object.freeze({
  dataset: 'fashion-mnist',
  model: { inChannels: 1, numClasses: 10, widthMultiplier: 0.25, auxLogits: true, stem: 'small' },
  pad: 0,
  auxLossWeight: 0.3,
  epochs: 4,
  batchSize: 128,
  optimizer: { name: 'SGD', lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
  scheduler: { name: 'OneCycleLR', step: 'batch', maxLr: 0.1, pctStart: 0.25 },
  augment: { maxShift: 0, flip: 0 },
  seed: 0,
  metric: 'accuracy',
  target: 0.91,
} as const);
