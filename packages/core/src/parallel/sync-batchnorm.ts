import { tf } from '../tf';
import { noGrad } from '../autograd/backward';
import type { Parameter } from '../autograd/parameter';
import type { Module } from '../nn/module';
import type { Collective } from './collective';

/** What SyncBatchNorm reads of a BatchNorm1d/2d layer (its public fields). */
interface BatchNormLike extends Module {
  numFeatures: number;
  eps: number;
  momentum: number | null;
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: tf.Variable | null;
  runningVar: tf.Variable | null;
  numBatchesTracked: tf.Variable | null;
}

function isBatchNorm(m: Module): m is BatchNormLike {
  const b = m as unknown as Partial<BatchNormLike>;
  return /^BatchNorm\dd$/.test(m.typeName) && typeof b.numFeatures === 'number' && typeof b.eps === 'number' && 'runningMean' in m;
}

/**
 * Sums `t` over replicas; the gradient is summed over replicas too, which is the gradient of the
 * sum of the replicas' (weighted) losses: d(Σ_r L_r)/dt_r = Σ_r' dL_r'/d(Σ t).
 */
export function allReduceSum(t: tf.Tensor, collective: Collective): tf.Tensor {
  const reduce = (x: tf.Tensor): tf.Tensor => {
    const data = Float32Array.from(x.dataSync() as Float32Array);
    collective.allReduce(data, 'sum');
    return tf.tensor(data, x.shape, 'float32');
  };
  const op = tf.customGrad(((x: tf.Tensor) => ({ value: reduce(x), gradFunc: (dy: tf.Tensor) => reduce(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(t) as tf.Tensor;
}

/**
 * Makes every BatchNorm1d/2d of `model` normalise with statistics over all replicas' samples
 * (torch.nn.SyncBatchNorm): batch mean and variance are all-reduced in the forward pass and their
 * gradients in the backward pass, so N replicas on B/N samples compute what one replica computes
 * on B. Running statistics are updated from the global statistics (identical on every replica).
 * Eval mode uses the running statistics as before. Returns the number of layers converted.
 */
export function convertSyncBatchNorm(model: Module, collective: Collective): number {
  let n = 0;
  for (const m of model.modules()) {
    if (!isBatchNorm(m)) continue;
    const local = m.forward.bind(m);
    m.forward = (x: tf.Tensor) => (m.training || !m.runningMean ? syncForward(m, x, collective) : local(x));
    n++;
  }
  return n;
}

/** [..., C] -> same shape, normalised with the statistics of every replica's batch. */
function syncForward(bn: BatchNormLike, x: tf.Tensor, collective: Collective): tf.Tensor {
  const C = bn.numFeatures;
  if (x.shape[x.rank - 1] !== C) throw new Error(`${bn.typeName}: expected ${C} channels in the last dimension, got shape [${x.shape}]`);
  const axes = [...Array(x.rank - 1).keys()];
  return tf.tidy(() => {
    // Two passes (mean, then squared deviations) as tf.moments does, for the same rounding.
    const sums = allReduceSum(tf.concat([tf.sum(x, axes), tf.tensor1d([x.size / C])]), collective); // [C + 1]
    const count = sums.slice([C], [1]).dataSync()[0];
    if (count <= 1) throw new Error(`${bn.typeName}: expected more than 1 value per channel when training, got ${count} over all replicas`);
    const mean = tf.div(sums.slice([0], [C]), count); // [C]
    const centered = tf.sub(x, mean);
    const variance = tf.div(allReduceSum(tf.sum(tf.square(centered), axes), collective), count); // [C], biased
    if (bn.runningMean) updateRunningStats(bn, mean, variance, count);
    let y = tf.mul(centered, tf.rsqrt(tf.add(variance, bn.eps)));
    if (bn.weight) y = tf.mul(y, bn.weight.data);
    if (bn.bias) y = tf.add(y, bn.bias.data);
    return y;
  });
}

/** BatchNorm's update: running = (1 - m)·running + m·batch, with the unbiased batch variance. */
function updateRunningStats(bn: BatchNormLike, mean: tf.Tensor, variance: tf.Tensor, n: number): void {
  noGrad(() =>
    tf.tidy(() => {
      const tracked = bn.numBatchesTracked!;
      tracked.assign(tf.add(tracked, tf.scalar(1, 'int32')));
      const m = bn.momentum ?? 1 / tracked.dataSync()[0];
      const unbiased = tf.mul(variance, n / (n - 1));
      bn.runningMean!.assign(tf.add(tf.mul(bn.runningMean!, 1 - m), tf.mul(mean, m)));
      bn.runningVar!.assign(tf.add(tf.mul(bn.runningVar!, 1 - m), tf.mul(unbiased, m)));
    }),
  );
}
