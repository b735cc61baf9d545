import { tf } from '../tf';
import { backward } from '../autograd/backward';
import type { Parameter } from '../autograd/parameter';
import type { Module } from '../nn/module';
import type { Collective } from './collective';

/** What a replica needs of an optimizer: torch.optim's two calls. */
export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
}

/** A loss: (model output, target) → scalar, a mean over the samples (as `F.crossEntropy` gives by default). */
export type LossFn = (output: any, target: any) => tf.Tensor; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The flat vector replicas all-reduce: every trainable parameter's gradient in `parameters()`
 * order, then one "has a gradient" flag per parameter (so that a parameter no replica touched
 * keeps `grad === null` and the optimizer skips it, as on one replica), then the weighted loss.
 */
export class GradLayout {
  readonly offsets: number[];
  /** Number of gradient elements. */
  readonly numel: number;
  /** Length of the flat vector: gradients, flags, loss. */
  readonly length: number;

  constructor(readonly params: Parameter[]) {
    let off = 0;
    this.offsets = params.map((p) => {
      const o = off;
      off += p.size;
      return o;
    });
    this.numel = off;
    this.length = off + params.length + 1;
  }

  /** Writes each parameter's `.grad` (zeros and flag 0 when null) and `loss` into `out`. */
  gather(out: Float32Array, loss: number): void {
    this.params.forEach((p, i) => {
      const off = this.offsets[i];
      if (p.grad) {
        out.set(p.grad.dataSync() as Float32Array, off);
        out[this.numel + i] = 1;
      } else {
        out.fill(0, off, off + p.size);
        out[this.numel + i] = 0;
      }
    });
    out[this.length - 1] = loss;
  }

  /** Replaces each parameter's `.grad` by its slice of `flat` (null where no replica had one). */
  scatter(flat: Float32Array): void {
    this.params.forEach((p, i) => {
      p.zeroGrad();
      if (flat[this.numel + i] === 0) return;
      const off = this.offsets[i];
      // slice: TF.js may keep a reference to the array it is given, and `flat` is reused.
      p.grad = tf.tensor(flat.slice(off, off + p.size), p.shape, 'float32');
    });
  }

  /** `name [shape]` per parameter, to check that two replicas have the same layout. */
  describe(names: string[]): string[] {
    return this.params.map((p, i) => `${names[i]} [${p.shape}]`);
  }
}

/** Buffers (BatchNorm running statistics…) packed into one float32 vector for broadcasting. */
export class BufferLayout {
  readonly buffers: tf.Variable[];
  readonly length: number;

  constructor(buffers: tf.Variable[]) {
    this.buffers = buffers.filter((b) => b.dtype === 'float32' || b.dtype === 'int32');
    this.length = this.buffers.reduce((n, b) => n + b.size, 0);
  }

  gather(out: Float32Array): void {
    let off = 0;
    for (const b of this.buffers) {
      out.set(b.dataSync() as ArrayLike<number>, off);
      off += b.size;
    }
  }

  scatter(flat: Float32Array): void {
    let off = 0;
    for (const b of this.buffers) {
      const values = flat.subarray(off, off + b.size);
      tf.tidy(() => b.assign(tf.tensor(b.dtype === 'int32' ? Int32Array.from(values) : values.slice(), b.shape, b.dtype)));
      off += b.size;
    }
  }
}

export interface ApplyOptions {
  /** Batches whose gradients were accumulated; the sum is divided by it. Default 1. */
  microBatches?: number;
  /** Clip the global L2 norm of the (averaged) gradient to this before the step. */
  clipGradNorm?: number;
}

/**
 * Averages the accumulated gradient over `microBatches` and clips its norm, in place on the flat
 * vector. Plain JS arithmetic on float32 storage: every replica that applies it to the same
 * vector gets the same bits.
 */
export function finishGradient(flat: Float32Array, numel: number, opts: ApplyOptions): void {
  const micro = opts.microBatches ?? 1;
  if (!Number.isInteger(micro) || micro < 1) throw new Error(`microBatches must be a positive integer, got ${opts.microBatches}`);
  if (micro > 1) for (let j = 0; j < numel; j++) flat[j] /= micro;
  if (opts.clipGradNorm !== undefined) {
    let sq = 0;
    for (let j = 0; j < numel; j++) sq += flat[j] * flat[j];
    const coef = opts.clipGradNorm / (Math.sqrt(sq) + 1e-6);
    if (coef < 1) for (let j = 0; j < numel; j++) flat[j] *= coef;
  }
}

export interface ReplicaOptions {
  /**
   * After each optimizer step, copy rank 0's buffers (BatchNorm running statistics) to every
   * replica, as DistributedDataParallel's `broadcast_buffers`, so replicas stay identical when
   * each normalises with its own shard's statistics. Default true.
   */
  broadcastBuffers?: boolean;
}

/**
 * One data-parallel replica: a model, its optimizer, the loss, and the collective that links it
 * to the other replicas. Transport-independent: the threads transport runs one per worker
 * thread; a c10d transport runs one per process.
 */
export class Replica {
  readonly grads: GradLayout;
  readonly bufferLayout: BufferLayout;
  /** The all-reduced vector of the last `reduce()` (gradients, flags, loss). */
  readonly flat: Float32Array;
  private readonly bufferFlat: Float32Array;
  private readonly broadcastBuffers: boolean;
  /** Weighted loss of the last batch (what `reduce` sums over replicas). */
  private lastLoss = 0;

  constructor(
    readonly model: Module,
    readonly optimizer: OptimizerLike,
    readonly loss: LossFn,
    readonly collective: Collective,
    opts: ReplicaOptions = {},
  ) {
    this.grads = new GradLayout(model.parameters().filter((p) => p.requiresGrad));
    this.bufferLayout = new BufferLayout(model.namedBuffers().map(([, b]) => b));
    this.flat = new Float32Array(this.grads.length);
    this.bufferFlat = new Float32Array(this.bufferLayout.length);
    this.broadcastBuffers = opts.broadcastBuffers ?? true;
  }

  /**
   * Forward and backward on this replica's shard: gradients of `weight · loss` accumulate into
   * `.grad`. Returns the shard's (unweighted) mean loss, and its output when `keepOutput` (the
   * caller disposes it). An empty shard adds nothing and returns loss NaN.
   */
  forwardBackward(inputs: tf.Tensor[], target: unknown, weight: number, keepOutput = false): { loss: number; output?: tf.Tensor } {
    this.lastLoss = 0;
    if (!inputs.length || inputs[0].shape[0] === 0) return { loss: NaN };
    let raw = NaN;
    let output: tf.Tensor | undefined;
    backward(() => {
      const out = this.model.forward(...inputs);
      if (keepOutput) output = tf.keep((out as tf.Tensor).clone());
      const l = this.loss(out, target);
      raw = l.dataSync()[0];
      return tf.mul(l, weight);
    }, this.grads.params);
    this.lastLoss = raw * weight;
    return { loss: raw, output };
  }

  /**
   * Sums the accumulated weighted gradients, and the last batch's weighted losses, over replicas
   * into `this.flat`; returns the summed loss (the last global batch's mean loss). Gradients stay
   * in `.grad` until `apply`.
   */
  reduce(): number {
    this.grads.gather(this.flat, this.lastLoss);
    this.collective.allReduce(this.flat, 'sum');
    return this.flat[this.grads.length - 1];
  }

  /**
   * Averages and clips the reduced gradient, applies the optimizer step and clears the
   * gradients. Every replica given the same vector ends with the same parameters.
   */
  apply(flat: Float32Array, opts: ApplyOptions = {}): void {
    applyReduced(this.grads, this.model, this.optimizer, flat, opts);
  }

  /** `reduce`, `apply`, then `syncBuffers`; returns the last global batch's mean loss. */
  step(opts: ApplyOptions = {}): number {
    const loss = this.reduce();
    this.apply(this.flat, opts);
    this.syncBuffers();
    return loss;
  }

  /** Copies rank 0's buffers to every rank (no-op without buffers or with broadcastBuffers off). */
  syncBuffers(): void {
    if (!this.broadcastBuffers || this.bufferLayout.length === 0 || this.collective.worldSize === 1) return;
    this.bufferLayout.gather(this.bufferFlat);
    this.collective.broadcast(this.bufferFlat, 0);
    if (this.collective.rank !== 0) this.bufferLayout.scatter(this.bufferFlat);
  }
}

/**
 * The step every replica takes from the all-reduced vector `flat` (also used by the threads
 * transport's main thread to keep its model in sync): average over micro-batches, clip, set
 * `.grad`, `optimizer.step()`, clear gradients. `flat` is modified in place.
 */
export function applyReduced(layout: GradLayout, model: Module, optimizer: OptimizerLike, flat: Float32Array, opts: ApplyOptions = {}): void {
  finishGradient(flat, layout.numel, opts);
  layout.scatter(flat);
  optimizer.step();
  optimizer.zeroGrad();
  model.zeroGrad();
}
