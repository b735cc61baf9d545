import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { Module } from './module';
import { defaultBias, defaultWeight } from './init';
import { checkLastDim } from './shape';

export interface LinearOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

/** y = x Wᵀ + b (torch.nn.Linear). weight [out, in], bias [out]. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LinearOptions = {},
  ) {
    super();
    checkPositiveInt('Linear', 'inFeatures', inFeatures);
    checkPositiveInt('Linear', 'outFeatures', outFeatures);
    this.weight = this.registerParameter('weight', new Parameter(defaultWeight([outFeatures, inFeatures])));
    this.bias = this.registerParameter('bias', opts.bias ?? true ? new Parameter(defaultBias(outFeatures, inFeatures)) : null);
  }

  /** [..., in] -> [..., out] */
  forward(x: tf.Tensor): tf.Tensor {
    checkLastDim(this, x, this.inFeatures);
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const x2 = x.reshape([-1, this.inFeatures]); // [N, in]
      let y = tf.matMul(x2, this.weight.data, false, true); // [N, out]
      if (this.bias) y = tf.add(y, this.bias.data);
      return y.reshape([...lead, this.outFeatures]);
    });
  }
}

export function checkPositiveInt(layer: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${layer}: ${field} must be a positive integer, got ${value}`);
}
