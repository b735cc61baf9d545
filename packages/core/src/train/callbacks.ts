import { tf } from '../tf';
import type { Module, StateDict } from '../nn/module';
import type { OptimizerLike, SchedulerLike } from './types';

/** Per-epoch values `fit` returns: train values under their metric names, validation values likewise. */
export interface History {
  /** The 0-based epochs that ran. */
  epoch: number[];
  /** 'loss' and each metric, one value per epoch. */
  train: Record<string, number[]>;
  /** The same for the validation data (empty without `val`). */
  val: Record<string, number[]>;
  /** Learning rate of the first param group at the start of each epoch. */
  lr: number[];
}

/**
 * One epoch's values as callbacks see them: `loss`, each metric by name, `valLoss` and
 * `val<Metric>` for validation ('valAccuracy'), and `lr`.
 */
export type EpochLogs = Record<string, number>;

export interface BatchLogs {
  /** Loss of this batch. */
  loss: number;
  /** 0-based index of the batch in its epoch. */
  batch: number;
  /** Number of samples in it (first dimension of the input, 1 when unknown). */
  size: number;
}

/** What callbacks may read (and `stopTraining`, which they may set). */
export interface TrainContext {
  model: Module;
  optimizer: OptimizerLike;
  scheduler?: SchedulerLike;
  epochs: number;
  /** The current 0-based epoch. */
  epoch: number;
  /** Optimizer steps taken so far (over all epochs, including `initialStep`). */
  globalStep: number;
  history: History;
  /** Set to true to stop after the current batch. */
  stopTraining: boolean;
}

/** Hooks into `fit` (Keras-style). Every hook may be async; `fit` awaits it. */
export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: BatchLogs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: EpochLogs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(ctx: TrainContext): void | Promise<void>;
}

export type MonitorMode = 'min' | 'max' | 'auto';

/** 'max' for accuracy-like names (accuracy, AUC, F1, precision, recall), 'min' otherwise. */
export function resolveMode(monitor: string, mode: MonitorMode = 'auto'): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new Error(`mode must be 'min', 'max' or 'auto', got '${mode}'`);
  return /acc|auc|f1|precision|recall/i.test(monitor) ? 'max' : 'min';
}

/** Reads `monitor` from epoch logs, naming the available keys when it is missing. */
export function readMonitor(logs: EpochLogs, monitor: string, who: string): number {
  const v = logs[monitor];
  if (typeof v !== 'number') throw new Error(`${who}: monitored value '${monitor}' is not in the epoch logs (${Object.keys(logs).join(', ')})`);
  return v;
}

/** Whether `current` beats `best` by more than `minDelta` in direction `mode`. */
export function improves(current: number, best: number, mode: 'min' | 'max', minDelta = 0): boolean {
  return mode === 'min' ? current < best - minDelta : current > best + minDelta;
}

export interface EarlyStoppingOptions {
  /** Epoch-log key to watch. Default 'valLoss'. */
  monitor?: string;
  /** Epochs without improvement after which training stops (Keras: 0 and 1 both stop at the first). Default 0. */
  patience?: number;
  /** Smallest change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Default 'auto' (see `resolveMode`). */
  mode?: MonitorMode;
  /** Load the best epoch's weights back into the model when training ends. Default false. */
  restoreBestWeights?: boolean;
}

/** Stops training when `monitor` has not improved for `patience` epochs (Keras' EarlyStopping). */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly mode: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  best = NaN;
  bestEpoch = -1;
  /** The epoch training stopped at, or -1. */
  stoppedEpoch = -1;
  private wait = 0;
  private snapshot: StateDict | null = null;

  constructor(opts: EarlyStoppingOptions = {}) {
    this.monitor = opts.monitor ?? 'valLoss';
    this.patience = opts.patience ?? 0;
    this.minDelta = Math.abs(opts.minDelta ?? 0);
    this.mode = resolveMode(this.monitor, opts.mode);
    this.restoreBestWeights = opts.restoreBestWeights ?? false;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${opts.patience}`);
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.bestEpoch = -1;
    this.stoppedEpoch = -1;
    this.wait = 0;
    this.dropSnapshot();
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    const current = readMonitor(logs, this.monitor, 'EarlyStopping');
    if (improves(current, this.best, this.mode, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.dropSnapshot();
        const sd = ctx.model.stateDict();
        this.snapshot = Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, tf.clone(t)]));
      }
      return;
    }
    this.wait++;
    if (this.wait >= this.patience) {
      this.stoppedEpoch = epoch;
      ctx.stopTraining = true;
    }
  }

  onTrainEnd(ctx: TrainContext): void {
    if (this.snapshot && this.bestEpoch !== ctx.epoch) ctx.model.loadStateDict(this.snapshot);
    this.dropSnapshot();
  }

  private dropSnapshot(): void {
    if (this.snapshot) tf.dispose(Object.values(this.snapshot));
    this.snapshot = null;
  }
}

/** A callback from plain functions. */
export class LambdaCallback implements Callback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
}
