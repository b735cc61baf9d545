/**
 * Fused optimizer updates on host-memory backends (see raw.ts): one pass over a parameter's
 * values instead of ~12 elementwise engine ops, each of which allocates a tensor (and, on wasm
 * with several threads, hands its few microseconds of work to XNNPACK's pool and waits).
 */
import { tf } from '../tf';
import { RawBackend } from './raw';

/**
 * Name of the kernel a backend may register to run `adamUpdate` natively (inputs p, grad, m, v
 * and, with amsgrad, vmax; attrs AdamUpdateOptions; outputs [p, m, v] or [p, m, v, vmax]).
 * @neuralzoo/backend-torch registers it on ATen ops; other host backends run the JS loop below.
 */
export const ADAM_UPDATE_KERNEL = 'NeuralzooAdamUpdate';

export interface AdamUpdateOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** The update's number (1 for the first), for the bias corrections. */
  step: number;
  weightDecay: number;
  /** AdamW: p *= 1 - lr·weightDecay; Adam: grad += weightDecay·p. */
  decoupled: boolean;
  amsgrad: boolean;
  maximize: boolean;
}

export interface AdamUpdate {
  p: tf.Tensor;
  m: tf.Tensor;
  v: tf.Tensor;
  /** amsgrad's running maximum of v (null without amsgrad). */
  vmax: tf.Tensor | null;
}

// The loops take only numbers and typed arrays, so that V8 optimises them as such (inlined in
// adamUpdate, the same loop ran 4x slower).

function adamLoop(P: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array, np: Float32Array, nm: Float32Array, nv: Float32Array,
  beta1: number, beta2: number, eps: number, stepSize: number, bias2Sqrt: number, sign: number, l2: number, keep: number): void {
  const n = np.length;
  for (let i = 0; i < n; i++) {
    const pv = P[i];
    const g = sign * G[i] + l2 * pv;
    const mi = beta1 * M[i] + (1 - beta1) * g;
    const vi = beta2 * V[i] + (1 - beta2) * g * g;
    nm[i] = mi;
    nv[i] = vi;
    np[i] = pv * keep - (stepSize * mi) / (Math.sqrt(vi) / bias2Sqrt + eps);
  }
}

/** adamLoop with amsgrad: the denominator uses vmax = max(previous vmax (VM, or 0), v). */
function adamAmsgradLoop(P: Float32Array, G: Float32Array, M: Float32Array, V: Float32Array, VM: Float32Array | null, np: Float32Array,
  nm: Float32Array, nv: Float32Array, nvmax: Float32Array, beta1: number, beta2: number, eps: number, stepSize: number, bias2Sqrt: number,
  sign: number, l2: number, keep: number): void {
  const n = np.length;
  for (let i = 0; i < n; i++) {
    const pv = P[i];
    const g = sign * G[i] + l2 * pv;
    const mi = beta1 * M[i] + (1 - beta1) * g;
    const vi = beta2 * V[i] + (1 - beta2) * g * g;
    const s = VM && VM[i] > vi ? VM[i] : vi;
    nm[i] = mi;
    nv[i] = vi;
    nvmax[i] = s;
    np[i] = pv * keep - (stepSize * mi) / (Math.sqrt(s) / bias2Sqrt + eps);
  }
}

/**
 * One Adam/AdamW step of torch.optim's update rule (`foreach=False`): m = β1 m + (1-β1) g,
 * v = β2 v + (1-β2) g², p -= lr/(1-β1^t) · m / (√v̂/√(1-β2^t) + eps), v̂ = v or max(vmax, v).
 * Inputs are not modified; the results are new tensors (the caller owns them).
 */
export function adamUpdate(p: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, vmax: tf.Tensor | null, o: AdamUpdateOptions): AdamUpdate {
  if (tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend())) {
    const inputs: tf.NamedTensorMap = { p, grad, m, v };
    if (o.amsgrad && vmax) inputs.vmax = vmax;
    const out = tf.engine().runKernel(ADAM_UPDATE_KERNEL, inputs, { ...o } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return { p: out[0], m: out[1], v: out[2], vmax: o.amsgrad ? out[3] : null };
  }
  const raw = new RawBackend();
  const shape = p.shape;
  const outs = raw.outputs(o.amsgrad ? [shape, shape, shape, shape] : [shape, shape, shape]);
  // Views into the backend's memory, taken after the outputs are allocated (wasm's heap may grow).
  const [np, nm, nv, nvmax = null] = outs.views();
  const P = raw.values(p);
  const G = raw.values(grad);
  const M = raw.values(m);
  const V = raw.values(v);
  const VM = o.amsgrad && vmax ? raw.values(vmax) : null;
  const stepSize = o.lr / (1 - o.beta1 ** o.step);
  const bias2Sqrt = Math.sqrt(1 - o.beta2 ** o.step);
  const sign = o.maximize ? -1 : 1;
  const l2 = o.decoupled ? 0 : o.weightDecay;
  const keep = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
  if (nvmax) adamAmsgradLoop(P, G, M, V, VM, np, nm, nv, nvmax, o.beta1, o.beta2, o.eps, stepSize, bias2Sqrt, sign, l2, keep);
  else adamLoop(P, G, M, V, np, nm, nv, o.beta1, o.beta2, o.eps, stepSize, bias2Sqrt, sign, l2, keep);
  const [tp, tm, tv, tvmax = null] = outs.finish();
  return { p: tp, m: tm, v: tv, vmax: tvmax };
}
