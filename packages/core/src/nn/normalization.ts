import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { Module } from './module';
import { ones, zeros } from './init';

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
