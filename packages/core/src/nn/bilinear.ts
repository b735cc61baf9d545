import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { Module } from './module';
import { uniform } from './init';
import { checkPositiveInt } from './linear';

export interface BilinearOptions {
  /** Learn an additive bias. Default true. */
  bias?: boolean;
}

/**
 * y_k = x1ᵀ A_k x2 + b_k (torch.nn.Bilinear). weight [out, in1, in2], bias [out], both
 * U(±1/√in1) like torch.
 */
export class Bilinear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    opts: BilinearOptions = {},
  ) {
    super();
    checkPositiveInt('Bilinear', 'in1Features', in1Features);
    checkPositiveInt('Bilinear', 'in2Features', in2Features);
    checkPositiveInt('Bilinear', 'outFeatures', outFeatures);
    const bound = 1 / Math.sqrt(in1Features);
    this.weight = this.registerParameter('weight', new Parameter(uniform([outFeatures, in1Features, in2Features], -bound, bound)));
    this.bias = this.registerParameter('bias', opts.bias ?? true ? new Parameter(uniform([outFeatures], -bound, bound)) : null);
  }

  /** [..., in1], [..., in2] -> [..., out] (same leading dims) */
  forward(x1: tf.Tensor, x2: tf.Tensor): tf.Tensor {
    const [i1, i2, o] = [this.in1Features, this.in2Features, this.outFeatures];
    if (x1.rank === 0 || x1.shape[x1.rank - 1] !== i1 || x2.rank === 0 || x2.shape[x2.rank - 1] !== i2 || !tf.util.arraysEqual(x1.shape.slice(0, -1), x2.shape.slice(0, -1)))
      throw new Error(`${this.typeName}: expected inputs [..., ${i1}] and [..., ${i2}] with the same leading dims, got shapes [${x1.shape}] and [${x2.shape}]`);
    return tf.tidy(() => {
      const lead = x1.shape.slice(0, -1);
      const a = x1.reshape([-1, i1]); // [N, in1]
      const b = x2.reshape([-1, 1, i2]); // [N, 1, in2]
      const w = this.weight.data.transpose([1, 0, 2]).reshape([i1, o * i2]); // [in1, out·in2]
      const t = tf.matMul(a, w).reshape([-1, o, i2]); // x1ᵀ A_k for every k: [N, out, in2]
      let y = tf.sum(tf.mul(t, b), 2); // [N, out]
      if (this.bias) y = tf.add(y, this.bias.data);
      return y.reshape([...lead, o]);
    });
  }
}
