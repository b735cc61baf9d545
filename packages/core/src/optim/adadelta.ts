import { tf } from '../tf';
import type { Parameter } from '../autograd/parameter';
import { Optimizer, ParamGroup, ParamGroupInput, ParamState, checkNonNegative, checkOption } from './optimizer';

export interface AdadeltaOptions {
  /** Scales the computed delta (>= 0). Default 1. */
  lr: number;
  /** Decay of the running averages, in [0, 1]. Default 0.9. */
  rho: number;
  /** Added inside the square roots (>= 0). Default 1e-6. */
  eps: number;
  /** L2 penalty added to the gradient (>= 0). Default 0. */
  weightDecay: number;
  /** Maximise the objective instead. Default false. */
  maximize: boolean;
}

export type AdadeltaGroup = ParamGroup & AdadeltaOptions;

export const ADADELTA_DEFAULTS: Readonly<AdadeltaOptions> = { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false };

/**
 * Adadelta (Zeiler, 2012; torch.optim.Adadelta): v = rho v + (1 - rho) g^2,
 * delta = sqrt(u + eps) / sqrt(v + eps) g, u = rho u + (1 - rho) delta^2, p -= lr delta.
 * State: `square_avg`, `acc_delta`.
 */
export class Adadelta extends Optimizer<AdadeltaGroup> {
  constructor(params: Parameter[] | Array<ParamGroupInput<AdadeltaOptions>>, opts: Partial<AdadeltaOptions> = {}) {
    super('Adadelta', params, { ...ADADELTA_DEFAULTS, ...opts });
  }

  protected checkOptions(g: AdadeltaGroup): void {
    checkNonNegative('Adadelta', 'lr', g.lr);
    checkOption(typeof g.rho === 'number' && g.rho >= 0 && g.rho <= 1, 'Adadelta', 'rho', 'in [0, 1]', g.rho);
    checkNonNegative('Adadelta', 'eps', g.eps);
    checkNonNegative('Adadelta', 'weightDecay', g.weightDecay);
    checkOption(typeof g.maximize === 'boolean', 'Adadelta', 'maximize', 'a boolean', g.maximize);
  }

  protected initState(p: Parameter): Record<string, tf.Tensor> {
    return { square_avg: tf.zerosLike(p.data), acc_delta: tf.zerosLike(p.data) };
  }

  protected update(p: Parameter, grad: tf.Tensor, state: ParamState, g: AdadeltaGroup): tf.Tensor {
    let d = g.maximize ? tf.neg(grad) : grad;
    if (g.weightDecay !== 0) d = tf.add(d, tf.mul(p.data, g.weightDecay));
    const sq = tf.add(tf.mul(state.square_avg as tf.Tensor, g.rho), tf.mul(tf.square(d), 1 - g.rho));
    const std = tf.sqrt(tf.add(sq, g.eps));
    const delta = tf.mul(tf.div(tf.sqrt(tf.add(state.acc_delta as tf.Tensor, g.eps)), std), d);
    const acc = tf.add(tf.mul(state.acc_delta as tf.Tensor, g.rho), tf.mul(tf.square(delta), 1 - g.rho));
    this.setState(state, 'square_avg', sq);
    this.setState(state, 'acc_delta', acc);
    return tf.sub(p.data, tf.mul(delta, g.lr));
  }
}
