import { tf } from '../tf';
import { backward, noGrad } from '../autograd/backward';
import type { Module } from '../nn/module';
import * as F from '../functional/index';
import { DataLoader } from '../data/dataloader';
import { clipGradNorm } from '../optim/clip';
import { collectTensors, disposeBatch } from '../data/collate';
import { Metric, Mean, createMetric } from './metrics';
import type { Callback, EpochLogs, History, TrainContext } from './callbacks';
import { Logger, defaultLogger } from './logger';
import { ProgressEvent, ProgressPrinter } from './progress';
import type { OptimizerLike, SchedulerLike } from './types';
import type { Strategy } from '../parallel/strategy';

/**
 * One batch: `[x, y]` (more generally `[...inputs, y]`: the model gets every element but the
 * last) or `{ x, y }`. This is what a `DataLoader` over a `TensorDataset(x, y)` yields.
 */
export type Batch = unknown[] | { x: unknown; y: unknown };

/** Training or validation data: a DataLoader, any (async) iterable of batches, or a function returning one per epoch. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type BatchSource = DataLoader<any, any> | Iterable<Batch> | AsyncIterable<Batch> | (() => Iterable<Batch> | AsyncIterable<Batch>);

/** A loss: a function of (model output, target) returning a scalar, or the name of a loss in `F`. */
export type LossSpec = ((output: any, target: any) => tf.Tensor) | LossName; // eslint-disable-line @typescript-eslint/no-explicit-any

export type LossName =
  | 'crossEntropy'
  | 'nllLoss'
  | 'mseLoss'
  | 'l1Loss'
  | 'smoothL1Loss'
  | 'huberLoss'
  | 'binaryCrossEntropy'
  | 'bceWithLogits'
  | 'klDiv'
  | 'hingeEmbeddingLoss';

export interface FitOptions {
  train: BatchSource;
  val?: BatchSource;
  loss: LossSpec;
  optimizer: OptimizerLike;
  /** Number of epochs to train up to (the last epoch index is epochs - 1). */
  epochs: number;
  /** Epoch to start at, for resuming (a DataLoader's `epoch` is set to each epoch run). Default 0. */
  initialEpoch?: number;
  /** Optimizer steps already taken, for resuming (counts into `ctx.globalStep`). Default 0. */
  initialStep?: number;
  /** Metric names (see `metrics.createMetric`) or Metric objects, computed on train and val. */
  metrics?: Array<string | Metric>;
  callbacks?: Callback[];
  scheduler?: SchedulerLike;
  /** When `scheduler.step()` is called: after every optimizer step or after every epoch. Default 'epoch'. */
  schedulerStep?: 'batch' | 'epoch';
  /** Batches whose gradients are averaged into one optimizer step. Default 1. */
  accumulateSteps?: number;
  /** Clip the global L2 norm of the gradients to this before each step (`optim.clipGradNorm`). */
  clipGradNorm?: number;
  /**
   * Run forward/backward and the optimizer step through a data-parallel strategy
   * (`parallel.dataParallel` from `@neuralzoo/core/node`); the model and optimizer stay in sync
   * with its replicas. fit sets it up at the start and closes it at the end.
   */
  strategy?: Strategy;
  /** Where progress goes. Default `process.stdout` under Node, nothing in a browser. */
  logger?: Logger;
  /** Called after every batch. */
  onProgress?: (e: ProgressEvent) => void;
  /** Print progress and epoch lines. Default true. */
  verbose?: boolean;
  /** Without a TTY, also print a line every `logEvery` batches. Default: only per epoch. */
  logEvery?: number;
  /**
   * Dispose each batch's tensors after use. Default: true for a DataLoader (its batches are new
   * tensors), false for other sources (which may hand out the same tensors every epoch).
   */
  disposeBatches?: boolean;
}

const LOSSES: LossName[] = ['crossEntropy', 'nllLoss', 'mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'binaryCrossEntropy', 'bceWithLogits', 'klDiv', 'hingeEmbeddingLoss'];

function resolveLoss(loss: LossSpec): (output: unknown, target: unknown) => tf.Tensor {
  if (typeof loss === 'function') return loss;
  const fn = (F as unknown as Record<string, unknown>)[loss];
  if (!LOSSES.includes(loss) || typeof fn !== 'function')
    throw new Error(`fit: unknown loss '${loss}'; pass a function (output, target) => scalar or one of ${LOSSES.join(', ')}`);
  return (output, target) => (fn as (o: unknown, t: unknown) => tf.Tensor)(output, target);
}

function unpack(batch: unknown, where: string): { inputs: unknown[]; target: unknown } {
  if (Array.isArray(batch)) {
    if (batch.length < 2) throw new Error(`${where}: a batch array needs at least [x, y], got ${batch.length} element(s)`);
    return { inputs: batch.slice(0, -1), target: batch[batch.length - 1] };
  }
  if (batch !== null && typeof batch === 'object' && 'x' in batch && 'y' in batch) {
    const b = batch as { x: unknown; y: unknown };
    return { inputs: [b.x], target: b.y };
  }
  throw new Error(`${where}: a batch must be [x, y] or { x, y }`);
}

function batchSize(inputs: unknown[]): number {
  const first = [...collectTensors(inputs)][0];
  return first && first.rank > 0 ? first.shape[0] : 1;
}

function iterate(source: BatchSource, epoch: number): Iterable<unknown> | AsyncIterable<unknown> {
  if (source instanceof DataLoader) {
    source.epoch = epoch;
    return source;
  }
  if (typeof source === 'function') return source();
  return source;
}

function lengthOf(source: BatchSource): number | undefined {
  const n = (source as { length?: unknown }).length;
  return typeof source !== 'function' && typeof n === 'number' ? n : undefined;
}

function scaleGrads(model: Module, factor: number): void {
  for (const p of model.parameters()) {
    if (!p.grad) continue;
    const old = p.grad;
    p.grad = tf.mul(old, factor);
    old.dispose();
  }
}

/**
 * Trains `model` (PyTorch-style loop): for every batch, `backward(() => loss(model(x), y), model)`,
 * then `optimizer.step()` and `optimizer.zeroGrad()` (every `accumulateSteps` batches, gradients
 * averaged). Runs validation after each epoch in `eval()` mode without gradients, steps the
 * scheduler, calls the callbacks and prints progress. Restores the model's train/eval mode at the end.
 *
 * Memory: batches from a DataLoader are disposed after use (see `disposeBatches`); nothing else
 * is kept across batches but the optimizer's own state.
 *
 * ```ts
 * const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 64, shuffle: true });
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 * const history = await train.fit(model, {
 *   train: loader, val: valLoader, loss: 'crossEntropy', optimizer: opt, epochs: 10,
 *   metrics: ['accuracy'], scheduler: new optim.lr.StepLR(opt, 5),
 *   callbacks: [new train.EarlyStopping({ monitor: 'valLoss', patience: 2, restoreBestWeights: true })],
 * });
 * history.val.accuracy; // one value per epoch
 * ```
 */
export async function fit(model: Module, opts: FitOptions): Promise<History> {
  const epochs = opts.epochs;
  const initialEpoch = opts.initialEpoch ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new Error(`fit: initialEpoch must be a non-negative integer, got ${initialEpoch}`);
  const accumulate = opts.accumulateSteps ?? 1;
  if (!Number.isInteger(accumulate) || accumulate < 1) throw new Error(`fit: accumulateSteps must be a positive integer, got ${opts.accumulateSteps}`);
  if (opts.clipGradNorm !== undefined && !(opts.clipGradNorm > 0)) throw new Error(`fit: clipGradNorm must be positive, got ${opts.clipGradNorm}`);
  const schedulerStep = opts.schedulerStep ?? 'epoch';
  if (schedulerStep !== 'batch' && schedulerStep !== 'epoch') throw new Error(`fit: schedulerStep must be 'batch' or 'epoch', got '${schedulerStep}'`);
  if (!opts.optimizer || typeof opts.optimizer.step !== 'function' || typeof opts.optimizer.zeroGrad !== 'function')
    throw new Error('fit: optimizer must have step() and zeroGrad()');
  if (!opts.train) throw new Error('fit: train data is required');

  const lossFn = resolveLoss(opts.loss);
  const metrics = (opts.metrics ?? []).map((m) => (typeof m === 'string' ? createMetric(m) : m));
  const names = new Set(['loss']);
  for (const m of metrics) {
    if (names.has(m.name)) throw new Error(`fit: two metrics are named '${m.name}'`);
    names.add(m.name);
  }
  const callbacks = opts.callbacks ?? [];
  const verbose = opts.verbose ?? true;
  const logger = opts.logger ?? defaultLogger();
  const printer = new ProgressPrinter(logger, { logEvery: opts.logEvery });
  const trainLength = lengthOf(opts.train);
  const disposeTrain = opts.disposeBatches ?? opts.train instanceof DataLoader;
  const disposeVal = opts.disposeBatches ?? opts.val instanceof DataLoader;

  const history: History = { epoch: [], train: {}, val: {}, lr: [] };
  const ctx: TrainContext = {
    model,
    optimizer: opts.optimizer,
    scheduler: opts.scheduler,
    epochs,
    epoch: initialEpoch,
    globalStep: opts.initialStep ?? 0,
    history,
    stopTraining: false,
  };
  const wasTraining = model.training;
  const lossMean = new Mean('loss');

  const strategy = opts.strategy;
  /** `applied`: the strategy already took the step with the batch's forward/backward. */
  const optimizerStep = async (micro: number, applied = false) => {
    if (strategy) {
      if (!applied) await strategy.optimizerStep({ microBatches: micro, clipGradNorm: opts.clipGradNorm });
    } else {
      if (micro > 1) scaleGrads(model, 1 / micro);
      if (opts.clipGradNorm !== undefined) clipGradNorm(model, opts.clipGradNorm);
      opts.optimizer.step();
      opts.optimizer.zeroGrad();
    }
    ctx.globalStep++;
    if (opts.scheduler && schedulerStep === 'batch') opts.scheduler.step();
  };

  try {
    await strategy?.setup({ model, optimizer: opts.optimizer, loss: opts.loss, initialStep: ctx.globalStep });
    for (const cb of callbacks) await cb.onTrainBegin?.(ctx);
    for (let epoch = initialEpoch; epoch < epochs && !ctx.stopTraining; epoch++) {
      ctx.epoch = epoch;
      const lr = opts.optimizer.paramGroups?.[0]?.lr ?? NaN;
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, ctx);
      model.train();
      lossMean.reset();
      for (const m of metrics) m.reset();
      const start = Date.now();
      let batchIndex = 0;
      let micro = 0;
      for await (const batch of iterate(opts.train, epoch) as AsyncIterable<unknown>) {
        let loss: number;
        let size: number;
        try {
          const { inputs, target } = unpack(batch, 'fit');
          size = batchSize(inputs);
          if (strategy) {
            const step = micro + 1 === accumulate ? { microBatches: accumulate, clipGradNorm: opts.clipGradNorm } : undefined;
            const r = await strategy.forwardBackward(inputs, target, { output: metrics.length > 0, step });
            loss = r.loss;
            if (r.output) for (const m of metrics) m.update(r.output, r.target as tf.Tensor);
            r.output?.dispose();
          } else loss = backward(() => {
            const output = model.forward(...inputs);
            const l = lossFn(output, target);
            for (const m of metrics) m.update(output, target as tf.Tensor);
            return l;
          }, model);
        } finally {
          if (disposeTrain) disposeBatch(batch);
        }
        lossMean.add(loss, size);
        micro++;
        if (micro === accumulate) {
          await optimizerStep(micro, strategy !== undefined);
          micro = 0;
        }
        const step = batchIndex + 1;
        const seconds = (Date.now() - start) / 1000;
        const stepsPerSecond = seconds > 0 ? step / seconds : 0;
        const event: ProgressEvent = {
          epoch,
          epochs,
          step,
          total: trainLength,
          loss: lossMean.compute(),
          stepsPerSecond,
          etaSeconds: trainLength !== undefined && stepsPerSecond > 0 ? (trainLength - step) / stepsPerSecond : undefined,
        };
        if (verbose) printer.batch(event);
        opts.onProgress?.(event);
        for (const cb of callbacks) await cb.onBatchEnd?.(batchIndex, { loss, batch: batchIndex, size }, ctx);
        batchIndex++;
        if (ctx.stopTraining) break;
      }
      if (micro > 0) await optimizerStep(micro);
      if (batchIndex === 0) throw new Error(`fit: the training data yielded no batch in epoch ${epoch} (a one-shot iterator? pass a DataLoader, an array or a function returning an iterable)`);

      const trainValues: Record<string, number> = { loss: lossMean.compute() };
      for (const m of metrics) trainValues[m.name] = m.compute();
      const valValues = opts.val ? await evaluateWith(model, opts.val, epoch, lossFn, metrics, disposeVal) : {};
      const logs: EpochLogs = { ...trainValues };
      for (const [k, v] of Object.entries(valValues)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = v;
      logs.lr = lr;
      if (opts.scheduler && schedulerStep === 'epoch') opts.scheduler.step();

      history.epoch.push(epoch);
      history.lr.push(lr);
      for (const [k, v] of Object.entries(trainValues)) (history.train[k] ??= []).push(v);
      for (const [k, v] of Object.entries(valValues)) (history.val[k] ??= []).push(v);
      if (verbose) printer.epochEnd(epoch, epochs, batchIndex, (Date.now() - start) / 1000, logs);
      for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, ctx);
    }
    for (const cb of callbacks) await cb.onTrainEnd?.(ctx);
  } finally {
    model.train(wasTraining);
    await strategy?.close();
  }
  return history;
}

async function evaluateWith(
  model: Module,
  source: BatchSource,
  epoch: number,
  lossFn: (output: unknown, target: unknown) => tf.Tensor,
  metrics: Metric[],
  disposeBatches: boolean,
): Promise<Record<string, number>> {
  const wasTraining = model.training;
  model.eval();
  const mean = new Mean('loss');
  for (const m of metrics) m.reset();
  try {
    for await (const batch of iterate(source, epoch) as AsyncIterable<unknown>) {
      try {
        const { inputs, target } = unpack(batch, 'evaluate');
        const loss = noGrad(() =>
          tf.tidy(() => {
            const output = model.forward(...inputs);
            for (const m of metrics) m.update(output, target as tf.Tensor);
            return lossFn(output, target).dataSync()[0];
          }),
        );
        mean.add(loss, batchSize(inputs));
      } finally {
        if (disposeBatches) disposeBatch(batch);
      }
    }
  } finally {
    model.train(wasTraining);
  }
  const out: Record<string, number> = { loss: mean.compute() };
  for (const m of metrics) out[m.name] = m.compute();
  return out;
}

export interface EvaluateOptions {
  loss: LossSpec;
  metrics?: Array<string | Metric>;
  /** Dispose each batch after use. Default: true for a DataLoader, false otherwise. */
  disposeBatches?: boolean;
}

/** Loss and metrics of `model` over `data`, in eval() mode without gradients: `{ loss, accuracy, … }`. */
export async function evaluate(model: Module, data: BatchSource, opts: EvaluateOptions): Promise<Record<string, number>> {
  const metrics = (opts.metrics ?? []).map((m) => (typeof m === 'string' ? createMetric(m) : m));
  const epoch = data instanceof DataLoader ? data.epoch : 0;
  return evaluateWith(model, data, epoch, resolveLoss(opts.loss), metrics, opts.disposeBatches ?? data instanceof DataLoader);
}
