/**
 * Synchronous data parallelism (browser-safe part): the `Collective` interface transports
 * implement, shard and loss-weight math, the transport-independent `Replica`, SyncBatchNorm,
 * and the `Strategy` interface `train.fit({ strategy })` calls. The worker-threads transport is
 * `parallel.dataParallel({ transport: 'threads' })` from `@neuralzoo/core/node`.
 */
import { CollectiveDataParallel, CollectiveDataParallelOptions, Strategy } from './strategy';

export type { Collective, ReduceOp } from './collective';
export { SoloCollective, reduceInto } from './collective';
export { shardSizes, shardRange, lossWeight } from './shard';
export { Replica, GradLayout, BufferLayout, applyReduced, finishGradient } from './replica';
export type { OptimizerLike, LossFn, ReplicaOptions, ApplyOptions } from './replica';
export { convertSyncBatchNorm, allReduceSum } from './sync-batchnorm';
export { CollectiveDataParallel, lossName, lossByName, stateChecksum } from './strategy';
export type { Strategy, StrategyContext, ForwardBackwardOptions, ForwardBackwardResult, CollectiveDataParallelOptions } from './strategy';
export { getHyperparameters, setHyperparameters, groupIndices, packOptimizerState } from './optimizer-sync';
export type { ReplicableOptimizer, Hyperparameters } from './optimizer-sync';
export { pack, unpack, toPayload, fromPayload, slicePayload, transferables } from './payload';
export type { TensorPayload, Packed } from './payload';

/**
 * Data-parallel training strategy for `train.fit({ strategy })` with a collective transport
 * (this process is replica `transport.rank`). For worker threads on one machine use
 * `parallel.dataParallel({ workers, transport: 'threads', model })` from `@neuralzoo/core/node`.
 */
export function dataParallel(opts: CollectiveDataParallelOptions | { transport: 'threads' }): Strategy {
  if ((opts as { transport: unknown }).transport === 'threads')
    throw new Error("dataParallel: the 'threads' transport is Node-only; import { parallel } from '@neuralzoo/core/node'");
  if ((opts as { transport: unknown }).transport === 'c10d')
    throw new Error("dataParallel: the 'c10d' transport comes with @neuralzoo/backend-torch: import { parallel } from '@neuralzoo/backend-torch'");
  return new CollectiveDataParallel(opts as CollectiveDataParallelOptions);
}
