/** Messages and start-up data between the threads transport's main thread and its workers. */
import type { Hyperparameters } from '../../parallel/optimizer-sync';
import type { Packed, TensorPayload } from '../../parallel/payload';
import type { SharedMemoryHandles } from './shared-memory';

/** A module export: a path (absolute, relative to the working directory, or a package name) and an export name. */
export interface ModuleRef {
  module: string;
  export: string;
}

/**
 * How a worker rebuilds the model: a registry name (with config), or a module export called
 * with `args` (a class is constructed with `new`).
 */
export type ModelSource = string | { name: string; config?: unknown } | (ModuleRef & { args?: unknown[] });

/** How a worker rebuilds the optimizer: a class of core's `optim` by name, or a module export called as `new C(params | groups, options)`. */
export type OptimizerSource = { name: string } | ModuleRef;

/**
 * How a worker rebuilds the loss: a loss of `F` by name (with options, e.g. labelSmoothing), or a
 * module export `(output, target) => scalar`.
 */
export type LossSource = string | { name: string; options?: Record<string, unknown> } | ModuleRef;

export interface WorkerConfig {
  rank: number;
  worldSize: number;
  shared: SharedMemoryHandles;
  /** Rank 0 copies the reduced gradient vector, then its buffers, here for the main thread. */
  mirror: SharedArrayBuffer;
  backend: string;
  cwd: string;
  imports: string[];
  model: ModelSource;
  /** Domain of the registry entry on the main thread, to import `@neuralzoo/<domain>` when `imports` is empty. */
  domain?: string;
  seed: number;
  state: Record<string, TensorPayload>;
  optimizer: {
    source: OptimizerSource;
    /** Per param group: indices into `model.parameters()` and the options. */
    groups: Array<{ indices: number[]; hyper: Hyperparameters[number] }>;
    /** The main optimizer's `defaults` (constructor options), when it has them. */
    defaults?: Record<string, unknown>;
    /** The main optimizer's state dict, packed (null when it has none). */
    state: Packed;
  };
  loss: LossSource;
  syncBatchNorm: boolean;
  broadcastBuffers: boolean;
  /** `name [shape]` of each trainable parameter on the main thread. */
  layout: string[];
  /** Names of the main model's frozen parameters (requiresGrad false), frozen in the replicas too. */
  frozen: string[];
}

export type ToWorker =
  | {
      type: 'fb';
      seq: number;
      step: number;
      inputs: Packed[];
      target: Packed;
      weight: number;
      output: boolean;
      /** Take the optimizer step right after (then only rank 0 answers, with 'reduced', unless `output`). */
      apply?: { hyper: Hyperparameters; microBatches: number; clipGradNorm?: number };
    }
  | { type: 'step'; seq: number; step: number; hyper: Hyperparameters; microBatches: number; clipGradNorm?: number }
  | { type: 'checksum'; seq: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; rank: number }
  | { type: 'fb'; rank: number; seq: number; loss: number; output?: TensorPayload; /** time the worker spent on it */ ms: number }
  | { type: 'reduced'; rank: number; seq: number }
  | { type: 'step'; rank: number; seq: number; ms: number }
  | { type: 'checksum'; rank: number; seq: number; checksum: string }
  | { type: 'aborted'; rank: number; seq: number }
  | { type: 'error'; rank: number; seq: number; step: number; message: string; stack?: string };
