import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { Module } from './module';
import { ones, zeros } from './init';
import { noGrad } from '../autograd/backward';
import { checkChannelsLast } from './conv';

export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Learn a per-element scale (and bias when `bias`). Default true. */
  elementwiseAffine?: boolean;
  /** Learn an additive bias (only with `elementwiseAffine`). Default true. */
  bias?: boolean;
}

/**
 * Layer normalisation over the trailing `normalizedShape` dims (torch.nn.LayerNorm):
 * y = (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;

  constructor(normalizedShape: number | number[], opts: LayerNormOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0 || this.normalizedShape.some((d) => !Number.isInteger(d) || d <= 0))
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got [${this.normalizedShape}]`);
    this.eps = opts.eps ?? 1e-5;
    if (!(this.eps > 0)) throw new Error(`LayerNorm: eps must be > 0, got ${this.eps}`);
    const affine = opts.elementwiseAffine ?? true;
    this.weight = this.registerParameter('weight', affine ? new Parameter(ones(this.normalizedShape)) : null);
    this.bias = this.registerParameter('bias', affine && (opts.bias ?? true) ? new Parameter(zeros(this.normalizedShape)) : null);
  }

  /** [..., *normalizedShape] -> same shape */
  forward(x: tf.Tensor): tf.Tensor {
    const k = this.normalizedShape.length;
    if (x.rank < k || !tf.util.arraysEqual(x.shape.slice(x.rank - k), this.normalizedShape))
      throw new Error(`LayerNorm: expected input [..., ${this.normalizedShape.join(', ')}] (normalizedShape), got shape [${x.shape}]`);
    return tf.tidy(() => {
      const axes = [...Array(k).keys()].map((i) => x.rank - k + i);
      const { mean, variance } = tf.moments(x, axes, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight) y = tf.mul(y, this.weight.data);
      if (this.bias) y = tf.add(y, this.bias.data);
      return y;
    });
  }
}

export interface BatchNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /**
   * Weight of the new batch in the running statistics: running = (1 - momentum)·running +
   * momentum·batch. null: cumulative average over all batches seen. Default 0.1.
   */
  momentum?: number | null;
  /** Learn a per-channel scale and bias. Default true. */
  affine?: boolean;
  /** Keep running_mean/running_var (used in eval mode). Default true; false: always batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over every axis but the last (channels last), torch.nn.BatchNormNd
 * numerics: the batch variance normalises (biased), the running variance is updated with the
 * unbiased one; eval mode uses the running statistics.
 */
abstract class BatchNormBase extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly weight: Parameter | null;
  readonly bias: Parameter | null;
  readonly runningMean: tf.Variable | null;
  readonly runningVar: tf.Variable | null;
  readonly numBatchesTracked: tf.Variable | null;

  constructor(
    readonly numFeatures: number,
    opts: BatchNormOptions,
  ) {
    super();
    const name = this.typeName;
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new Error(`${name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = opts.eps ?? 1e-5;
    if (!(this.eps > 0)) throw new Error(`${name}: eps must be > 0, got ${this.eps}`);
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    if (this.momentum !== null && !(this.momentum >= 0 && this.momentum <= 1))
      throw new Error(`${name}: momentum must be in [0, 1] or null, got ${this.momentum}`);
    const affine = opts.affine ?? true;
    this.weight = this.registerParameter('weight', affine ? new Parameter(ones([numFeatures])) : null);
    this.bias = this.registerParameter('bias', affine ? new Parameter(zeros([numFeatures])) : null);
    const track = opts.trackRunningStats ?? true;
    // tidy disposes each initial value (a variable holds its own reference to the data)
    const buffer = (init: () => tf.Tensor) => tf.tidy(() => tf.variable(init(), false));
    this.runningMean = track ? this.registerBuffer('running_mean', buffer(() => tf.zeros([numFeatures]))) : null;
    this.runningVar = track ? this.registerBuffer('running_var', buffer(() => tf.ones([numFeatures]))) : null;
    this.numBatchesTracked = track ? this.registerBuffer('num_batches_tracked', buffer(() => tf.scalar(0, 'int32'))) : null;
  }

  /** Input check of the concrete layer (rank and layout). */
  protected abstract checkInput(x: tf.Tensor): void;

  /** [..., C] -> same shape */
  forward(x: tf.Tensor): tf.Tensor {
    this.checkInput(x);
    const C = this.numFeatures;
    if (x.shape[x.rank - 1] !== C) throw new Error(`${this.typeName}: expected ${C} channels in the last dimension, got shape [${x.shape}]`);
    const useBatch = this.training || !this.runningMean;
    const axes = [...Array(x.rank - 1).keys()];
    const n = x.size / C;
    if (useBatch && n <= 1) throw new Error(`${this.typeName}: expected more than 1 value per channel when training, got input shape [${x.shape}]`);
    return tf.tidy(() => {
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      if (useBatch) {
        ({ mean, variance } = tf.moments(x, axes)); // [C], biased
        if (this.training && this.runningMean) this.updateRunningStats(mean, variance, n);
      } else {
        mean = this.runningMean!;
        variance = this.runningVar!;
      }
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.eps)));
      if (this.weight) y = tf.mul(y, this.weight.data);
      if (this.bias) y = tf.add(y, this.bias.data);
      return y;
    });
  }

  private updateRunningStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    noGrad(() =>
      tf.tidy(() => {
        const tracked = this.numBatchesTracked!;
        tracked.assign(tf.add(tracked, tf.scalar(1, 'int32')));
        const m = this.momentum ?? 1 / tracked.dataSync()[0];
        const unbiased = tf.mul(variance, n / (n - 1));
        this.runningMean!.assign(tf.add(tf.mul(this.runningMean!, 1 - m), tf.mul(mean, m)));
        this.runningVar!.assign(tf.add(tf.mul(this.runningVar!, 1 - m), tf.mul(unbiased, m)));
      }),
    );
  }
}

/** BatchNorm over [B, C] or [B, L, C] (torch.nn.BatchNorm1d with channels last). */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts);
  }

  protected checkInput(x: tf.Tensor): void {
    if (x.rank !== 2 && x.rank !== 3)
      throw new Error(`${this.typeName}: expected a 2-D [batch, channels] or 3-D [batch, length, channels] input, got shape [${x.shape}]`);
    if (x.rank === 3 && x.shape[2] !== this.numFeatures && x.shape[1] === this.numFeatures)
      throw new Error(
        `${this.typeName}: expected [batch, length, ${this.numFeatures}] (channels last), got shape [${x.shape}] (this looks like torch's [batch, channels, length])`,
      );
  }
}

/** BatchNorm over NHWC images (torch.nn.BatchNorm2d with channels last). */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, opts: BatchNormOptions = {}) {
    super(numFeatures, opts);
  }

  protected checkInput(x: tf.Tensor): void {
    checkChannelsLast(this.typeName, x, 4, this.numFeatures);
  }
}
