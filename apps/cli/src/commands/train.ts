import { BackendName, data, F, init, manualSeed, optim, Parameter, Recipe, tf, train } from '@neuralzoo/core';
import { parallel } from '@neuralzoo/core/node';
import { ImageSet, loadFashionMnist, loadMnist, Split, toDataset } from '@neuralzoo/datasets';
import { RandomShiftDataset } from '@neuralzoo/vision';
import type { FlagSpec } from '../args';
import { loadRegistry } from '../models';

/** Data sets `neuralzoo train` can feed a recipe with, by the name recipes use. */
export const IMAGE_SETS: Record<string, (split: Split) => ImageSet> = {
  mnist: (split) => loadMnist({ split }),
  'fashion-mnist': (split) => loadFashionMnist({ split }),
  fashion_mnist: (split) => loadFashionMnist({ split }),
};

export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  epochs: { type: 'int', description: "epochs (default: the recipe's)" },
  backend: { type: 'string', description: 'auto | torch | tensorflow | wasm | cpu (default auto)' },
  'batch-size': { type: 'int', description: "batch size (default: the recipe's)" },
  seed: { type: 'int', min: 0, description: "seed of init, shuffling and augmentation (default: the recipe's, else 0)" },
  limit: { type: 'int', description: 'use only the first N training and N test examples (quick checks)' },
  workers: { type: 'int', description: 'data-parallel training on N worker threads, one model replica each (default: this thread only)' },
};

export interface TrainCommandOptions {
  epochs?: number;
  backend?: string;
  batchSize?: number;
  seed?: number;
  limit?: number;
  /** Train with `parallel.dataParallel` on this many worker threads. Default: none (this thread). */
  workers?: number;
  /** Show train.fit's progress bar and epoch lines. Default true. */
  verbose?: boolean;
}

export interface TrainCommandResult {
  model: string;
  dataset: string;
  metric: string;
  value: number;
  target?: number;
  backend: string;
  seconds: number;
}

const BACKENDS = ['auto', 'torch', 'tensorflow', 'wasm', 'cpu'];

interface SchedulerSpec {
  name: string;
  step?: 'batch' | 'epoch';
}

function take(set: ImageSet, n: number | undefined): ImageSet {
  if (n === undefined || n >= set.shape[0]) return set;
  const [, h, w, c] = set.shape;
  return { ...set, images: set.images.subarray(0, n * h * w * c), labels: set.labels.subarray(0, n), shape: [n, h, w, c] };
}

function makeOptimizer(model: string, spec: Recipe['optimizer'], params: Parameter[]): optim.Optimizer {
  const { name, ...options } = spec;
  const Ctor = (optim as unknown as Record<string, unknown>)[name];
  const known = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad', 'Adadelta'];
  if (!known.includes(name) || typeof Ctor !== 'function')
    throw new Error(`neuralzoo train: ${model}'s recipe names optimizer '${name}'; known: ${known.join(', ')}`);
  return new (Ctor as new (p: unknown, o: unknown) => optim.Optimizer)(params, options);
}

const LOSSES = ['crossEntropy', 'nllLoss', 'mseLoss', 'l1Loss', 'smoothL1Loss', 'binaryCrossEntropy', 'bceWithLogits'];

/** A recipe's loss: a name of `F` ('crossEntropy'), or `{ name, ...options }` (e.g. labelSmoothing). Default crossEntropy. */
function makeLoss(model: string, spec: unknown): (output: tf.Tensor, target: tf.Tensor) => tf.Tensor {
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : ((spec ?? { name: 'crossEntropy' }) as { name: string });
  const fn = (F as unknown as Record<string, unknown>)[name];
  if (!LOSSES.includes(name) || typeof fn !== 'function')
    throw new Error(`neuralzoo train: ${model}'s recipe names loss '${name}'; known: ${LOSSES.join(', ')}`);
  return (output, target) => (fn as (o: tf.Tensor, t: tf.Tensor, opts: object) => tf.Tensor)(output, target, options);
}

/** The recipe's loss as data the data-parallel workers rebuild it from (`makeLoss` checked it). */
function lossSource(spec: unknown): { name: string; options: Record<string, unknown> } {
  const { name, ...options } = typeof spec === 'string' ? { name: spec } : ((spec ?? { name: 'crossEntropy' }) as { name: string });
  return { name, options };
}

/**
 * `neuralzoo train <model>`: runs the model's registered recipe on the train split of its real
 * data set (the recipe's loss, optimizer, cosine schedule and augmentation) with
 * train.fit's progress bar, then prints the recipe's metric on the test split.
 */
export async function trainCommand(name: string, opts: TrainCommandOptions, print: (line: string) => void): Promise<TrainCommandResult> {
  const start = Date.now();
  const entry = loadRegistry().get(name);
  const recipe = entry.recipe;
  if (!recipe) throw new Error(`neuralzoo train: model '${name}' has no recipe to train with`);
  const load = IMAGE_SETS[recipe.dataset];
  if (!load)
    throw new Error(`neuralzoo train: ${name}'s recipe trains on '${recipe.dataset}', which neuralzoo train cannot load yet (it loads: ${Object.keys(IMAGE_SETS).join(', ')})`);
  if (opts.backend !== undefined && !BACKENDS.includes(opts.backend))
    throw new Error(`neuralzoo train: unknown backend '${opts.backend}'; expected one of ${BACKENDS.join(', ')}`);
  const scheduler = recipe.scheduler as SchedulerSpec | undefined;
  if (scheduler && scheduler.name !== 'CosineAnnealingLR')
    throw new Error(`neuralzoo train: ${name}'s recipe uses scheduler '${scheduler.name}'; neuralzoo train runs CosineAnnealingLR recipes so far`);
  const epochs = opts.epochs ?? recipe.epochs;
  const batchSize = opts.batchSize ?? recipe.batchSize;
  const seed = opts.seed ?? (typeof recipe.seed === 'number' ? recipe.seed : 0);
  const maxShift = (recipe.augment as { maxShift?: number } | undefined)?.maxShift ?? 0;

  const info = await init({ backend: (opts.backend ?? 'auto') as BackendName | 'auto' });
  const trainSet = take(load('train'), opts.limit);
  const testSet = take(load('test'), opts.limit);
  print(`${name} on ${recipe.dataset}: ${trainSet.shape[0]} train / ${testSet.shape[0]} test examples; backend ${info.name}`);
  manualSeed(seed);
  // A recipe may train a small variant of the registered model (e.g. ResNet's small stem and width
  // multiplier on 28×28 Fashion-MNIST): its `model` field is the builder config.
  const modelConfig = recipe.model as Record<string, unknown> | undefined;
  const model = entry.create(modelConfig);
  try {
    const trainData = maxShift > 0 ? new RandomShiftDataset(toDataset(trainSet), maxShift) : toDataset(trainSet);
    // The loader draws its shuffling seed from the default generator (seeded above), as the demo does.
    const trainLoader = new data.DataLoader(trainData, { batchSize, shuffle: true });
    const testLoader = new data.DataLoader(toDataset(testSet), { batchSize: 500 });
    const optimizer = makeOptimizer(name, recipe.optimizer, model.parameters());
    const perBatch = scheduler?.step === 'batch';
    const sched = scheduler ? new optim.lr.CosineAnnealingLR(optimizer, Math.max(1, epochs * (perBatch ? trainLoader.length : 1))) : undefined;
    print(`${model.numParameters().toLocaleString('en-US')} parameters; ${recipe.optimizer.name} lr ${recipe.optimizer.lr}${sched ? ' (cosine)' : ''}, batch ${batchSize}, ${epochs} epoch${epochs === 1 ? '' : 's'}, seed ${seed}`);
    const loss = makeLoss(name, recipe.loss);
    // Workers rebuild the model from the registry after importing its domain package.
    const strategy = opts.workers
      ? parallel.dataParallel({ workers: opts.workers, transport: 'threads', model: modelConfig ? { name, config: modelConfig } : name, seed, loss: lossSource(recipe.loss), imports: [require.resolve(`@neuralzoo/${entry.domain}`)] })
      : undefined;
    if (strategy) print(`data parallel: ${opts.workers} worker thread${opts.workers === 1 ? '' : 's'}, global batch ${batchSize}`);
    await train.fit(model, {
      train: trainLoader,
      loss,
      optimizer,
      scheduler: sched,
      schedulerStep: perBatch ? 'batch' : 'epoch',
      epochs,
      metrics: [recipe.metric],
      verbose: opts.verbose ?? true,
      strategy,
    });
    const result = await train.evaluate(model, testLoader, { loss, metrics: [recipe.metric] });
    const value = result[recipe.metric];
    const seconds = (Date.now() - start) / 1000;
    const shown = recipe.metric === 'accuracy' ? `${(100 * value).toFixed(2)}%` : value.toFixed(4);
    const target = recipe.target !== undefined ? ` (recipe target ${recipe.metric === 'accuracy' ? `${(100 * recipe.target).toFixed(1)}%` : recipe.target})` : '';
    print(`test ${recipe.metric}: ${shown}${target} on ${testSet.shape[0]} examples; ${info.name}, ${seconds.toFixed(1)} s`);
    return { model: name, dataset: recipe.dataset, metric: recipe.metric, value, target: recipe.target, backend: info.name, seconds };
  } finally {
    model.dispose();
  }
}
