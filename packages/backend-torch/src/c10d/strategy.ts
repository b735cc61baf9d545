/**
 * `parallel.dataParallel({ transport: 'c10d' })`: this process is one rank of a c10d process
 * group (SPMD, as torchrun + DistributedDataParallel); every rank runs `train.fit` over the same
 * global batches, takes its shard of each, and all-reduces gradients through Gloo (or NCCL).
 */
import { parallel as coreParallel } from '@neuralzoo/core/node';
import { C10dCollective, initProcessGroup, ProcessGroupOptions, RankError, resolveOptions } from './process-group';

type Strategy = coreParallel.Strategy;
type StrategyContext = coreParallel.StrategyContext;
type ForwardBackwardOptions = coreParallel.ForwardBackwardOptions;
type ForwardBackwardResult = coreParallel.ForwardBackwardResult;
type ApplyOptions = coreParallel.ApplyOptions;

export interface C10dDataParallelOptions extends ProcessGroupOptions {
  transport: 'c10d';
  /** All-reduce BatchNorm batch statistics (torch.nn.SyncBatchNorm). Default false. */
  syncBatchNorm?: boolean;
  /** Copy rank 0's buffers to every rank after each step (DDP's broadcast_buffers). Default true. */
  broadcastBuffers?: boolean;
  /** A group connected already; default: this process's default group (`initProcessGroup` with the options above). */
  group?: C10dCollective;
}

/**
 * Data parallelism over a c10d process group. Errors: a rank that throws (a bad shard, out of
 * memory) reports it to every rank, and every rank's `fit` rejects with the same
 * `RankError: dataParallel: rank R failed at step S: …` (S counts optimizer steps from the start of
 * training, as the threads transport does).
 */
export class C10dDataParallel implements Strategy {
  readonly name = 'dataParallel';
  readonly worldSize: number;
  private readonly groupOptions: ProcessGroupOptions;
  private group: C10dCollective | null = null;
  private inner: coreParallel.CollectiveDataParallel | null = null;
  private initialStep = 0;
  private steps = 0;

  constructor(private readonly opts: C10dDataParallelOptions) {
    if (opts.transport !== 'c10d') throw new Error(`C10dDataParallel: transport must be 'c10d', got '${String(opts.transport)}'`);
    const { transport: _t, syncBatchNorm: _s, broadcastBuffers: _b, group, ...groupOptions } = opts;
    this.groupOptions = groupOptions;
    // Settings are checked now (a missing RANK fails before any training starts).
    this.worldSize = group ? group.worldSize : resolveOptions(groupOptions).worldSize;
  }

  /** This process's collective (after `setup`). */
  get collective(): C10dCollective | null {
    return this.group;
  }

  async setup(ctx: StrategyContext): Promise<void> {
    const group = this.opts.group ?? (await initProcessGroup(this.groupOptions));
    this.group = group;
    this.initialStep = ctx.initialStep ?? 0;
    this.steps = 0;
    group.step = this.initialStep + 1;
    const inner = new coreParallel.CollectiveDataParallel({ transport: group, syncBatchNorm: this.opts.syncBatchNorm, broadcastBuffers: this.opts.broadcastBuffers });
    await this.guard(() => inner.setup(ctx));
    this.inner = inner;
  }

  async forwardBackward(inputs: unknown[], target: unknown, opts: ForwardBackwardOptions = {}): Promise<ForwardBackwardResult> {
    const inner = this.ready();
    const r = await this.guard(() => inner.forwardBackward(inputs, target, opts));
    if (opts.step) this.advance();
    return r;
  }

  async optimizerStep(opts: ApplyOptions = {}): Promise<void> {
    const inner = this.ready();
    await this.guard(() => inner.optimizerStep(opts));
    this.advance();
  }

  /** Ends this run; the process group stays open for the next `fit` (close it with `destroyProcessGroup`). */
  async close(): Promise<void> {
    await this.inner?.close();
    this.inner = null;
  }

  private advance(): void {
    this.steps++;
    if (this.group) this.group.step = this.initialStep + this.steps + 1;
  }

  private ready(): coreParallel.CollectiveDataParallel {
    if (!this.inner) throw new Error('dataParallel: setup() has not run (train.fit calls it)');
    return this.inner;
  }

  /** Runs `fn`; a local error is reported to every rank and comes back as the run's RankError. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof RankError || !this.group) throw e;
      throw this.group.reportFailure(e);
    }
  }
}
