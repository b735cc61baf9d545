import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';

/** Parameters, or anything that lists them (a Module). */
export type ClipTarget = Parameter | Parameter[] | { parameters(): Parameter[] };

function gradsOf(target: ClipTarget): Parameter[] {
  const params = target instanceof Parameter ? [target] : Array.isArray(target) ? target : target.parameters();
  return params.filter((p) => p.grad !== null);
}

function pNorm(x: tf.Tensor, p: number): tf.Tensor {
  if (p === 2) return tf.sqrt(tf.sum(tf.square(x)));
  if (p === 1) return tf.sum(tf.abs(x));
  return tf.pow(tf.sum(tf.pow(tf.abs(x), p)), 1 / p);
}

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite (grads are left untouched). Default false. */
  errorIfNonfinite?: boolean;
}

/**
 * Scales the gradients in place so that their joint `normType`-norm is at most `maxNorm`
 * (torch.nn.utils.clip_grad_norm_): coef = min(1, maxNorm / (total + 1e-6)). Parameters without
 * a gradient are skipped. `normType` is p > 0 or Infinity (max |g|). Returns the total norm
 * before clipping.
 */
export function clipGradNorm(params: ClipTarget, maxNorm: number, normType = 2, opts: ClipGradNormOptions = {}): number {
  if (!(typeof maxNorm === 'number' && maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(typeof normType === 'number' && normType > 0)) throw new Error(`clipGradNorm: normType must be > 0 or Infinity, got ${normType}`);
  const withGrad = gradsOf(params);
  if (withGrad.length === 0) return 0;
  const total = tf.tidy(() => {
    const grads = withGrad.map((p) => p.grad as tf.Tensor);
    if (normType === Infinity) return tf.max(tf.stack(grads.map((g) => tf.max(tf.abs(g))))).dataSync()[0];
    // torch: the norm of the per-tensor norms
    return pNorm(tf.stack(grads.map((g) => pNorm(g, normType))), normType).dataSync()[0];
  });
  if (opts.errorIfNonfinite && !Number.isFinite(total))
    throw new Error(`clipGradNorm: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped`);
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef < 1 || Number.isNaN(coef)) {
    for (const p of withGrad) {
      const old = p.grad as tf.Tensor;
      p.grad = tf.tidy(() => tf.mul(old, coef));
      old.dispose();
    }
  }
  return total;
}

/** Clamps every gradient element to [-clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_). */
export function clipGradValue(params: ClipTarget, clipValue: number): void {
  if (!(typeof clipValue === 'number' && clipValue >= 0)) throw new Error(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  for (const p of gradsOf(params)) {
    const old = p.grad as tf.Tensor;
    p.grad = tf.tidy(() => tf.clipByValue(old, -clipValue, clipValue));
    old.dispose();
  }
}
