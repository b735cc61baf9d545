/**
 * Native versions of @neuralzoo/core's fused ops (core/src/backend/optim.ts): kernels under
 * core's own kernel names, registered on `torch` beside the TF.js kernels. Core runs its JS
 * version where a backend registers none.
 */
import { FUSED_KERNELS, type AdamUpdateOptions } from '@neuralzoo/core';
import type { TorchBackend } from './backend';
import type { NativeKernel } from './kernel-util';

/**
 * core's `NeuralzooAdamUpdate`: torch.optim.Adam/AdamW's single-tensor update, op for op (lerp_,
 * mul_ + addcmul_, sqrt / √(1-β2^t) + eps, addcdiv_), on new tensors: inputs stay unchanged.
 */
const adamUpdate: NativeKernel = (b: TorchBackend, inputs, attrs) => {
  const o = attrs as unknown as AdamUpdateOptions;
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

/**
 * core's `NeuralzooLSTMSequence`: one LSTM layer and direction over all steps (as PyTorch's CPU
 * LSTM: per step one addmm and the gate nonlinearities on ATen). Outputs out [T, B, H], hN, cN,
 * and for the backward acts [T, B, 4H] (activated i, f, g, o), cs and tcs [T, B, H].
 */
const lstmSequence: NativeKernel = (b, inputs, attrs) => {
  const { reverse } = attrs as unknown as { reverse: boolean };
  const [T, , GH] = inputs.xp.shape;
  const H = GH / 4;
  const X = b.handle(inputs.xp);
  const W = b.t('aten::t', b.handle(inputs.whh)); // [H, 4H]
  const bias = b.t('aten::add.Tensor', b.handle(inputs.bih), b.handle(inputs.bhh), 1);
  let h = b.handle(inputs.h0);
  let c = b.handle(inputs.c0);
  const outs: number[] = new Array(T);
  const acts: number[] = new Array(T);
  const cs: number[] = new Array(T);
  const tcs: number[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const gates = b.t('aten::addmm', b.t('aten::add.Tensor', b.t('aten::select.int', X, 0, t), bias, 1), h, W, 1, 1); // [B, 4H]
    const sg = b.t('aten::sigmoid', gates);
    const i = b.t('aten::narrow', sg, 1, 0, H);
    const f = b.t('aten::narrow', sg, 1, H, H);
    const o = b.t('aten::narrow', sg, 1, 3 * H, H);
    const g = b.t('aten::tanh', b.t('aten::narrow', gates, 1, 2 * H, H));
    c = b.t('aten::addcmul', b.t('aten::mul.Tensor', f, c), i, g, 1); // f c + i g
    const tc = b.t('aten::tanh', c);
    h = b.t('aten::mul.Tensor', o, tc);
    acts[t] = b.t('aten::cat', [i, f, g, o], 1);
    outs[t] = h;
    cs[t] = c;
    tcs[t] = tc;
  }
  const stack = (hs: number[]) => b.out(b.t('aten::stack', hs, 0), 'float32');
  return [stack(outs), b.out(b.t('aten::clone', h), 'float32'), b.out(b.t('aten::clone', c), 'float32'), stack(acts), stack(cs), stack(tcs)];
};

/** core's `NeuralzooLSTMSequenceGrad`: the backward of `lstmSequence`, step by step in reverse. */
const lstmSequenceGrad: NativeKernel = (b, inputs, attrs) => {
  const { reverse } = attrs as unknown as { reverse: boolean };
  const [T, B, GH] = inputs.acts.shape;
  const H = GH / 4;
  const W = b.handle(inputs.whh); // [4H, H]
  const A = b.handle(inputs.acts);
  const C = b.handle(inputs.cs);
  const TC = b.handle(inputs.tcs);
  const O = b.handle(inputs.out);
  const dOut = b.handle(inputs.dOut);
  const h0 = b.handle(inputs.h0);
  const c0 = b.handle(inputs.c0);
  let dh = b.handle(inputs.dhN);
  let dc = b.handle(inputs.dcN);
  const dGs: number[] = new Array(T);
  const hPrev: number[] = new Array(T);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1; // the step walked before t
    const a = b.t('aten::select.int', A, 0, t);
    const i = b.t('aten::narrow', a, 1, 0, H);
    const f = b.t('aten::narrow', a, 1, H, H);
    const g = b.t('aten::narrow', a, 1, 2 * H, H);
    const o = b.t('aten::narrow', a, 1, 3 * H, H);
    const tc = b.t('aten::select.int', TC, 0, t);
    const cPrev = s === 0 ? c0 : b.t('aten::select.int', C, 0, tp);
    hPrev[t] = s === 0 ? h0 : b.t('aten::select.int', O, 0, tp);
    const dht = b.t('aten::add.Tensor', b.t('aten::select.int', dOut, 0, t), dh, 1);
    const dct = b.t('aten::add.Tensor', dc, b.t('aten::tanh_backward', b.t('aten::mul.Tensor', dht, o), tc), 1);
    const dG = b.t('aten::cat', [
      b.t('aten::sigmoid_backward', b.t('aten::mul.Tensor', dct, g), i),
      b.t('aten::sigmoid_backward', b.t('aten::mul.Tensor', dct, cPrev), f),
      b.t('aten::tanh_backward', b.t('aten::mul.Tensor', dct, i), g),
      b.t('aten::sigmoid_backward', b.t('aten::mul.Tensor', dht, tc), o),
    ], 1); // [B, 4H]
    dGs[t] = dG;
    dc = b.t('aten::mul.Tensor', dct, f);
    dh = b.t('aten::mm', dG, W);
  }
  const dG = b.t('aten::stack', dGs, 0); // [T, B, 4H]
  const dG2 = b.t('aten::reshape', dG, [T * B, GH]);
  const dW = b.t('aten::mm', b.t('aten::t', dG2), b.t('aten::reshape', b.t('aten::stack', hPrev, 0), [T * B, H]));
  const db = b.t('aten::sum.dim_IntList', dG2, [0], false, null);
  return [b.out(dG, 'float32'), b.out(b.t('aten::clone', dh), 'float32'), b.out(b.t('aten::clone', dc), 'float32'), b.out(dW, 'float32'),
    b.out(db, 'float32'), b.out(b.t('aten::clone', db), 'float32')];
};

/**
 * core's `NeuralzooGRUSequence`: one GRU layer and direction over all steps, PyTorch's cell
 * (n = tanh(x_n + b_in + r (W_hn h + b_hn)), h' = n + z (h - n)). Outputs out [T, B, H], hN, and
 * for the backward acts [T, B, 3H] (r, z, n) and hn [T, B, H] (W_hn h + b_hn).
 */
const gruSequence: NativeKernel = (b, inputs, attrs) => {
  const { reverse } = attrs as unknown as { reverse: boolean };
  const [T, , GH] = inputs.xp.shape;
  const H = GH / 3;
  const X = b.handle(inputs.xp);
  const W = b.t('aten::t', b.handle(inputs.whh)); // [H, 3H]
  const bih = b.handle(inputs.bih);
  const bhh = b.handle(inputs.bhh);
  let h = b.handle(inputs.h0);
  const outs: number[] = new Array(T);
  const acts: number[] = new Array(T);
  const hns: number[] = new Array(T);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const gi = b.t('aten::add.Tensor', b.t('aten::select.int', X, 0, t), bih, 1); // [B, 3H]
    const gh = b.t('aten::addmm', bhh, h, W, 1, 1); // [B, 3H]
    const rz = b.t('aten::sigmoid', b.t('aten::add.Tensor', b.t('aten::narrow', gi, 1, 0, 2 * H), b.t('aten::narrow', gh, 1, 0, 2 * H), 1));
    const r = b.t('aten::narrow', rz, 1, 0, H);
    const z = b.t('aten::narrow', rz, 1, H, H);
    const hn = b.t('aten::narrow', gh, 1, 2 * H, H);
    const n = b.t('aten::tanh', b.t('aten::add.Tensor', b.t('aten::narrow', gi, 1, 2 * H, H), b.t('aten::mul.Tensor', r, hn), 1));
    h = b.t('aten::addcmul', n, z, b.t('aten::sub.Tensor', h, n, 1), 1); // n + z (h - n)
    acts[t] = b.t('aten::cat', [r, z, n], 1);
    hns[t] = hn;
    outs[t] = h;
  }
  const stack = (hs: number[]) => b.out(b.t('aten::stack', hs, 0), 'float32');
  return [stack(outs), b.out(b.t('aten::clone', h), 'float32'), stack(acts), stack(hns)];
};

/** core's `NeuralzooGRUSequenceGrad`: the backward of `gruSequence`. */
const gruSequenceGrad: NativeKernel = (b, inputs, attrs) => {
  const { reverse } = attrs as unknown as { reverse: boolean };
  const [T, B, GH] = inputs.acts.shape;
  const H = GH / 3;
  const W = b.handle(inputs.whh); // [3H, H]
  const A = b.handle(inputs.acts);
  const HN = b.handle(inputs.hn);
  const O = b.handle(inputs.out);
  const dOut = b.handle(inputs.dOut);
  const h0 = b.handle(inputs.h0);
  let dh = b.handle(inputs.dhN);
  const dGi: number[] = new Array(T);
  const dGh: number[] = new Array(T);
  const hPrev: number[] = new Array(T);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const tp = reverse ? t + 1 : t - 1;
    const a = b.t('aten::select.int', A, 0, t);
    const r = b.t('aten::narrow', a, 1, 0, H);
    const z = b.t('aten::narrow', a, 1, H, H);
    const n = b.t('aten::narrow', a, 1, 2 * H, H);
    const hp = s === 0 ? h0 : b.t('aten::select.int', O, 0, tp);
    hPrev[t] = hp;
    const dht = b.t('aten::add.Tensor', b.t('aten::select.int', dOut, 0, t), dh, 1);
    const dn = b.t('aten::tanh_backward', b.t('aten::mul.Tensor', dht, b.t('aten::rsub.Scalar', z, 1, 1)), n); // through (1 - z) and tanh
    const dz = b.t('aten::sigmoid_backward', b.t('aten::mul.Tensor', dht, b.t('aten::sub.Tensor', hp, n, 1)), z);
    const dr = b.t('aten::sigmoid_backward', b.t('aten::mul.Tensor', dn, b.t('aten::select.int', HN, 0, t)), r);
    dGi[t] = b.t('aten::cat', [dr, dz, dn], 1);
    const gh = b.t('aten::cat', [dr, dz, b.t('aten::mul.Tensor', dn, r)], 1);
    dGh[t] = gh;
    dh = b.t('aten::add.Tensor', b.t('aten::mm', gh, W), b.t('aten::mul.Tensor', dht, z), 1);
  }
  const gi = b.t('aten::stack', dGi, 0); // [T, B, 3H]
  const gh2 = b.t('aten::reshape', b.t('aten::stack', dGh, 0), [T * B, GH]);
  const dW = b.t('aten::mm', b.t('aten::t', gh2), b.t('aten::reshape', b.t('aten::stack', hPrev, 0), [T * B, H]));
  const dbih = b.t('aten::sum.dim_IntList', b.t('aten::reshape', gi, [T * B, GH]), [0], false, null);
  const dbhh = b.t('aten::sum.dim_IntList', gh2, [0], false, null);
  return [b.out(gi, 'float32'), b.out(b.t('aten::clone', dh), 'float32'), b.out(dW, 'float32'), b.out(dbih, 'float32'), b.out(dbhh, 'float32')];
};

/** core's fused-op kernel names -> native implementations. */
export const FUSED: Record<string, NativeKernel> = {
  [FUSED_KERNELS.adamUpdate]: adamUpdate,
  [FUSED_KERNELS.lstmSequence]: lstmSequence,
  [FUSED_KERNELS.lstmSequenceGrad]: lstmSequenceGrad,
  [FUSED_KERNELS.gruSequence]: gruSequence,
  [FUSED_KERNELS.gruSequenceGrad]: gruSequenceGrad,
};
