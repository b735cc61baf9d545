import { tf } from '../tf';
import type { Module } from '../nn/module';
import { Parameter } from './parameter';

/** What `backward` differentiates with respect to. */
export type GradTarget = Module | Parameter | Parameter[];

function toParams(target: GradTarget): Parameter[] {
  if (target instanceof Parameter) return [target];
  if (Array.isArray(target)) return target;
  return target.parameters();
}

/**
 * Runs `fn` (which must return a scalar loss), adds d(loss)/d(param) into each parameter's
 * `.grad` (accumulating like PyTorch's `loss.backward()`), and returns the loss value.
 * Parameters the loss does not depend on keep their `.grad` unchanged. Intermediate tensors are
 * freed; only the gradients survive, so this may be called inside `tf.tidy`.
 */
export function backward(fn: () => tf.Scalar | tf.Tensor, target: GradTarget): number {
  const params = toParams(target).filter((p) => p.requiresGrad);
  if (params.length === 0) throw new Error('backward: no parameter requires a gradient');
  let lossValue = NaN;
  const grads = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const loss = fn();
      if (!(loss instanceof tf.Tensor)) throw new Error('backward: fn must return a tf.Tensor');
      if (loss.size !== 1) throw new Error(`backward: loss must be a scalar, got shape [${loss.shape}]`);
      return loss.reshape([]) as tf.Scalar;
    }, params.map((p) => p.data));
    lossValue = value.dataSync()[0];
    return params.map((p) => grads[p.data.name] ?? null);
  });
  params.forEach((p, i) => {
    const g = grads[i];
    if (g === null) return;
    if (p.grad === null) {
      p.grad = tf.keep(g);
    } else {
      const old = p.grad;
      p.grad = tf.keep(tf.add(old, g));
      old.dispose();
      g.dispose();
    }
  });
  return lossValue;
}

interface EngineState {
  gradientDepth: number;
}

/**
 * Runs `fn` without recording operations for gradients (PyTorch's `torch.no_grad()`): tensors it
 * returns are constants for any enclosing `backward`.
 */
export function noGrad<T>(fn: () => T): T {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  const depth = state.gradientDepth;
  state.gradientDepth = 0;
  try {
    return fn();
  } finally {
    state.gradientDepth = depth;
  }
}
