import { tf } from '../tf';
import type { Parameter } from '../autograd/parameter';
import { fusedOpsAvailable, hasFusedKernel } from '../backend/raw';
import { ADAM_UPDATE_KERNEL, adamUpdate } from '../backend/optim';
import { Optimizer, ParamGroup, ParamGroupInput, ParamState, checkNonNegative, checkOption } from './optimizer';

export interface AdamOptions {
  /** Learning rate (>= 0). Default 1e-3. */
  lr: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1). Default [0.9, 0.999]. */
  betas: [number, number];
  /** Added to the denominator (>= 0). Default 1e-8. */
  eps: number;
  /** Adam: L2 penalty added to the gradient; AdamW: decoupled decay rate. Default 0 (AdamW 0.01). */
  weightDecay: number;
  /** Use the maximum of past second moments (Reddi et al., 2018). Default false. */
  amsgrad: boolean;
  /** Maximise the objective instead. Default false. */
  maximize: boolean;
}

export type AdamGroup = ParamGroup & AdamOptions;

export const ADAM_DEFAULTS: Readonly<AdamOptions> = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
export const ADAMW_DEFAULTS: Readonly<AdamOptions> = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/** The fused update runs natively where the backend has the kernel, else in JS on host-memory backends. */
const fusedAdam = () => hasFusedKernel(ADAM_UPDATE_KERNEL) || fusedOpsAvailable();

function checkAdam(name: string, g: AdamGroup): void {
  checkNonNegative(name, 'lr', g.lr);
  checkNonNegative(name, 'eps', g.eps);
  checkNonNegative(name, 'weightDecay', g.weightDecay);
  checkOption(Array.isArray(g.betas) && g.betas.length === 2, name, 'betas', 'a pair [beta1, beta2]', g.betas);
  g.betas.forEach((b, i) => checkOption(typeof b === 'number' && b >= 0 && b < 1, name, `betas[${i}]`, 'in [0, 1)', b));
  checkOption(typeof g.amsgrad === 'boolean', name, 'amsgrad', 'a boolean', g.amsgrad);
  checkOption(typeof g.maximize === 'boolean', name, 'maximize', 'a boolean', g.maximize);
}

/**
 * Adam (Kingma & Ba, 2015; torch.optim.Adam): weightDecay is an L2 term added to the gradient.
 * State: `exp_avg`, `exp_avg_sq` (and `max_exp_avg_sq` with amsgrad).
 */
export class Adam extends Optimizer<AdamGroup> {
  constructor(params: Parameter[] | Array<ParamGroupInput<AdamOptions>>, opts: Partial<AdamOptions> = {}, name = 'Adam', defaults: AdamOptions = ADAM_DEFAULTS) {
    super(name, params, { ...defaults, ...opts, betas: (opts.betas ?? defaults.betas).slice() as [number, number] });
  }

  protected checkOptions(g: AdamGroup): void {
    checkAdam(this.name, g);
  }

  protected initState(p: Parameter, g: AdamGroup): Record<string, tf.Tensor> {
    const s: Record<string, tf.Tensor> = { exp_avg: tf.zerosLike(p.data), exp_avg_sq: tf.zerosLike(p.data) };
    if (g.amsgrad) s.max_exp_avg_sq = tf.zerosLike(p.data);
    return s;
  }

  /** The moment updates and step shared by Adam and AdamW, applied to parameter value `p`. */
  protected adamStep(p: tf.Tensor, grad: tf.Tensor, state: ParamState, g: AdamGroup): tf.Tensor {
    const [beta1, beta2] = g.betas;
    const m = tf.add(tf.mul(state.exp_avg as tf.Tensor, beta1), tf.mul(grad, 1 - beta1));
    const v = tf.add(tf.mul(state.exp_avg_sq as tf.Tensor, beta2), tf.mul(tf.square(grad), 1 - beta2));
    this.setState(state, 'exp_avg', m);
    this.setState(state, 'exp_avg_sq', v);
    const bias1 = 1 - beta1 ** state.step;
    const bias2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    let second = v;
    if (g.amsgrad) {
      const prev = state.max_exp_avg_sq instanceof tf.Tensor ? state.max_exp_avg_sq : tf.zerosLike(v);
      second = tf.maximum(prev, v);
      this.setState(state, 'max_exp_avg_sq', second);
    }
    const denom = tf.add(tf.div(tf.sqrt(second), bias2Sqrt), g.eps);
    return tf.sub(p, tf.mul(tf.div(m, denom), g.lr / bias1));
  }

  /**
   * The whole update as one fused op on host-memory backends (cpu, wasm, torch: backend/optim.ts),
   * the same arithmetic as `adamStep` with its preprocessing.
   */
  protected fusedStep(p: Parameter, grad: tf.Tensor, state: ParamState, g: AdamGroup, decoupled: boolean): tf.Tensor {
    const [beta1, beta2] = g.betas;
    const vmax = state.max_exp_avg_sq instanceof tf.Tensor ? state.max_exp_avg_sq : null;
    const r = adamUpdate(p.data, grad, state.exp_avg as tf.Tensor, state.exp_avg_sq as tf.Tensor, vmax, {
      lr: g.lr, beta1, beta2, eps: g.eps, step: state.step, weightDecay: g.weightDecay, decoupled, amsgrad: g.amsgrad, maximize: g.maximize,
    });
    this.setState(state, 'exp_avg', r.m);
    this.setState(state, 'exp_avg_sq', r.v);
    if (r.vmax) this.setState(state, 'max_exp_avg_sq', r.vmax);
    return r.p;
  }

  protected update(p: Parameter, grad: tf.Tensor, state: ParamState, g: AdamGroup): tf.Tensor {
    if (fusedAdam()) return this.fusedStep(p, grad, state, g, false);
    let d = g.maximize ? tf.neg(grad) : grad;
    if (g.weightDecay !== 0) d = tf.add(d, tf.mul(p.data, g.weightDecay));
    return this.adamStep(p.data, d, state, g);
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019; torch.optim.AdamW): Adam with decoupled weight decay,
 * p *= 1 - lr weightDecay before the Adam step. Default weightDecay 0.01.
 */
export class AdamW extends Adam {
  constructor(params: Parameter[] | Array<ParamGroupInput<AdamOptions>>, opts: Partial<AdamOptions> = {}) {
    super(params, opts, 'AdamW', ADAMW_DEFAULTS);
  }

  protected override update(p: Parameter, grad: tf.Tensor, state: ParamState, g: AdamGroup): tf.Tensor {
    if (fusedAdam()) return this.fusedStep(p, grad, state, g, true);
    const d = g.maximize ? tf.neg(grad) : grad;
    const decayed = g.weightDecay !== 0 ? tf.mul(p.data, 1 - g.lr * g.weightDecay) : p.data;
    return this.adamStep(decayed, d, state, g);
  }
}
