/**
 * `parallel` of `@neuralzoo/core/node`: the browser-safe `parallel` plus the worker-threads
 * transport. `dataParallel({ workers, transport: 'threads', model })` trains with one replica
 * per worker thread; `dataParallel({ transport: collective })` makes this process one replica of
 * a collective (c10d).
 */
import { dataParallel as collectiveDataParallel, CollectiveDataParallelOptions, Strategy } from '../../parallel/index';
import { ThreadsDataParallel, ThreadsDataParallelOptions } from './threads';

export * from '../../parallel/index';
export { ThreadsDataParallel, WorkerError } from './threads';
export type { ThreadsDataParallelOptions, ThreadsTimings } from './threads';
export type { ModelSource, LossSource, OptimizerSource, ModuleRef } from './protocol';
export { SharedMemoryCollective, CollectiveAborted, allocateSharedMemory, abortSharedMemory } from './shared-memory';
export type { SharedMemoryHandles } from './shared-memory';

/** Synchronous data parallelism for `train.fit({ strategy })` (pinned): worker threads, or a collective transport. */
export function dataParallel(opts: ThreadsDataParallelOptions): ThreadsDataParallel;
export function dataParallel(opts: CollectiveDataParallelOptions): Strategy;
export function dataParallel(opts: ThreadsDataParallelOptions | CollectiveDataParallelOptions): Strategy {
  if (opts.transport === 'threads') return new ThreadsDataParallel(opts as ThreadsDataParallelOptions);
  if ((opts.transport as unknown) === 'c10d') throw new Error("dataParallel: the 'c10d' transport comes with @neuralzoo/backend-torch: import { parallel } from '@neuralzoo/backend-torch'");
  return collectiveDataParallel(opts as CollectiveDataParallelOptions);
}
