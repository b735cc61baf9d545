/**
 * Fused optimizer updates on host-memory backends (see raw.ts): one pass over a parameter's
 * values instead of ~12 elementwise engine ops, each of which allocates a tensor (and, on wasm
 * with several threads, hands its few microseconds of work to XNNPACK's pool and waits).
 */
import { tf } from '../tf';
import { RawBackend, tensorFrom } from './raw';

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
  const n = p.size;
  const np = new Float32Array(n);
  const nm = new Float32Array(n);
  const nv = new Float32Array(n);
  const nvmax = o.amsgrad ? new Float32Array(n) : null;
  // Views into the backend's memory: every read happens before the first allocation below.
  const P = raw.values(p);
  const G = raw.values(grad);
  const M = raw.values(m);
  const V = raw.values(v);
  const VM = o.amsgrad && vmax ? raw.values(vmax) : null;
  const { beta1, beta2, eps } = o;
  const stepSize = o.lr / (1 - beta1 ** o.step);
  const bias2Sqrt = Math.sqrt(1 - beta2 ** o.step);
  const sign = o.maximize ? -1 : 1;
  const l2 = o.decoupled ? 0 : o.weightDecay;
  const keep = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
  for (let i = 0; i < n; i++) {
    const pv = P[i];
    const g = sign * G[i] + l2 * pv;
    const mi = beta1 * M[i] + (1 - beta1) * g;
    const vi = beta2 * V[i] + (1 - beta2) * g * g;
    let s = vi;
    if (nvmax) {
      if (VM && VM[i] > s) s = VM[i];
      nvmax[i] = s;
    }
    nm[i] = mi;
    nv[i] = vi;
    np[i] = pv * keep - (stepSize * mi) / (Math.sqrt(s) / bias2Sqrt + eps);
  }
  const shape = p.shape;
  return { p: tensorFrom(np, shape), m: tensorFrom(nm, shape), v: tensorFrom(nv, shape), vmax: nvmax ? tensorFrom(nvmax, shape) : null };
}
