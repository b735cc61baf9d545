/**
 * Native versions of @neuralzoo/core's fused ops (core/src/backend/optim.ts): kernels under
 * core's own kernel names, registered on `torch` beside the TF.js kernels. Core runs its JS
 * version where a backend registers none.
 */
import type { TorchBackend } from './backend';
import type { NativeKernel } from './kernels';

interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  step: number;
  weightDecay: number;
  decoupled: boolean;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * core's `NeuralzooAdamUpdate`: torch.optim.Adam/AdamW's single-tensor update, op for op (lerp_,
 * mul_ + addcmul_, sqrt / √(1-β2^t) + eps, addcdiv_), on new tensors: inputs stay unchanged.
 */
const adamUpdate: NativeKernel = (b: TorchBackend, inputs, attrs) => {
  const o = attrs as unknown as AdamAttrs;
  const p = b.handle(inputs.p);
  let g = b.handle(inputs.grad);
  if (o.maximize) g = b.t('aten::neg', g);
  if (!o.decoupled && o.weightDecay !== 0) g = b.t('aten::add.Tensor', g, p, o.weightDecay);
  const p0 = o.decoupled && o.weightDecay !== 0 ? b.t('aten::mul.Scalar', p, 1 - o.lr * o.weightDecay) : p;
  const m = b.t('aten::lerp.Scalar', b.handle(inputs.m), g, 1 - o.beta1);
  const v = b.t('aten::addcmul', b.t('aten::mul.Scalar', b.handle(inputs.v), o.beta2), g, g, 1 - o.beta2);
  const s = o.amsgrad && inputs.vmax ? b.t('aten::maximum', b.handle(inputs.vmax), v) : v;
  const bias2Sqrt = Math.sqrt(1 - o.beta2 ** o.step);
  const denom = b.t('aten::add.Scalar', b.t('aten::div.Scalar', b.t('aten::sqrt', s), bias2Sqrt), o.eps);
  const stepSize = o.lr / (1 - o.beta1 ** o.step);
  const p1 = b.t('aten::addcdiv', p0, m, denom, -stepSize);
  const outs = [b.out(p1, 'float32'), b.out(m, 'float32'), b.out(v, 'float32')];
  if (o.amsgrad) outs.push(b.out(s === v ? b.t('aten::clone', v) : s, 'float32'));
  return outs;
};

/** core's fused-op kernel names -> native implementations. */
export const FUSED: Record<string, NativeKernel> = {
  NeuralzooAdamUpdate: adamUpdate,
};
