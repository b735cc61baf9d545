import { tf } from '../tf';
import type { Parameter } from '../autograd/parameter';
import { Optimizer, ParamGroup, ParamGroupInput, ParamState, checkNonNegative, checkOption } from './optimizer';

export interface SGDOptions {
  /** Learning rate (>= 0). Default 1e-3 (torch >= 2.0; torch 1.x required it). */
  lr: number;
  /** Momentum factor (>= 0). Default 0. */
  momentum: number;
  /** Dampening of the momentum's gradient term (>= 0). Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient (>= 0). Default 0. */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov: boolean;
  /** Maximise the objective instead. Default false. */
  maximize: boolean;
}

export type SGDGroup = ParamGroup & SGDOptions;

export const SGD_DEFAULTS: Readonly<SGDOptions> = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * Stochastic gradient descent with optional (Nesterov) momentum (torch.optim.SGD):
 * g = grad + weightDecay p; buf = g at the first step, else momentum buf + (1 - dampening) g;
 * p -= lr (nesterov ? g + momentum buf : buf). State: `momentum_buffer` (when momentum > 0).
 */
export class SGD extends Optimizer<SGDGroup> {
  constructor(params: Parameter[] | Array<ParamGroupInput<SGDOptions>>, opts: Partial<SGDOptions> = {}) {
    super('SGD', params, { ...SGD_DEFAULTS, ...opts });
  }

  protected checkOptions(g: SGDGroup): void {
    checkNonNegative('SGD', 'lr', g.lr);
    checkNonNegative('SGD', 'momentum', g.momentum);
    checkNonNegative('SGD', 'dampening', g.dampening);
    checkNonNegative('SGD', 'weightDecay', g.weightDecay);
    checkOption(typeof g.nesterov === 'boolean', 'SGD', 'nesterov', 'a boolean', g.nesterov);
    checkOption(typeof g.maximize === 'boolean', 'SGD', 'maximize', 'a boolean', g.maximize);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0))
      throw new Error(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${g.momentum}, dampening ${g.dampening}`);
  }

  protected initState(): Record<string, tf.Tensor> {
    return {};
  }

  protected update(p: Parameter, grad: tf.Tensor, state: ParamState, g: SGDGroup): tf.Tensor {
    let d = g.maximize ? tf.neg(grad) : grad;
    if (g.weightDecay !== 0) d = tf.add(d, tf.mul(p.data, g.weightDecay));
    if (g.momentum !== 0) {
      const old = state.momentum_buffer;
      // torch starts the buffer at the first gradient, undamped
      const buf = old instanceof tf.Tensor ? tf.add(tf.mul(old, g.momentum), tf.mul(d, 1 - g.dampening)) : tf.clone(d);
      this.setState(state, 'momentum_buffer', buf);
      d = g.nesterov ? tf.add(d, tf.mul(buf, g.momentum)) : buf;
    }
    return tf.sub(p.data, tf.mul(d, g.lr));
  }
}
