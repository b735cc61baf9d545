/**
 * The fused Adam/AdamW update (backend/optim.ts, which Adam and AdamW use on cpu, wasm and torch)
 * against the same update written as TF.js ops (the path of other backends), over every option
 * that changes the arithmetic. optim.test.ts checks both optimizers against torch.optim.
 */
import { tf } from '../index';
import { expectClose, expectNoLeak } from '../testing';
import { adamUpdate, AdamUpdateOptions } from '../backend/optim';

const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

/** torch.optim's Adam/AdamW step as elementwise TF.js ops. */
function composite(p: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor, vmax: tf.Tensor | null, o: AdamUpdateOptions): tf.Tensor[] {
  let g = o.maximize ? tf.neg(grad) : grad;
  if (!o.decoupled && o.weightDecay !== 0) g = tf.add(g, tf.mul(p, o.weightDecay));
  const p0 = o.decoupled ? tf.mul(p, 1 - o.lr * o.weightDecay) : p;
  const m1 = tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1));
  const v1 = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
  const s = o.amsgrad ? tf.maximum(vmax ?? tf.zerosLike(v1), v1) : v1;
  const denom = tf.add(tf.div(tf.sqrt(s), Math.sqrt(1 - o.beta2 ** o.step)), o.eps);
  const p1 = tf.sub(p0, tf.mul(tf.div(m1, denom), o.lr / (1 - o.beta1 ** o.step)));
  return o.amsgrad ? [p1, m1, v1, s] : [p1, m1, v1];
}

const BASE: AdamUpdateOptions = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, weightDecay: 0, decoupled: false, amsgrad: false, maximize: false };
const CASES: Array<[string, Partial<AdamUpdateOptions>, boolean]> = [
  ['Adam', {}, false],
  ['Adam, L2 weight decay, maximize', { weightDecay: 0.1, maximize: true }, false],
  ['AdamW', { weightDecay: 0.05, decoupled: true, step: 1 }, false],
  ['amsgrad with a running maximum', { amsgrad: true, beta1: 0.5, beta2: 0.9 }, true],
  ['amsgrad, first step (no maximum yet)', { amsgrad: true, step: 1 }, false],
];

describe(`fused Adam update on ${tf.getBackend()}`, () => {
  it.each(CASES)('%s equals the TF.js ops', (_name, opts, withMax) => {
    const o = { ...BASE, ...opts };
    tf.tidy(() => {
      const p = randn([7, 5], 1);
      const g = randn([7, 5], 2);
      const m = randn([7, 5], 3).mul(0.1);
      const v = randn([7, 5], 4).square().mul(0.01);
      const vmax = withMax ? v.mul(randn([7, 5], 5).abs().add(0.5)) : null;
      const r = adamUpdate(p, g, m, v, vmax, o);
      const e = composite(p, g, m, v, vmax, o);
      const got = [r.p, r.m, r.v, ...(r.vmax ? [r.vmax] : [])];
      expect(got.length).toBe(e.length);
      got.forEach((t, i) => expectClose(t, e[i], { rtol: 1e-5, atol: 1e-7, what: ['p', 'm', 'v', 'vmax'][i] }));
    });
  });

  it('leaves its inputs unchanged and leaks nothing', () => {
    const p = randn([3], 1);
    const g = randn([3], 2);
    const z = tf.zeros([3]);
    const before = Array.from(p.dataSync());
    expectNoLeak(() => {
      const r = adamUpdate(p, g, z, z, null, BASE);
      tf.dispose([r.p, r.m, r.v]);
    });
    expect(Array.from(p.dataSync())).toEqual(before);
    tf.dispose([p, g, z]);
  });
});
