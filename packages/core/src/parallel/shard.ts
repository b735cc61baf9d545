/**
 * How a global batch is split across replicas, and how their mean losses are weighted so that N
 * replicas on B/N samples each compute exactly the gradient one replica computes on B samples.
 */

/**
 * Sizes of the `worldSize` shards of a batch of `batchSize` samples: contiguous, as equal as
 * possible, the first `batchSize % worldSize` shards one larger (torch.tensor_split's rule).
 */
export function shardSizes(batchSize: number, worldSize: number): number[] {
  if (!Number.isInteger(batchSize) || batchSize < 0) throw new Error(`shardSizes: batchSize must be a non-negative integer, got ${batchSize}`);
  if (!Number.isInteger(worldSize) || worldSize < 1) throw new Error(`shardSizes: worldSize must be a positive integer, got ${worldSize}`);
  const base = Math.floor(batchSize / worldSize);
  const extra = batchSize % worldSize;
  return Array.from({ length: worldSize }, (_, r) => base + (r < extra ? 1 : 0));
}

/** The half-open sample range [start, end) of shard `rank`. */
export function shardRange(batchSize: number, worldSize: number, rank: number): [number, number] {
  if (!Number.isInteger(rank) || rank < 0 || rank >= worldSize) throw new Error(`shardRange: rank ${rank} is out of range for world size ${worldSize}`);
  const sizes = shardSizes(batchSize, worldSize);
  let start = 0;
  for (let r = 0; r < rank; r++) start += sizes[r];
  return [start, start + sizes[rank]];
}

/**
 * The factor a replica multiplies its mean loss by before `backward`, so that summing the
 * replicas' gradients gives the gradient of the mean loss over the global batch (and over the
 * `accumulateSteps` micro-batches of one optimizer step):
 * Σ_r (n_r / B) · ∇mean_r = ∇ (1/B) Σ_samples loss. A mean over something else than samples
 * (crossEntropy with `ignoreIndex` or class weights) is weighted by samples all the same, as
 * PyTorch's DistributedDataParallel does.
 */
export function lossWeight(shardSize: number, batchSize: number, accumulateSteps = 1): number {
  if (!(batchSize > 0)) throw new Error(`lossWeight: batchSize must be positive, got ${batchSize}`);
  if (!Number.isInteger(accumulateSteps) || accumulateSteps < 1) throw new Error(`accumulateSteps must be a positive integer, got ${accumulateSteps}`);
  return shardSize / batchSize / accumulateSteps;
}
