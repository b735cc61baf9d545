import * as path from 'path';
import type { ResourceLimits, Worker } from 'worker_threads';
import { tf } from '../../tf';
import { backendInfo, BackendName } from '../../backend/init';
import type { Module } from '../../nn/module';
import { registry } from '../../registry/index';
import * as optim from '../../optim/index';
import { ApplyOptions, BufferLayout, GradLayout, applyReduced } from '../../parallel/replica';
import { getHyperparameters, groupIndices, packOptimizerState, ReplicableOptimizer } from '../../parallel/optimizer-sync';
import { TensorPayload, fromPayload, pack } from '../../parallel/payload';
import { lossWeight, shardSizes } from '../../parallel/shard';
import { ForwardBackwardOptions, ForwardBackwardResult, Strategy, StrategyContext, lossName, stateChecksum } from '../../parallel/strategy';
import { SharedMemoryHandles, abortSharedMemory, allocateSharedMemory } from './shared-memory';
import type { FromWorker, LossSource, ModelSource, ModuleRef, OptimizerSource, ToWorker, WorkerConfig } from './protocol';
import { spawnWorker } from './spawn';

export interface ThreadsDataParallelOptions {
  /** Worker threads, one model replica each (1 to the number of cores is sensible). */
  workers: number;
  transport: 'threads';
  /**
   * How each worker rebuilds the model: a registry name (`'lenet5'`), `{ name, config }`, or a
   * module export `{ module, export, args }` (a class is constructed, a function called). The
   * replicas then load the main model's state, so they start from it exactly.
   */
  model: ModelSource;
  /**
   * Modules each worker imports before building the model (the domain packages whose models
   * register themselves). Default: `@neuralzoo/<domain>` of the main thread's registry entry.
   */
  imports?: string[];
  /** Seed for building the replicas (their parameters are then overwritten). Default 0. */
  seed?: number;
  /** All-reduce BatchNorm batch statistics (torch.nn.SyncBatchNorm). Default false: each replica normalises with its own shard and rank 0's running statistics are kept. */
  syncBatchNorm?: boolean;
  /** Copy rank 0's buffers to every replica after each step (DDP's broadcast_buffers). Default true. */
  broadcastBuffers?: boolean;
  /** The loss for the workers, needed when fit's loss is a function that is not one of `F`'s (e.g. `{ name: 'crossEntropy', options: { labelSmoothing: 0.1 } }`). */
  loss?: LossSource;
  /** The optimizer class for the workers, needed when fit's optimizer is not one of `optim`'s. */
  optimizer?: OptimizerSource;
  /** The workers' backend. Default: the main thread's. Each worker computes with one thread. */
  backend?: BackendName;
  /** Heap limits of each worker thread (worker_threads' resourceLimits); a worker past them fails the run. */
  resourceLimits?: ResourceLimits;
}

/** Raised when a replica fails: names the worker and the optimizer step (1-based, counted from the start of training). */
export class WorkerError extends Error {
  constructor(
    readonly rank: number,
    readonly step: number,
    message: string,
    cause?: unknown,
  ) {
    super(`dataParallel: worker ${rank} failed at step ${step}: ${message}`, cause === undefined ? undefined : { cause });
    this.name = 'WorkerError';
  }
}

/** Where the time of the steps so far went (milliseconds, summed over steps). */
export interface ThreadsTimings {
  /** Batches through forwardBackward, and optimizer steps. */
  batches: number;
  steps: number;
  /** Main thread: splitting batches into shards and posting them. */
  shardMs: number;
  /** forwardBackward from post to the last reply. */
  forwardBackwardMs: number;
  /** The slowest worker's forward/backward time, per batch. */
  workerForwardBackwardMs: number;
  /** optimizerStep from post to the last reply. */
  stepMs: number;
  /** The slowest worker's reduce + optimizer step, per step. */
  workerStepMs: number;
  /** The main model's own optimizer step. */
  mainApplyMs: number;
}

interface Waiter {
  resolve(m: FromWorker): void;
  reject(e: Error): void;
}

/** The optimizer's constructor options (`Optimizer.defaults`), when it has them as plain data. */
function plainDefaults(opt: ReplicableOptimizer): Record<string, unknown> | undefined {
  const d = (opt as { defaults?: unknown }).defaults;
  if (d === null || typeof d !== 'object') return undefined;
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v === null || ['number', 'boolean', 'string'].includes(typeof v) || Array.isArray(v)));
}

function absolute(spec: string): string {
  return spec.startsWith('.') ? path.resolve(process.cwd(), spec) : spec;
}

function absoluteRef<T extends ModuleRef>(ref: T): T {
  return { ...ref, module: absolute(ref.module) };
}

/** Rows of `t` per shard, each with its own buffer (transferred, not copied, to the worker). */
function shardPayloads(t: unknown, sizes: number[], what: string): TensorPayload[] {
  if (!(t instanceof tf.Tensor) || t.rank === 0) throw new Error(`dataParallel: ${what} must be a tensor with a batch dimension`);
  if (t.dtype === 'string' || t.dtype === 'complex64') throw new Error(`dataParallel: ${what} is a ${t.dtype} tensor, which cannot be sent to a worker`);
  const values = t.dataSync() as Float32Array | Int32Array | Uint8Array;
  const row = t.size / t.shape[0];
  let start = 0;
  return sizes.map((n) => {
    const data = values.slice(start * row, (start + n) * row);
    start += n;
    return { data, shape: [n, ...t.shape.slice(1)], dtype: t.dtype as TensorPayload['dtype'] };
  });
}

/**
 * Synchronous data parallelism over worker threads of this process. Each worker holds a replica
 * (rebuilt from `model`, then loaded with the main model's state); each global batch is split
 * into contiguous shards, one per worker; gradients are all-reduced through SharedArrayBuffer
 * (see `SharedMemoryCollective`) and every replica — and the main model — applies the same
 * optimizer step, so they stay bitwise identical.
 */
export class ThreadsDataParallel implements Strategy {
  readonly name = 'dataParallel(threads)';
  readonly worldSize: number;
  private workers: Worker[] = [];
  private readonly waiters = new Map<string, Waiter>();
  private ctx: StrategyContext | null = null;
  private grads: GradLayout | null = null;
  private buffers: BufferLayout | null = null;
  private shared: SharedMemoryHandles | null = null;
  private mirror: Float32Array | null = null;
  private failure: Error | null = null;
  private closing = false;
  private seq = 0;
  private stepsDone = 0;
  private initialStep = 0;
  /** Where the time went since setup (for benchmarks). */
  readonly timings: ThreadsTimings = { batches: 0, steps: 0, shardMs: 0, forwardBackwardMs: 0, workerForwardBackwardMs: 0, stepMs: 0, workerStepMs: 0, mainApplyMs: 0 };

  constructor(private readonly opts: ThreadsDataParallelOptions) {
    if (!Number.isInteger(opts.workers) || opts.workers < 1) throw new Error(`dataParallel: workers must be a positive integer, got ${opts.workers}`);
    if (opts.transport !== 'threads') throw new Error(`dataParallel: unknown transport '${String(opts.transport)}'; expected 'threads'`);
    if (opts.model === undefined) throw new Error("dataParallel: 'model' is required: a registry name or { module, export } the workers rebuild the model from");
    this.worldSize = opts.workers;
  }

  /** The optimizer step in progress (1-based). */
  private get step(): number {
    return this.initialStep + this.stepsDone + 1;
  }

  async setup(ctx: StrategyContext): Promise<void> {
    if (this.workers.length) throw new Error('dataParallel: setup() already ran; close() the strategy before reusing it');
    this.failure = null;
    this.closing = false;
    this.stepsDone = 0;
    for (const k of Object.keys(this.timings) as Array<keyof ThreadsTimings>) this.timings[k] = 0;
    this.initialStep = ctx.initialStep ?? 0;
    const loss = this.opts.loss ?? lossName(ctx.loss);
    if (loss === undefined)
      throw new Error("dataParallel: fit's loss is a custom function the workers cannot rebuild; pass dataParallel({ loss: { module, export } }) or use a loss of F by name");
    const optimizerSource = this.opts.optimizer ?? this.optimizerClass(ctx.optimizer);
    const model = ctx.model;
    const params = model.parameters();
    const trainable = model.namedParameters().filter(([, p]) => p.requiresGrad);
    this.grads = new GradLayout(trainable.map(([, p]) => p));
    this.buffers = new BufferLayout(model.namedBuffers().map(([, b]) => b));
    const capacity = Math.min(Math.max(this.grads.length, this.buffers.length, 1024), 1 << 22);
    this.shared = allocateSharedMemory(this.worldSize, capacity);
    const mirror = new SharedArrayBuffer((this.grads.length + this.buffers.length) * 4);
    this.mirror = new Float32Array(mirror);
    const source = this.opts.model;
    const name = typeof source === 'string' ? source : 'name' in source ? source.name : undefined;
    const modelSource = typeof source === 'string' || 'name' in source ? source : absoluteRef(source);
    const hyper = getHyperparameters(ctx.optimizer);
    const indices = ctx.optimizer.paramGroups ? groupIndices(ctx.optimizer, params) : [params.map((_, i) => i)];
    const base: Omit<WorkerConfig, 'rank'> = {
      worldSize: this.worldSize,
      shared: this.shared,
      mirror,
      backend: this.opts.backend ?? backendInfo().name,
      cwd: process.cwd(),
      imports: (this.opts.imports ?? []).map(absolute),
      model: modelSource,
      domain: name !== undefined && registry.has(name) ? registry.get(name).domain : undefined,
      seed: this.opts.seed ?? 0,
      state: Object.fromEntries(Object.entries(pack(model.stateDict()) as Record<string, { __tensor: TensorPayload }>).map(([k, v]) => [k, v.__tensor])),
      optimizer: {
        source: optimizerSource,
        groups: indices.map((ix, g) => ({ indices: ix, hyper: hyper[g] ?? {} })),
        defaults: plainDefaults(ctx.optimizer),
        state: packOptimizerState(ctx.optimizer),
      },
      loss: typeof loss === 'string' || 'name' in loss ? loss : absoluteRef(loss),
      syncBatchNorm: this.opts.syncBatchNorm ?? false,
      broadcastBuffers: this.opts.broadcastBuffers ?? true,
      layout: this.grads.describe(trainable.map(([n]) => n)),
      frozen: model.namedParameters().filter(([, p]) => !p.requiresGrad).map(([n]) => n),
    };
    this.ctx = ctx;
    const ready: Promise<FromWorker>[] = [];
    for (let rank = 0; rank < this.worldSize; rank++) {
      ready.push(this.expect(rank, 'ready', 0));
      const w = spawnWorker(__dirname, 'worker', { ...base, rank } as unknown as Record<string, unknown>, { resourceLimits: this.opts.resourceLimits });
      w.on('message', (m: FromWorker) => this.onMessage(m));
      w.on('error', (e: Error) => this.fail(new WorkerError(rank, this.step, e.message, e)));
      w.on('exit', (code: number) => {
        if (!this.closing) this.fail(new WorkerError(rank, this.step, `the worker thread exited (code ${code})`));
      });
      this.workers.push(w);
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  async forwardBackward(inputs: unknown[], target: unknown, opts: ForwardBackwardOptions = {}): Promise<ForwardBackwardResult> {
    this.ready();
    const first = inputs[0];
    if (!(first instanceof tf.Tensor) || first.rank === 0) throw new Error('dataParallel: the first input must be a tensor with a batch dimension');
    const B = first.shape[0];
    const sizes = shardSizes(B, this.worldSize);
    if (this.opts.syncBatchNorm && sizes.some((n) => n === 0))
      throw new Error(`dataParallel: a batch of ${B} leaves a worker without samples; syncBatchNorm needs at least ${this.worldSize} per batch`);
    const t0 = performance.now();
    const xs = inputs.map((x, i) => shardPayloads(x, sizes, `input ${i}`));
    const ys = shardPayloads(target, sizes, 'the target');
    const seq = ++this.seq;
    const step = opts.step;
    const apply = step ? { hyper: getHyperparameters(this.ctx!.optimizer), microBatches: step.microBatches ?? 1, clipGradNorm: step.clipGradNorm } : undefined;
    // With a step, the loss comes with the reduced gradients: workers answer per batch only for outputs.
    const replies = !apply || opts.output ? sizes.map((_, r) => this.expect(r, 'fb', seq)) : [];
    const stepped = step ? this.finishStep(seq, step) : undefined;
    stepped?.catch(() => undefined); // awaited below, unless a forward/backward reply fails first
    sizes.forEach((n, r) => {
      const shardInputs = xs.map((x) => ({ __tensor: x[r] }));
      const msg: ToWorker = { type: 'fb', seq, step: this.step, inputs: shardInputs, target: { __tensor: ys[r] }, weight: lossWeight(n, B), output: opts.output ?? false, apply };
      this.workers[r].postMessage(msg, [...xs.map((x) => x[r].data.buffer as ArrayBuffer), ys[r].data.buffer as ArrayBuffer]);
    });
    const t1 = performance.now();
    const results = (await Promise.all(replies)) as Array<Extract<FromWorker, { type: 'fb' }>>;
    let loss = 0;
    results.forEach((m, r) => {
      if (sizes[r] > 0) loss += lossWeight(sizes[r], B) * m.loss;
    });
    if (stepped) loss = await stepped;
    const tm = this.timings;
    tm.batches++;
    tm.shardMs += t1 - t0;
    tm.forwardBackwardMs += performance.now() - t1;
    if (results.length) tm.workerForwardBackwardMs += Math.max(...results.map((m) => m.ms));
    let output: tf.Tensor | undefined;
    if (opts.output) {
      const parts = results.filter((m) => m.output).map((m) => fromPayload(m.output!));
      output = parts.length === 1 ? parts[0] : tf.concat(parts);
      if (parts.length > 1) tf.dispose(parts);
    }
    return { loss, size: B, output, target: opts.output ? target : undefined };
  }

  async optimizerStep(opts: ApplyOptions = {}): Promise<void> {
    this.ready();
    const seq = ++this.seq;
    const done = this.finishStep(seq, opts);
    const msg: ToWorker = { type: 'step', seq, step: this.step, hyper: getHyperparameters(this.ctx!.optimizer), microBatches: opts.microBatches ?? 1, clipGradNorm: opts.clipGradNorm };
    for (const w of this.workers) w.postMessage(msg);
    await done;
  }

  /**
   * The main thread's side of step `seq`: waits for rank 0's reduced vector and takes the same
   * optimizer step (while the workers take theirs); with buffers (BatchNorm statistics), also
   * waits for every worker and copies rank 0's. Returns the global batch's loss. Without buffers
   * nothing else is awaited: each worker handles its messages in order, and a failure in its
   * step fails the next call.
   */
  private async finishStep(seq: number, opts: ApplyOptions): Promise<number> {
    const reduced = this.expect(0, 'reduced', seq);
    const buffers = this.buffers!;
    const stepped = buffers.length ? this.workers.map((_, r) => this.expect(r, 'step', seq)) : [];
    const t0 = performance.now();
    await reduced;
    const grads = this.grads!;
    const ctx = this.ctx!;
    const t1 = performance.now();
    const flat = this.mirror!.slice(0, grads.length);
    const loss = flat[grads.length - 1];
    applyReduced(grads, ctx.model, ctx.optimizer, flat, opts);
    const tm = this.timings;
    tm.mainApplyMs += performance.now() - t1;
    const done = (await Promise.all(stepped)) as Array<Extract<FromWorker, { type: 'step' }>>;
    if (buffers.length) buffers.scatter(this.mirror!.subarray(grads.length, grads.length + buffers.length));
    tm.steps++;
    tm.stepMs += performance.now() - t0;
    if (done.length) tm.workerStepMs += Math.max(...done.map((m) => m.ms));
    this.stepsDone++;
    return loss;
  }

  /** Each worker's `stateChecksum` of its replica (for tests: equal to the main model's when in sync). */
  async checksums(): Promise<string[]> {
    this.ready();
    const seq = ++this.seq;
    const replies = this.workers.map((_, r) => this.expect(r, 'checksum', seq));
    for (const w of this.workers) w.postMessage({ type: 'checksum', seq } satisfies ToWorker);
    return ((await Promise.all(replies)) as Array<Extract<FromWorker, { type: 'checksum' }>>).map((m) => m.checksum);
  }

  /** `stateChecksum` of the main model. */
  mainChecksum(): string {
    if (!this.ctx) throw new Error('dataParallel: setup() has not run');
    return stateChecksum(this.ctx.model);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.shared && !this.failure) abortSharedMemory(this.shared, -1);
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
    for (const [, w] of this.waiters) w.reject(this.failure ?? new Error('dataParallel: closed'));
    this.waiters.clear();
    this.ctx = null;
  }

  private optimizerClass(opt: ReplicableOptimizer): OptimizerSource {
    const own = (opt as { name?: unknown }).name;
    const name = typeof own === 'string' ? own : (opt as object).constructor?.name;
    if (typeof (optim as Record<string, unknown>)[name] !== 'function' || !(opt instanceof (optim as unknown as Record<string, new (...a: never[]) => object>)[name]))
      throw new Error(`dataParallel: the workers cannot rebuild the optimizer ${name || '(anonymous)'}: pass dataParallel({ optimizer: { module, export } }) or use one of optim's`);
    return { name };
  }

  private ready(): void {
    if (this.failure) throw this.failure;
    if (!this.ctx || !this.workers.length) throw new Error('dataParallel: setup() has not run (train.fit calls it)');
  }

  private expect(rank: number, type: FromWorker['type'], seq: number): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.set(`${rank}:${type}:${seq}`, { resolve, reject }));
  }

  private onMessage(m: FromWorker): void {
    if (m.type === 'error') {
      this.fail(new WorkerError(m.rank, m.seq < 0 ? this.step : m.step, m.seq < 0 ? `could not start: ${m.message}` : m.message, Object.assign(new Error(m.message), { stack: m.stack })));
      return;
    }
    if (m.type === 'aborted') return; // the failing worker reports the cause
    const key = `${m.rank}:${m.type}:${m.type === 'ready' ? 0 : m.seq}`;
    const w = this.waiters.get(key);
    this.waiters.delete(key);
    w?.resolve(m);
  }

  private fail(e: Error): void {
    if (this.failure || this.closing) return;
    this.failure = e;
    if (this.shared) abortSharedMemory(this.shared, -1);
    for (const [, w] of this.waiters) w.reject(e);
    this.waiters.clear();
  }
}

/** `parallel.dataParallel({ workers, transport: 'threads', model })`: see `ThreadsDataParallel`. */
export function threadsDataParallel(opts: ThreadsDataParallelOptions): ThreadsDataParallel {
  return new ThreadsDataParallel(opts);
}

export type { ModelSource, LossSource, OptimizerSource, ModuleRef, Module };
