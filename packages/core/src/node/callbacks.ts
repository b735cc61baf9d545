/** Training callbacks that write files (Node only). */
import * as fs from 'fs';
import * as path from 'path';
import type { Callback, EpochLogs, BatchLogs, TrainContext, MonitorMode } from '../train/callbacks';
import { improves, readMonitor, resolveMode } from '../train/callbacks';
import { saveCheckpoint } from './checkpoint';

export interface ModelCheckpointOptions {
  /** Epoch-log key compared for `saveBestOnly`. Default 'valLoss'. */
  monitor?: string;
  /** Default 'auto' (accuracy-like names: max; others: min). */
  mode?: MonitorMode;
  /** Keep one checkpoint, `<dir>/best`, replaced whenever `monitor` improves. Default false. */
  saveBestOnly?: boolean;
  /** Save every `every` epochs. Default 1. */
  every?: number;
}

/**
 * Saves a checkpoint (model, optimizer, scheduler, RNG, epoch and step; see `io.saveCheckpoint`)
 * at the end of epochs: into `<dir>/epoch_0003` (completed epochs, zero-padded) every `every`
 * epochs, or only into `<dir>/best` when `saveBestOnly`. Resume with
 * `io.loadCheckpoint(dir, …)` then `fit({ initialEpoch: epoch, initialStep: step })`.
 */
export class ModelCheckpoint implements Callback {
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly saveBestOnly: boolean;
  readonly every: number;
  best = NaN;
  /** Directory of the most recent save, or null. */
  lastSaved: string | null = null;

  constructor(
    readonly dir: string,
    opts: ModelCheckpointOptions = {},
  ) {
    this.monitor = opts.monitor ?? 'valLoss';
    this.mode = resolveMode(this.monitor, opts.mode);
    this.saveBestOnly = opts.saveBestOnly ?? false;
    this.every = opts.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new Error(`ModelCheckpoint: every must be a positive integer, got ${opts.every}`);
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): Promise<void> {
    if ((epoch + 1) % this.every !== 0) return;
    let target: string;
    if (this.saveBestOnly) {
      const current = readMonitor(logs, this.monitor, 'ModelCheckpoint');
      if (!improves(current, this.best, this.mode)) return;
      this.best = current;
      target = path.join(this.dir, 'best');
    } else {
      target = path.join(this.dir, `epoch_${String(epoch + 1).padStart(4, '0')}`);
    }
    await saveCheckpoint(target, {
      model: ctx.model,
      optimizer: ctx.optimizer,
      scheduler: ctx.scheduler,
      epoch: epoch + 1,
      step: ctx.globalStep,
      extra: { logs, monitor: this.monitor },
    });
    this.lastSaved = target;
  }
}

export interface MetricsLoggerOptions {
  /** Also write a line every `everySteps` batches. Default: epochs only. */
  everySteps?: number;
  /** Append to an existing file instead of starting a new one. Default false. */
  append?: boolean;
}

/**
 * Writes one JSON object per line (JSONL) to `file`: `{"type":"epoch","epoch":0,"step":12,
 * "time":"…","loss":…,"valLoss":…,"lr":…}` per epoch and, with `everySteps`, `{"type":"batch",…}`.
 * Non-finite values are written as null.
 */
export class MetricsLogger implements Callback {
  private readonly everySteps: number;
  constructor(
    readonly file: string,
    private readonly opts: MetricsLoggerOptions = {},
  ) {
    this.everySteps = opts.everySteps ?? 0;
  }

  private write(record: Record<string, unknown>): void {
    fs.appendFileSync(this.file, JSON.stringify(record, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
  }

  onTrainBegin(): void {
    fs.mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    if (!this.opts.append) fs.writeFileSync(this.file, '');
  }

  onBatchEnd(batch: number, logs: BatchLogs, ctx: TrainContext): void {
    if (this.everySteps && (batch + 1) % this.everySteps === 0)
      this.write({ type: 'batch', epoch: ctx.epoch, batch, step: ctx.globalStep, time: new Date().toISOString(), loss: logs.loss });
  }

  onEpochEnd(epoch: number, logs: EpochLogs, ctx: TrainContext): void {
    this.write({ type: 'epoch', epoch, step: ctx.globalStep, time: new Date().toISOString(), ...logs });
  }
}
