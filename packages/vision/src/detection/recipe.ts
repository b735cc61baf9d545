/**
 * The SYNTHETIC detection benchmark of the YOLO and SSD recipes: digitScenes of
 * `@neuralzoo/datasets` (real MNIST digits pasted on 96×96 canvases with exact ink boxes), with
 * fixed seeded train/test scene sets (test scenes use MNIST test digits only), and the loop that
 * trains a detector on them and reports mAP@0.5. Browser-safe: the scenes come in through
 * `makeScenes`, so this module does not import the Node-only datasets package.
 */
import { manualSeed, type Recipe } from '@neuralzoo/core';
import { Detector, DetectorEvaluation, evaluateDetector, SceneSet, trainDetector } from './detector';

/** Options of `digitScenes` for one split (`digits` come from `loadMnist({ split })`). */
export interface SceneSplitSpec {
  split: 'train' | 'test';
  count: number;
  seed: number;
  size: number;
  minDigits: number;
  maxDigits: number;
  /** Digit scale range relative to the 28×28 crop: 0.5 gives small digits (ink ~7×11 px). */
  scale: [number, number];
  /** Largest IoU between two digits' paste areas: > 0 lets digits overlap. */
  maxIoU: number;
}

const COMMON = { size: 96, minDigits: 2, maxDigits: 5, scale: [0.5, 1.25] as [number, number], maxIoU: 0.25 };

/** Fixed scene sets: 1,600 training scenes (MNIST train digits), 500 test scenes (MNIST test digits). */
export const DIGIT_SCENES: Readonly<{ train: SceneSplitSpec; test: SceneSplitSpec }> = Object.freeze({
  train: { split: 'train', count: 1600, seed: 1, ...COMMON },
  test: { split: 'test', count: 500, seed: 2, ...COMMON },
});

/** A detector recipe on the digit scenes: plain data. */
export interface DetectionRecipe extends Recipe {
  dataset: 'mnist-scenes';
  scenes: { train: SceneSplitSpec; test: SceneSplitSpec };
  optimizer: { name: 'Adam'; lr: number; weightDecay: number };
  /** Cosine annealing of the lr to 0 over all batches. */
  scheduler: { name: 'CosineAnnealingLR'; step: 'batch' };
  metric: 'mAP@0.5';
  seed: number;
  /** Training augmentation: random whole-pixel shifts of each scene, at most `maxShift` px per axis, boxes kept inside. Absent: none. */
  augment?: { maxShift: number };
}

export interface RunDetectionOptions {
  /** Builds a scene set from a split spec (e.g. with `digitScenes` and `loadMnist`). */
  makeScenes: (spec: SceneSplitSpec) => SceneSet;
  /** Progress lines (epoch, loss). */
  log?: (line: string) => void;
  /** Override the recipe's epochs (e.g. for a quick check). */
  epochs?: number;
  /** Called after every epoch with the model (e.g. to evaluate on a few test scenes). */
  onEpoch?: (epoch: number, meanLoss: number, model: Detector) => void;
}

/** Trains `create()`'s model with `recipe` and evaluates mAP@0.5 (and COCO mAP) on the test scenes. */
export async function runDetectionRecipe<M extends Detector>(
  create: () => M,
  recipe: DetectionRecipe,
  opts: RunDetectionOptions,
): Promise<{ model: M; history: number[]; evaluation: DetectorEvaluation; seconds: number }> {
  const t0 = Date.now();
  manualSeed(recipe.seed);
  const model = create();
  const trainSet = opts.makeScenes(recipe.scenes.train);
  const testSet = opts.makeScenes(recipe.scenes.test);
  const epochs = opts.epochs ?? recipe.epochs;
  const history = await trainDetector(model, trainSet, {
    epochs,
    batchSize: recipe.batchSize,
    lr: recipe.optimizer.lr,
    weightDecay: recipe.optimizer.weightDecay,
    seed: recipe.seed,
    maxShift: recipe.augment?.maxShift ?? 0,
    onEpoch: (e, loss) => {
      opts.log?.(`epoch ${e + 1}/${epochs} loss ${loss.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      opts.onEpoch?.(e, loss, model);
    },
  });
  const evaluation = evaluateDetector(model, testSet, { coco: true });
  return { model, history, evaluation, seconds: (Date.now() - t0) / 1000 };
}
