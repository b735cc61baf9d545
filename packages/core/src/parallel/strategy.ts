import { tf } from '../tf';
import type { Module } from '../nn/module';
import * as F from '../functional/index';
import type { Collective } from './collective';
import { ApplyOptions, LossFn, Replica } from './replica';
import type { ReplicableOptimizer } from './optimizer-sync';
import { lossWeight, shardRange, shardSizes } from './shard';
import { convertSyncBatchNorm } from './sync-batchnorm';

/** What `train.fit` hands a strategy when training starts. */
export interface StrategyContext {
  /** The main model; the strategy keeps it equal to every replica. */
  model: Module;
  optimizer: ReplicableOptimizer;
  /** fit's `loss`: a function (output, target) → mean loss, or the name of a loss in `F`. */
  loss: LossFn | string;
  /** Optimizer steps taken before this run (when resuming), for error messages. Default 0. */
  initialStep?: number;
}

export interface ForwardBackwardOptions {
  /** Also return the model output (for metrics). Default false. */
  output?: boolean;
  /**
   * Take the optimizer step right after this batch, as `optimizerStep(step)` would (one round
   * trip to the replicas instead of two). Default: no step.
   */
  step?: ApplyOptions;
}

export interface ForwardBackwardResult {
  /** Mean loss over the global batch (weighted by shard sizes). */
  loss: number;
  /** Samples in the global batch. */
  size: number;
  /** With `output`: the model output (the caller disposes it) and the target it pairs with. */
  output?: tf.Tensor;
  target?: unknown;
}

/**
 * How `train.fit` runs a step when given a `strategy`. fit calls `setup` once, then for every
 * batch `forwardBackward` (gradients accumulate in the replicas) and, every `accumulateSteps`
 * batches, `optimizerStep` (all-reduce, average, clip, the same optimizer step on every replica
 * and on the main model), and `close` at the end. Between steps the main model and optimizer
 * equal every replica's, so validation, checkpoints and schedulers work on them unchanged.
 */
export interface Strategy {
  readonly name: string;
  /** Number of replicas. */
  readonly worldSize: number;
  /** Starts the replicas from the main model's and optimizer's current state. */
  setup(ctx: StrategyContext): Promise<void>;
  /** Forward and backward of one global batch `[...inputs, target]`, split across replicas. */
  forwardBackward(inputs: unknown[], target: unknown, opts?: ForwardBackwardOptions): Promise<ForwardBackwardResult>;
  /** All-reduces the accumulated gradients and applies one optimizer step everywhere. */
  optimizerStep(opts?: ApplyOptions): Promise<void>;
  /** Stops the replicas (idempotent). */
  close(): Promise<void>;
}

/** The losses of `F` a replica can rebuild by name. */
export function lossName(loss: LossFn | string): string | undefined {
  const fns = F as unknown as Record<string, unknown>;
  if (typeof loss === 'string') return typeof fns[loss] === 'function' ? loss : undefined;
  return Object.keys(fns).find((k) => fns[k] === loss);
}

/** `F[name]` (called with `options` when given) as a loss function; throws naming the loss when there is none. */
export function lossByName(name: string, options?: Record<string, unknown>): LossFn {
  const fn = (F as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') throw new Error(`unknown loss '${name}': not a function of F`);
  const f = fn as (output: unknown, target: unknown, opts?: unknown) => ReturnType<LossFn>;
  return options ? (output, target) => f(output, target, options) : (output, target) => f(output, target);
}

/**
 * A fingerprint of a model's parameters and buffers (FNV-1a over their float32/int32 bits, in
 * state-dict order): equal fingerprints mean bitwise-equal replicas.
 */
export function stateChecksum(model: Module): string {
  let h = 0x811c9dc5;
  for (const [name, t] of Object.entries(model.stateDict())) {
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const bytes = new Uint8Array(Float32Array.from(t.dataSync() as ArrayLike<number>).buffer);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function rows(t: unknown, start: number, end: number, what: string): unknown {
  if (!(t instanceof tf.Tensor)) throw new Error(`dataParallel: ${what} must be a tensor to be split across replicas`);
  return t.slice([start], [end - start]);
}

export interface CollectiveDataParallelOptions {
  /** The collective linking this process's replica to the others (e.g. a c10d process group). */
  transport: Collective;
  /** All-reduce BatchNorm batch statistics (torch.nn.SyncBatchNorm). Default false: each replica normalises with its own shard. */
  syncBatchNorm?: boolean;
  /** Copy rank 0's buffers to every replica after each step. Default true. */
  broadcastBuffers?: boolean;
}

/**
 * Data parallelism where this process is one replica (SPMD, as torchrun + DistributedDataParallel):
 * every rank runs `fit` over the same global batches and takes its shard of each. Parameters are
 * broadcast from rank 0 at setup. Metrics see this rank's shard only.
 */
export class CollectiveDataParallel implements Strategy {
  readonly name = 'dataParallel';
  readonly worldSize: number;
  private replica: Replica | null = null;

  constructor(private readonly opts: CollectiveDataParallelOptions) {
    if (!opts.transport || typeof opts.transport.allReduce !== 'function') throw new Error('dataParallel: transport must be a Collective (allReduce, broadcast, barrier)');
    this.worldSize = opts.transport.worldSize;
  }

  async setup(ctx: StrategyContext): Promise<void> {
    const collective = this.opts.transport;
    const loss = typeof ctx.loss === 'string' ? lossByName(ctx.loss) : ctx.loss;
    if (this.opts.syncBatchNorm) convertSyncBatchNorm(ctx.model, collective);
    this.replica = new Replica(ctx.model, ctx.optimizer, loss, collective, { broadcastBuffers: this.opts.broadcastBuffers });
    const state = Object.values(ctx.model.stateDict());
    const flat = new Float32Array(state.reduce((n, t) => n + t.size, 0));
    let off = 0;
    for (const t of state) {
      flat.set(t.dataSync() as ArrayLike<number>, off);
      off += t.size;
    }
    collective.broadcast(flat, 0);
    if (collective.rank !== 0) {
      off = 0;
      for (const t of state) {
        const v = t as tf.Variable;
        const values = flat.subarray(off, off + t.size);
        tf.tidy(() => v.assign(tf.tensor(t.dtype === 'int32' ? Int32Array.from(values) : values.slice(), t.shape, t.dtype)));
        off += t.size;
      }
    }
  }

  async forwardBackward(inputs: unknown[], target: unknown, opts: ForwardBackwardOptions = {}): Promise<ForwardBackwardResult> {
    const replica = this.ready();
    const { rank, worldSize } = replica.collective;
    const first = inputs[0];
    if (!(first instanceof tf.Tensor) || first.rank === 0) throw new Error('dataParallel: the first input must be a tensor with a batch dimension');
    const B = first.shape[0];
    if (this.opts.syncBatchNorm && shardSizes(B, worldSize).some((n) => n === 0))
      throw new Error(`dataParallel: a batch of ${B} leaves a replica without samples; syncBatchNorm needs at least ${worldSize}`);
    const [start, end] = shardRange(B, worldSize, rank);
    const shardInputs = inputs.map((x, i) => rows(x, start, end, `input ${i}`) as tf.Tensor);
    const shardTarget = rows(target, start, end, 'the target');
    try {
      const w = lossWeight(end - start, B);
      const r = replica.forwardBackward(shardInputs, shardTarget, w, opts.output);
      const target = opts.output ? (shardTarget as tf.Tensor).clone() : undefined;
      // With a step, the loss is summed over replicas with the gradients.
      if (opts.step) return { loss: replica.step(opts.step), size: B, output: r.output, target };
      const total = new Float32Array([end > start ? r.loss * w : 0]);
      replica.collective.allReduce(total, 'sum');
      return { loss: total[0], size: B, output: r.output, target };
    } finally {
      tf.dispose([...shardInputs, shardTarget as tf.Tensor]);
    }
  }

  async optimizerStep(opts: ApplyOptions = {}): Promise<void> {
    this.ready().step(opts);
  }

  async close(): Promise<void> {
    this.replica = null;
  }

  private ready(): Replica {
    if (!this.replica) throw new Error('dataParallel: setup() has not run (train.fit calls it)');
    return this.replica;
  }
}
