/**
 * Activation functions and the few functional layers (dropout, linear) that the modules in `nn`
 * wrap, with torch.nn.functional's semantics and defaults. `dim` arguments accept negative values
 * like PyTorch.
 */
import { tf } from '../tf';
import { defaultGenerator, Generator } from '../autograd/random';
import { noGrad } from '../autograd/backward';

/** max(x, 0) */
export function relu<T extends tf.Tensor>(x: T): T {
  return tf.relu(x);
}

/** x for x > 0, negativeSlope * x otherwise (torch default slope 0.01). */
export function leakyRelu<T extends tf.Tensor>(x: T, negativeSlope = 0.01): T {
  return tf.leakyRelu(x, negativeSlope);
}

/** x for x > 0, alpha * (exp(x) - 1) otherwise. */
export function elu<T extends tf.Tensor>(x: T, alpha = 1): T {
  return tf.tidy(() => {
    // expm1 of min(x, 0): large positive x never reaches exp, so the unused branch cannot overflow
    // into a NaN gradient.
    const neg = tf.mul(tf.expm1(tf.minimum(x, 0)), alpha);
    return tf.where(noGrad(() => tf.greater(x, 0)), x, neg) as T;
  });
}

/** scale * elu(x, alpha) with the self-normalising constants of Klambauer et al. (2017). */
export function selu<T extends tf.Tensor>(x: T): T {
  return tf.selu(x);
}

export interface GeluOptions {
  /** 'none' (default): exact x·Φ(x) with erf; 'tanh': the tanh approximation, like torch. */
  approximate?: 'none' | 'tanh';
}

/** Gaussian error linear unit x·Φ(x) (Hendrycks & Gimpel, 2016). */
export function gelu<T extends tf.Tensor>(x: T, opts: GeluOptions = {}): T {
  const approximate = opts.approximate ?? 'none';
  if (approximate !== 'none' && approximate !== 'tanh')
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got '${approximate}'`);
  return tf.tidy(() => {
    if (approximate === 'tanh') {
      // 0.5 x (1 + tanh(√(2/π) (x + 0.044715 x³)))
      const inner = tf.mul(tf.add(x, tf.mul(tf.mul(x, tf.square(x)), 0.044715)), Math.sqrt(2 / Math.PI));
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1)) as T;
    }
    // 0.5 x (1 + erf(x / √2))
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1)) as T;
  });
}

export function sigmoid<T extends tf.Tensor>(x: T): T {
  return tf.sigmoid(x);
}

export function tanh<T extends tf.Tensor>(x: T): T {
  return tf.tanh(x);
}

/** x·sigmoid(x), a.k.a. swish. */
export function silu<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)) as T);
}

export interface SoftplusOptions {
  /** Sharpness: softplus(x) = log(1 + exp(beta x)) / beta. Default 1. */
  beta?: number;
  /** Above beta·x > threshold the function is the identity, like torch. Default 20. */
  threshold?: number;
}

export function softplus<T extends tf.Tensor>(x: T, opts: SoftplusOptions = {}): T {
  const beta = opts.beta ?? 1;
  const threshold = opts.threshold ?? 20;
  if (!(beta > 0)) throw new Error(`softplus: beta must be > 0, got ${beta}`);
  return tf.tidy(() => {
    const bx = beta === 1 ? x : tf.mul(x, beta);
    // tf.softplus is itself overflow-safe; the threshold only reproduces torch's linear regime.
    const sp = beta === 1 ? tf.softplus(bx) : tf.div(tf.softplus(bx), beta);
    return tf.where(noGrad(() => tf.greater(bx, threshold)), x, sp) as T;
  });
}

/** Normalises a possibly negative dim against rank, naming the function on error. */
function normalizeDim(fn: string, dim: number, rank: number): number {
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank)
    throw new Error(`${fn}: dim ${dim} is out of range for a ${rank}-D tensor (expected ${-rank}..${rank - 1})`);
  return dim < 0 ? dim + rank : dim;
}

/** Applies a last-axis op along `dim` by moving `dim` last and back. */
function alongDim<T extends tf.Tensor>(fn: string, x: T, dim: number, op: (t: tf.Tensor) => tf.Tensor): T {
  if (x.rank === 0) throw new Error(`${fn}: expected at least a 1-D tensor, got a scalar`);
  const d = normalizeDim(fn, dim, x.rank);
  if (d === x.rank - 1) return op(x) as T;
  return tf.tidy(() => {
    const perm = [...Array(x.rank).keys()];
    perm[d] = x.rank - 1;
    perm[x.rank - 1] = d; // a swap is its own inverse
    return tf.transpose(op(tf.transpose(x, perm)), perm) as T;
  });
}

/** exp(x) / sum(exp(x)) along `dim` (default -1). */
export function softmax<T extends tf.Tensor>(x: T, dim = -1): T {
  return alongDim('softmax', x, dim, (t) => tf.softmax(t));
}

/** log(softmax(x)) along `dim` (default -1), computed as x - max - log(sum(exp(x - max))). */
export function logSoftmax<T extends tf.Tensor>(x: T, dim = -1): T {
  return alongDim('logSoftmax', x, dim, (t) => tf.logSoftmax(t));
}

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
 * 1 / (1 - p); the identity otherwise. The mask comes from neuralzoo's seeded generator
 * (`manualSeed` makes it reproducible, identical on every backend).
 */
export function dropout<T extends tf.Tensor>(x: T, p = 0.5, training = true, generator: Generator = defaultGenerator): T {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return tf.clone(x);
  if (p === 1) return tf.zerosLike(x);
  const mask = generator.maskArray(x.size, p, 1 / (1 - p)); // uniformArray(x.size) < p ? 0 : scale
  return tf.tidy(() => tf.mul(x, tf.tensor(mask, x.shape, 'float32')) as T);
}

/** x Wᵀ + b with weight [out, in] (PyTorch layout): [..., in] -> [..., out]. */
export function linear(x: tf.Tensor, weight: tf.Tensor, bias?: tf.Tensor | null): tf.Tensor {
  if (weight.rank !== 2) throw new Error(`linear: weight must be 2-D [out, in], got shape [${weight.shape}]`);
  const [outF, inF] = weight.shape;
  if (x.rank === 0 || x.shape[x.rank - 1] !== inF)
    throw new Error(`linear: input [..., ${inF}] expected for weight [${weight.shape}], got shape [${x.shape}]`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== outF))
    throw new Error(`linear: bias must be [${outF}], got shape [${bias.shape}]`);
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    let y = tf.matMul(x.reshape([-1, inF]), weight, false, true); // [N, in] x [out, in]ᵀ -> [N, out]
    if (bias) y = tf.add(y, bias);
    return y.reshape([...lead, outF]);
  });
}
