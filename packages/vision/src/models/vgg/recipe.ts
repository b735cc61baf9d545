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
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
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
 * width 1/8, 1 epoch without augmentation (what fits the shared 2-core machine). The measured
 * figure is in the vision README.
 */
export const VGG_SMALL_FASHION_MNIST_RECIPE: Readonly<VggRecipe> = Object.freeze({
  ...recipe('vgg11_bn'),
  epochs: 1,
  augment: Object.freeze({ maxShift: 0 }),
  target: 0.91,
});
