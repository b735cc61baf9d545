import { tf } from '../tf';
import type { Parameter } from '../autograd/parameter';
import { Optimizer, ParamGroup, ParamGroupInput, ParamState, checkNonNegative, checkOption } from './optimizer';

export interface RMSpropOptions {
  /** Learning rate (>= 0). Default 1e-2. */
  lr: number;
  /** Smoothing constant of the squared-gradient average (>= 0). Default 0.99. */
  alpha: number;
  /** Added to the denominator (>= 0). Default 1e-8. */
  eps: number;
  /** L2 penalty added to the gradient (>= 0). Default 0. */
  weightDecay: number;
  /** Momentum factor (>= 0). Default 0. */
  momentum: number;
  /** Normalise by the estimated variance (subtract the squared mean gradient). Default false. */
  centered: boolean;
  /** Maximise the objective instead. Default false. */
  maximize: boolean;
}

export type RMSpropGroup = ParamGroup & RMSpropOptions;

export const RMSPROP_DEFAULTS: Readonly<RMSpropOptions> = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * RMSprop (Hinton's lecture 6e; torch.optim.RMSprop): v = alpha v + (1 - alpha) g^2,
 * p -= lr g / (sqrt(v [- mean(g)^2 if centered]) + eps), optionally through a momentum buffer.
 * State: `square_avg`, `momentum_buffer` (momentum > 0), `grad_avg` (centered).
 */
export class RMSprop extends Optimizer<RMSpropGroup> {
  constructor(params: Parameter[] | Array<ParamGroupInput<RMSpropOptions>>, opts: Partial<RMSpropOptions> = {}) {
    super('RMSprop', params, { ...RMSPROP_DEFAULTS, ...opts });
  }

  protected checkOptions(g: RMSpropGroup): void {
    checkNonNegative('RMSprop', 'lr', g.lr);
    checkNonNegative('RMSprop', 'alpha', g.alpha);
    checkNonNegative('RMSprop', 'eps', g.eps);
    checkNonNegative('RMSprop', 'weightDecay', g.weightDecay);
    checkNonNegative('RMSprop', 'momentum', g.momentum);
    checkOption(typeof g.centered === 'boolean', 'RMSprop', 'centered', 'a boolean', g.centered);
    checkOption(typeof g.maximize === 'boolean', 'RMSprop', 'maximize', 'a boolean', g.maximize);
  }

  protected initState(p: Parameter, g: RMSpropGroup): Record<string, tf.Tensor> {
    const s: Record<string, tf.Tensor> = { square_avg: tf.zerosLike(p.data) };
    if (g.momentum > 0) s.momentum_buffer = tf.zerosLike(p.data);
    if (g.centered) s.grad_avg = tf.zerosLike(p.data);
    return s;
  }

  protected update(p: Parameter, grad: tf.Tensor, state: ParamState, g: RMSpropGroup): tf.Tensor {
    let d = g.maximize ? tf.neg(grad) : grad;
    if (g.weightDecay !== 0) d = tf.add(d, tf.mul(p.data, g.weightDecay));
    const sq = tf.add(tf.mul(state.square_avg as tf.Tensor, g.alpha), tf.mul(tf.square(d), 1 - g.alpha));
    this.setState(state, 'square_avg', sq);
    let avg: tf.Tensor;
    if (g.centered) {
      const prev = state.grad_avg instanceof tf.Tensor ? state.grad_avg : tf.zerosLike(p.data);
      const ga = tf.add(tf.mul(prev, g.alpha), tf.mul(d, 1 - g.alpha));
      this.setState(state, 'grad_avg', ga);
      avg = tf.sqrt(tf.sub(sq, tf.square(ga)));
    } else {
      avg = tf.sqrt(sq);
    }
    avg = tf.add(avg, g.eps);
    if (g.momentum > 0) {
      const prev = state.momentum_buffer instanceof tf.Tensor ? state.momentum_buffer : tf.zerosLike(p.data);
      const buf = tf.add(tf.mul(prev, g.momentum), tf.div(d, avg));
      this.setState(state, 'momentum_buffer', buf);
      return tf.sub(p.data, tf.mul(buf, g.lr));
    }
    return tf.sub(p.data, tf.mul(tf.div(d, avg), g.lr));
  }
}
