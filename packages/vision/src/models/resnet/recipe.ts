import type { Recipe } from '@neuralzoo/core';
import type { ResNetConfig } from './config';

/** A training recipe for a small ResNet: plain data the CLI and demos read. */
export interface ResNetRecipe extends Recipe {
  dataset: 'fashion-mnist';
  /** Registry name of the trained variant and its builder config. */
  variant: string;
  model: Partial<ResNetConfig>;
  optimizer: { name: 'SGD'; lr: number; momentum: number; weightDecay: number; nesterov: boolean };
  /** Cosine annealing of the lr to 0 over all epochs, stepped once per batch. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  /** Random translation of each training image by up to this many pixels (0 = none). */
  augment: { maxShift: number };
  seed: number;
}

/** Fashion-MNIST recipe of a quarter-width ResNet with the small stem (built with that depth's builder). */
function recipe(variant: string): Readonly<ResNetRecipe> {
  return Object.freeze({
    dataset: 'fashion-mnist',
    variant,
    model: Object.freeze({ inChannels: 1, numClasses: 10, stem: 'small' as const, widthMultiplier: 0.25 }),
    epochs: 10,
    batchSize: 128,
    optimizer: Object.freeze({ name: 'SGD' as const, lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true }),
    scheduler: Object.freeze({ name: 'CosineAnnealingLR' as const, step: 'batch' as const }),
    augment: Object.freeze({ maxShift: 2 }),
    seed: 0,
    metric: 'accuracy',
    target: 0.92,
  });
}

/**
 * Recipes per registered ResNet (not yet run to their target: `target` is what a model of this
 * size usually reaches on Fashion-MNIST's test split).
 */
export const RESNET_FASHION_MNIST_RECIPES: Readonly<Record<string, Readonly<ResNetRecipe>>> = Object.freeze(
  Object.fromEntries(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'].map((n) => [n, recipe(n)])),
);

/**
 * The small ResNet trained on full Fashion-MNIST (`scripts/train-fashion.js resnet`): ResNet-18's
 * blocks with the small stem at width 1/8 (8, 16, 32, 64 planes). Its weights ship as
 * `weights/resnet_fashion.safetensors` (config in the file's metadata); figure in the README.
 */
export const RESNET_SMALL_FASHION_MNIST_RECIPE: Readonly<ResNetRecipe & { augment: { maxShift: number; flip: number } }> = Object.freeze({
  ...recipe('resnet18'),
  model: Object.freeze({ inChannels: 1, numClasses: 10, stem: 'small' as const, widthMultiplier: 0.125 }),
  epochs: 3,
  augment: Object.freeze({ maxShift: 0, flip: 0 }),
});
