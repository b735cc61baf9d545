import { tf } from '../tf';
import type { Parameter } from '../autograd/parameter';
import { Optimizer, ParamGroup, ParamGroupInput, ParamState, checkNonNegative, checkOption } from './optimizer';

export interface AdagradOptions {
  /** Learning rate (>= 0). Default 1e-2. */
  lr: number;
  /** The step size is lr / (1 + (step - 1) lrDecay) (>= 0). Default 0. */
  lrDecay: number;
  /** L2 penalty added to the gradient (>= 0). Default 0. */
  weightDecay: number;
  /** Starting value of the squared-gradient sum (>= 0). Default 0. */
  initialAccumulatorValue: number;
  /** Added to the denominator (>= 0). Default 1e-10. */
  eps: number;
  /** Maximise the objective instead. Default false. */
  maximize: boolean;
}

export type AdagradGroup = ParamGroup & AdagradOptions;

export const ADAGRAD_DEFAULTS: Readonly<AdagradOptions> = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * Adagrad (Duchi et al., 2011; torch.optim.Adagrad): sum += g^2,
 * p -= lr / (1 + (step - 1) lrDecay) g / (sqrt(sum) + eps). State: `sum`.
 */
export class Adagrad extends Optimizer<AdagradGroup> {
  constructor(params: Parameter[] | Array<ParamGroupInput<AdagradOptions>>, opts: Partial<AdagradOptions> = {}) {
    super('Adagrad', params, { ...ADAGRAD_DEFAULTS, ...opts });
  }

  protected checkOptions(g: AdagradGroup): void {
    checkNonNegative('Adagrad', 'lr', g.lr);
    checkNonNegative('Adagrad', 'lrDecay', g.lrDecay);
    checkNonNegative('Adagrad', 'weightDecay', g.weightDecay);
    checkNonNegative('Adagrad', 'initialAccumulatorValue', g.initialAccumulatorValue);
    checkNonNegative('Adagrad', 'eps', g.eps);
    checkOption(typeof g.maximize === 'boolean', 'Adagrad', 'maximize', 'a boolean', g.maximize);
  }

  protected initState(p: Parameter, g: AdagradGroup): Record<string, tf.Tensor> {
    return { sum: tf.fill(p.shape, g.initialAccumulatorValue) };
  }

  protected update(p: Parameter, grad: tf.Tensor, state: ParamState, g: AdagradGroup): tf.Tensor {
    let d = g.maximize ? tf.neg(grad) : grad;
    if (g.weightDecay !== 0) d = tf.add(d, tf.mul(p.data, g.weightDecay));
    const clr = g.lr / (1 + (state.step - 1) * g.lrDecay);
    const sum = tf.add(state.sum as tf.Tensor, tf.square(d));
    this.setState(state, 'sum', sum);
    return tf.sub(p.data, tf.mul(tf.div(d, tf.add(tf.sqrt(sum), g.eps)), clr));
  }
}
