import * as path from 'path';
import { tf, F, gradcheck } from '../index';
import { loadFixture, expectClose, expectNoLeak } from '@neuralzoo/core/testing';

const DIR = path.join(__dirname, '../../fixtures/losses');

type Opts = Record<string, unknown>;
type LossFn = (inputs: tf.Tensor[], opts: Opts) => tf.Tensor;

/* eslint-disable @typescript-eslint/no-explicit-any */
const LOSSES: Record<string, LossFn> = {
  mseLoss: ([a, b], o) => F.mseLoss(a, b, o as any),
  l1Loss: ([a, b], o) => F.l1Loss(a, b, o as any),
  smoothL1Loss: ([a, b], o) => F.smoothL1Loss(a, b, o as any),
  huberLoss: ([a, b], o) => F.huberLoss(a, b, o as any),
  crossEntropy: ([a, b], o) => F.crossEntropy(a, b, o as any),
  nllLoss: ([a, b], o) => F.nllLoss(a, b, o as any),
  binaryCrossEntropy: ([a, b], o) => F.binaryCrossEntropy(a, b, o as any),
  bceWithLogits: ([a, b], o) => F.bceWithLogits(a, b, o as any),
  klDiv: ([a, b], o) => F.klDiv(a, b, o as any),
  marginRankingLoss: ([a, b, c], o) => F.marginRankingLoss(a, b, c, o as any),
  hingeEmbeddingLoss: ([a, b], o) => F.hingeEmbeddingLoss(a, b, o as any),
  cosineEmbeddingLoss: ([a, b, c], o) => F.cosineEmbeddingLoss(a, b, c, o as any),
  tripletMarginLoss: ([a, b, c], o) => F.tripletMarginLoss(a, b, c, o as any),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

interface Case {
  opts: Opts;
  inputs: string[];
  grad: string[];
  desc: string;
}

describe.each(Object.keys(LOSSES))('%s vs torch.nn.functional', (fn) => {
  it('matches values and input gradients of every fixture case', () => {
    const fx = loadFixture(DIR, fn);
    const cases = fx.meta.cases as Case[];
    expect(cases.length).toBeGreaterThanOrEqual(3);
    const loss = LOSSES[fn];
    const before = tf.memory().numTensors;
    cases.forEach((c, k) => {
      const t = (n: string): tf.Tensor => {
        const x = fx.tensors[`c${k}.${n}`];
        if (!x) throw new Error(`fixture ${fn} case ${k} lacks ${n}`);
        return x;
      };
      const opts: Opts = {};
      for (const [key, v] of Object.entries(c.opts)) opts[key] = typeof v === 'string' && v.startsWith('@') ? t(v.slice(1)) : v;
      const what = `${fn} case ${k} ${JSON.stringify(c.opts)}${c.desc ? ` (${c.desc})` : ''}`;
      const inputs = c.inputs.map(t);
      const out = loss(inputs, opts);
      expectClose(out, t('out'), { what: `${what} value` });
      out.dispose();

      const gradPos = c.grad.map((n) => c.inputs.indexOf(n));
      const gout = t('gout');
      const grads = tf.grads((...xs: tf.Tensor[]) => {
        const args = inputs.slice();
        gradPos.forEach((p, i) => (args[p] = xs[i]));
        return tf.sum(tf.mul(loss(args, opts), gout));
      })(gradPos.map((p) => inputs[p]));
      c.grad.forEach((n, i) => expectClose(grads[i], t(`grad_${n}`), { what: `${what} d/d${n}` }));
      grads.forEach((g) => g.dispose());
    });
    expect(tf.memory().numTensors).toBe(before);
    fx.dispose();
  });
});

describe('losses: gradcheck on tiny inputs', () => {
  const x = (): tf.Tensor => tf.tensor2d([[0.3, -1.2, 0.8], [1.5, 0.1, -0.4]]);
  const y = (): tf.Tensor => tf.tensor2d([[0.1, -0.5, 1.1], [0.2, 0.9, -0.1]]);
  const cls = (): tf.Tensor => tf.tensor1d([2, 0], 'int32');
  const cases: Array<[string, () => [(...a: tf.Tensor[]) => tf.Tensor, tf.Tensor[]]]> = [
    ['mseLoss', () => [(a, b) => F.mseLoss(a, b), [x(), y()]]],
    ['smoothL1Loss', () => [(a, b) => F.smoothL1Loss(a, b, { beta: 0.5 }), [x(), y()]]],
    ['huberLoss', () => [(a, b) => F.huberLoss(a, b, { delta: 0.7, reduction: 'sum' }), [x(), y()]]],
    ['crossEntropy', () => [(a) => F.crossEntropy(a, cls(), { labelSmoothing: 0.1, weight: tf.tensor1d([1, 2, 0.5]) }), [x()]]],
    ['crossEntropy (probabilities)', () => [(a, b) => F.crossEntropy(a, tf.softmax(b)), [x(), y()]]],
    ['nllLoss', () => [(a) => F.nllLoss(tf.logSoftmax(a), cls(), { reduction: 'none' }), [x()]]],
    ['binaryCrossEntropy', () => [(a, b) => F.binaryCrossEntropy(tf.sigmoid(a), tf.sigmoid(b)), [x(), y()]]],
    ['bceWithLogits', () => [(a, b) => F.bceWithLogits(a, tf.sigmoid(b), { posWeight: tf.tensor1d([2, 0.5, 1]) }), [x(), y()]]],
    ['klDiv', () => [(a, b) => F.klDiv(tf.logSoftmax(a), tf.softmax(b), { reduction: 'batchmean' }), [x(), y()]]],
    ['marginRankingLoss', () => [(a, b) => F.marginRankingLoss(a, b, tf.tensor2d([[1, -1, 1], [-1, 1, -1]]), { margin: 0.1 }), [x(), y()]]],
    ['hingeEmbeddingLoss', () => [(a) => F.hingeEmbeddingLoss(a, tf.tensor2d([[1, -1, -1], [-1, 1, -1]])), [x()]]],
    ['cosineEmbeddingLoss', () => [(a, b) => F.cosineEmbeddingLoss(a, b, tf.tensor1d([1, -1]), { margin: -0.5 }), [x(), y()]]],
    ['tripletMarginLoss', () => [(a, b) => F.tripletMarginLoss(a, b, tf.tensor2d([[0, 0, 0], [1, 1, 1]]), { margin: 3, swap: true }), [x(), y()]]],
  ];
  it.each(cases)('%s', (_name, make) => {
    const [fn, inputs] = make();
    const res = gradcheck((...a) => tf.tidy(() => fn(...a)), inputs, { eps: 1e-3, atol: 2e-3, rtol: 2e-2 });
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(0);
    inputs.forEach((t) => t.dispose());
  });
});

describe('losses: semantics and validation', () => {
  it('reduces like torch and leaks nothing', () => {
    const a = tf.tensor2d([[1, 2], [3, 5]]);
    const b = tf.tensor2d([[0, 2], [1, 1]]);
    const none = expectNoLeak(() => F.mseLoss(a, b, { reduction: 'none' }), 1);
    expectClose(none, [1, 0, 4, 16]);
    const s = expectNoLeak(() => F.mseLoss(a, b, { reduction: 'sum' }), 1);
    expectClose(s, 21);
    expect(s.shape).toEqual([]);
    const m = expectNoLeak(() => F.l1Loss(a, b), 1);
    expectClose(m, 7 / 4);
    tf.dispose([a, b, none, s, m]);
  });

  it('crossEntropy: all-ignored batch is NaN (0/0) like torch, gradients stay finite', () => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    const target = tf.tensor1d([-100], 'int32');
    const l = F.crossEntropy(logits, target);
    expect(Number.isNaN(l.dataSync()[0])).toBe(true);
    const s = F.crossEntropy(logits, target, { reduction: 'sum' });
    expectClose(s, 0);
    tf.dispose([logits, target, l, s]);
  });

  it('crossEntropy on unbatched [C] logits with a scalar target', () => {
    const logits = tf.tensor1d([0.5, 1.5, -1]);
    const target = tf.scalar(1, 'int32');
    const l = F.crossEntropy(logits, target);
    const lse = Math.log(Math.exp(0.5) + Math.exp(1.5) + Math.exp(-1));
    expectClose(l, lse - 1.5);
    tf.dispose([logits, target, l]);
  });

  it('l1Loss has zero gradient where input equals target (torch sign subgradient)', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.tensor1d([1, 0, 3]);
    const [g] = tf.grads((x: tf.Tensor) => F.l1Loss(x, b, { reduction: 'sum' }))([a]);
    expectClose(g, [0, 1, 0]);
    tf.dispose([a, b, g]);
  });

  it('errors name the loss, the shapes and bad class indices', () => tf.tidy(() => {
    const logits = tf.zeros([2, 3]);
    const bad = tf.tensor1d([0, 3], 'int32');
    const short = tf.tensor1d([0], 'int32');
    const float = tf.zeros([2]);
    const w = tf.ones([4]);
    expect(() => F.crossEntropy(logits, bad)).toThrow('crossEntropy: target class index 3 (element 1) is out of range [0, 3)');
    expect(() => F.nllLoss(logits, tf.tensor1d([-1, 0], 'int32'))).toThrow(/nllLoss: target class index -1/);
    expect(() => F.crossEntropy(logits, short)).toThrow('crossEntropy: target shape [1] must be input shape [2,3] without the class axis, i.e. [2]');
    expect(() => F.crossEntropy(logits, float)).toThrow('crossEntropy: float32 target [2] looks like class indices: cast it to int32');
    expect(() => F.nllLoss(logits, float)).toThrow('nllLoss: target must be int32 class indices, got float32');
    expect(() => F.crossEntropy(logits, bad, { weight: w })).toThrow('crossEntropy: weight must have shape [3]');
    expect(() => F.crossEntropy(logits, tf.zeros([2, 4]))).toThrow('crossEntropy: probability target shape [2,4] must equal input shape [2,3]');
    expect(() => F.crossEntropy(logits, short, { labelSmoothing: 1.5 })).toThrow('crossEntropy: labelSmoothing must be in [0, 1], got 1.5');
    expect(() => F.mseLoss(logits, float)).toThrow('mseLoss: target shape [2] must equal input shape [2,3]');
    expect(() => F.l1Loss(logits, logits, { reduction: 'avg' as never })).toThrow("l1Loss: reduction must be one of 'mean', 'sum', 'none', got 'avg'");
    expect(() => F.klDiv(logits, logits, { reduction: 'batchmean' })).not.toThrow();
    expect(() => F.bceWithLogits(logits, logits, { posWeight: w })).toThrow('bceWithLogits: posWeight shape [4] does not broadcast to input shape [2,3]');
    expect(() => F.tripletMarginLoss(logits, logits, float)).toThrow('tripletMarginLoss: negative shape [2] must equal anchor shape [2,3]');
    expect(() => F.cosineEmbeddingLoss(logits, logits, tf.zeros([3]))).toThrow('cosineEmbeddingLoss: target shape [3] must be [2] for inputs [2,3]');
    expect(() => F.smoothL1Loss(logits, logits, { beta: -1 })).toThrow('smoothL1Loss: beta must be >= 0, got -1');
    expect(() => F.mseLoss(tf.zeros([2], 'int32'), float)).toThrow('mseLoss: input must be float32, got int32');
  }));
});
