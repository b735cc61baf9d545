import type { Recipe } from '@neuralzoo/core';

/**
 * SYNTHETIC detection scenes of `@neuralzoo/datasets`' `digitScenes`: real MNIST digits (train
 * scenes from the train split, test scenes from the test split) pasted on blank canvases.
 */
export interface DigitScenesSpec {
  /** Canvas side in pixels. */
  size: number;
  minDigits: number;
  maxDigits: number;
  /** Digit scale range relative to the 28×28 crop. */
  scale: [number, number];
  /** Largest IoU between two digits' paste areas (> 0: digits may touch and overlap a little). */
  maxIoU: number;
  /** Scenes and placement seed of each split. */
  train: { count: number; seed: number };
  test: { count: number; seed: number };
}

/** Plain-data recipe of a two-stage detector on digit scenes (run by packages/vision/scripts/train-two-stage.js). */
export interface DetectorRecipe extends Recipe {
  dataset: 'digitScenes';
  scenes: DigitScenesSpec;
  /** Adam, lr annealed to 0 by a cosine over all steps (`trainTwoStage`). */
  optimizer: { name: 'Adam'; lr: number; weightDecay: number };
  /** Seed of parameter init, sampling and shuffling. */
  seed: number;
  metric: 'mAP@0.5';
}

/**
 * The scenes both two-stage recipes train and test on: 96×96, 1–4 digits at 0.75–1.25× (ink
 * about 10–30 px tall), paste areas overlapping by IoU <= 0.1 (`digitScenes`' defaults). Easier
 * than the YOLO/SSD benchmark `DIGIT_SCENES` (0.5–1.25×, IoU <= 0.25).
 */
export const DIGIT_SCENES_96: Readonly<DigitScenesSpec> = Object.freeze({
  size: 96,
  minDigits: 1,
  maxDigits: 4,
  scale: [0.75, 1.25] as [number, number],
  maxIoU: 0.1,
  train: { count: 1000, seed: 1 },
  test: { count: 300, seed: 2 },
});

export const FASTER_RCNN_DIGITS_RECIPE: Readonly<DetectorRecipe> = Object.freeze({
  dataset: 'digitScenes',
  scenes: DIGIT_SCENES_96,
  epochs: 10,
  batchSize: 8,
  optimizer: { name: 'Adam', lr: 4e-3, weightDecay: 0 },
  seed: 0,
  metric: 'mAP@0.5',
  target: 0.85,
} as const);

export const RCNN_DIGITS_RECIPE: Readonly<DetectorRecipe> = Object.freeze({
  dataset: 'digitScenes',
  scenes: DIGIT_SCENES_96,
  epochs: 6,
  batchSize: 16,
  optimizer: { name: 'Adam', lr: 2e-3, weightDecay: 0 },
  seed: 0,
  metric: 'mAP@0.5',
  target: 0.85,
} as const);
