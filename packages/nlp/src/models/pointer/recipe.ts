import type { Recipe } from '@neuralzoo/core';
import type { PointerNetConfig } from './config';

/** A pointer-network recipe on a SYNTHETIC task (plain data). */
export interface PointerRecipe extends Recipe {
  /** 'sort' (n numbers) or 'hull' (planar convex hull of n points). */
  task: 'sort' | 'hull';
  /** Elements per example. */
  n: number;
  trainSize: number;
  testSize: number;
  optimizer: { name: 'Adam'; lr: number };
  /** Wall-time budget in seconds. */
  maxSeconds: number;
  model: Partial<PointerNetConfig>;
  seed: number;
}

/** SYNTHETIC sorting of 10 numbers; target sequence accuracy 0.9 on 1,000 fresh test lists. */
export const POINTER_SORT_RECIPE: Readonly<PointerRecipe> = Object.freeze({
  dataset: 'synthetic-sort',
  task: 'sort',
  n: 10,
  epochs: 20,
  batchSize: 128,
  trainSize: 20000,
  testSize: 1000,
  optimizer: { name: 'Adam', lr: 5e-3 },
  maxSeconds: 2400,
  model: { inputDim: 1, hiddenSize: 64 },
  seed: 0,
  metric: 'sequence_accuracy',
  target: 0.9,
} as const);

/** SYNTHETIC planar convex hull of 10 points (reported, no target). */
export const POINTER_HULL_RECIPE: Readonly<PointerRecipe> = Object.freeze({
  ...POINTER_SORT_RECIPE,
  dataset: 'synthetic-convex-hull',
  task: 'hull',
  model: { inputDim: 2, hiddenSize: 64 },
  target: undefined,
} as const);
