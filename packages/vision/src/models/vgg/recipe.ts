import type { Recipe } from '@neuralzoo/core';
import type { VggConfig } from './config';

/** A training recipe for a small VGG: plain data the CLI and demos read. */
export interface VggRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Registry name of the trained variant and its builder config. */
  variant: string;
  model: Partial<VggConfig>;
  /** Zero padding added on each side of the 28×28 images: VGG's five pools need 32×32. */
  pad: number;
  optimizer: { name: 'SGD'; lr: number; momentum: number; weightDecay: number };
  /**
   * Stepped once per batch over all epochs: cosine annealing of the lr to 0, or the 1cycle
   * schedule (warm-up from maxLr / 25 to maxLr over pctStart of the steps, then cosine annealing
   * to maxLr / 25e4; momentum cycles 0.95 → 0.85 → 0.95).
   */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' } | { name: 'OneCycleLR'; step: 'batch'; maxLr: number; pctStart: number };
  /** Random translation by up to maxShift pixels and left-right flips with probability flip (default 0). */
  augment: { maxShift: number; flip?: number };
  seed: number;
}

/** Fashion-MNIST recipe of a 1/8-width VGG, shared by every depth (built with that depth's builder). */
function recipe(variant: string): Readonly<VggRecipe> {
  return Object.freeze({
    dataset: 'fashion-mnist',
    variant,
    model: Object.freeze({ inChannels: 1, numClasses: 10, widthMultiplier: 0.125 }),
    pad: 2,
    epochs: 10,
    batchSize: 128,
    optimizer: Object.freeze({ name: 'SGD' as const, lr: variant.endsWith('_bn') ? 0.05 : 0.01, momentum: 0.9, weightDecay: 5e-4 }),
    scheduler: Object.freeze({ name: 'CosineAnnealingLR' as const, step: 'batch' as const }),
    augment: Object.freeze({ maxShift: 2 }),
    seed: 0,
    metric: 'accuracy',
    target: 0.9,
  });
}

/**
 * Recipes per registered VGG (not yet run to their target: `target` is what a model of this size
 * usually reaches on Fashion-MNIST's test split).
 */
export const VGG_FASHION_MNIST_RECIPES: Readonly<Record<string, Readonly<VggRecipe>>> = Object.freeze(
  Object.fromEntries(['vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn'].map((n) => [n, recipe(n)])),
);

/**
 * The small VGG run on full Fashion-MNIST (`scripts/train-fashion.js vgg`): VGG-11 with BatchNorm at
 * width 1/8, SGD with momentum under a 1cycle schedule to lr 0.05, 5 epochs without augmentation
 * (what fits the shared 2-core machine). The measured figure is in the vision README.
 */
export const VGG_SMALL_FASHION_MNIST_RECIPE: Readonly<VggRecipe> = Object.freeze({
  ...recipe('vgg11_bn'),
  epochs: 5,
  optimizer: Object.freeze({ name: 'SGD' as const, lr: 0.05, momentum: 0.9, weightDecay: 5e-4 }),
  scheduler: Object.freeze({ name: 'OneCycleLR' as const, step: 'batch' as const, maxLr: 0.05, pctStart: 0.25 }),
  augment: Object.freeze({ maxShift: 0, flip: 0 }),
  target: 0.91,
});
