/**
 * `parallel` of @neuralzoo/backend-torch: `dataParallel` with the `'c10d'` transport added to
 * core's (`'threads'` and a `Collective` go to `@neuralzoo/core/node`'s `parallel.dataParallel`).
 */
import { parallel as coreParallel } from '@neuralzoo/core/node';
import { C10dDataParallel, C10dDataParallelOptions } from './strategy';

export { C10dDataParallel, RankError, C10dCollective, initProcessGroup, destroyProcessGroup } from './index';
export type { C10dDataParallelOptions, ProcessGroupOptions } from './index';

/**
 * Synchronous data parallelism for `train.fit({ strategy })` (pinned): `transport: 'c10d'` makes
 * this process one rank of a c10d process group met through MASTER_ADDR/MASTER_PORT/RANK/WORLD_SIZE
 * (start the ranks with `neuralzoo launch --nproc N -- <command>` or torchrun).
 */
export function dataParallel(opts: C10dDataParallelOptions): C10dDataParallel;
export function dataParallel(opts: coreParallel.ThreadsDataParallelOptions): coreParallel.ThreadsDataParallel;
export function dataParallel(opts: coreParallel.CollectiveDataParallelOptions): coreParallel.Strategy;
export function dataParallel(opts: C10dDataParallelOptions | coreParallel.ThreadsDataParallelOptions | coreParallel.CollectiveDataParallelOptions): coreParallel.Strategy {
  if (opts.transport === 'c10d') return new C10dDataParallel(opts as C10dDataParallelOptions);
  if (opts.transport === 'threads') return coreParallel.dataParallel(opts as coreParallel.ThreadsDataParallelOptions);
  return coreParallel.dataParallel(opts as coreParallel.CollectiveDataParallelOptions);
}
