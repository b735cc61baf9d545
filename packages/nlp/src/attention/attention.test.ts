import { backward, gradcheck, Generator, manualSeed, nn, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import {
  AdditiveAttention,
  AttentionOverAttention,
  ConcatAttention,
  DilatedAttention,
  DotAttention,
  GeneralAttention,
  HardAttention,
  HierarchicalAttention,
  LocalAttention,
  MultiHeadAttention,
  ScaledDotProductAttention,
  SelfAttention,
  SparsemaxAttention,
  dilatedWindowMask,
  maskedSoftmax,
  paddingMaskFromLengths,
  reinforceLoss,
  scaledDotProductAttention,
  sparsemax,
} from './index';

const B = 2, T = 3, S = 5, D = 4;
type Attn = { forward(q: tf.Tensor, k: tf.Tensor, v?: tf.Tensor | null, o?: { keyPaddingMask?: tf.Tensor | null }): [tf.Tensor, tf.Tensor]; dispose(): void };

const rows = (w: tf.Tensor) => w.arraySync() as number[][][];

describe('maskedSoftmax', () => {
  it('gives exactly 0 to masked positions and zeros to all-masked rows', () => {
    const scores = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const mask = tf.tensor2d([[false, true, false], [true, true, true]], [2, 3], 'bool');
    const w = maskedSoftmax(scores, mask).arraySync() as number[][];
    const e = [Math.exp(1), Math.exp(3)];
    expectClose(w[0], [e[0] / (e[0] + e[1]), 0, e[1] / (e[0] + e[1])], { atol: 1e-6 });
    expect(w[0][1]).toBe(0);
    expect(w[1]).toEqual([0, 0, 0]);
    tf.dispose([scores, mask]);
  });
});

describe('score-based attention modules', () => {
  const makers: Array<[string, () => Attn]> = [
    ['AdditiveAttention (Bahdanau)', () => new AdditiveAttention(D, D, 6)],
    ['ConcatAttention (Luong concat)', () => new ConcatAttention(D, D, 6)],
    ['DotAttention (Luong dot)', () => new DotAttention()],
    ['GeneralAttention (Luong general)', () => new GeneralAttention(D, D)],
    ['ScaledDotProductAttention', () => new ScaledDotProductAttention()],
    ['SparsemaxAttention', () => new SparsemaxAttention(3)],
    ['LocalAttention (local-p, window 2)', () => new LocalAttention(D, D, 2)],
    ['DilatedAttention (r=2, w=1)', () => new DilatedAttention(2, 1)],
    ['MultiHeadAttention (2 heads)', () => new MultiHeadAttention(D, 2)],
  ];
  for (const [name, make] of makers) {
    it(`${name}: shapes, weights sum to 1, padding gets exactly 0 and never changes outputs, no leak`, () => {
      manualSeed(1);
      const attn = make();
      const q = tf.randomNormal([B, T, D], 0, 1, 'float32', 1);
      const k = tf.randomNormal([B, S, D], 0, 1, 'float32', 2);
      const v = tf.randomNormal([B, S, D], 0, 1, 'float32', 3);
      const mask = paddingMaskFromLengths([5, 3], S); // row 1: keys 3, 4 are padding
      const [ctx, w] = attn.forward(q, k, v, { keyPaddingMask: mask });
      expect(ctx.shape).toEqual([B, T, D]);
      expect(w.shape).toEqual([B, T, S]);
      const W = rows(w);
      for (const b of [0, 1]) for (const t of [0, 1, 2]) expect(W[b][t].reduce((a, x) => a + x, 0)).toBeCloseTo(1, 5);
      for (const t of [0, 1, 2]) expect([W[1][t][3], W[1][t][4]]).toEqual([0, 0]);
      // Garbage (large values) in the padded keys and values of row 1 changes nothing.
      const noise = tf.tensor3d(Array.from({ length: B * S * D }, (_, i) => ((i * 7919) % 13) * 100 * (Math.floor(i / D) % S >= 3 && i >= S * D ? 1 : 0)), [B, S, D]);
      const [ctx2, w2] = attn.forward(q, tf.add(k, noise), tf.add(v, noise), { keyPaddingMask: mask });
      expectClose(ctx2, ctx, { atol: 1e-6, rtol: 0, what: 'context' });
      expectClose(w2, w, { atol: 1e-7, rtol: 0, what: 'weights' });
      // A single query [B, D] gives [B, D] and [B, S].
      if (!(attn instanceof MultiHeadAttention)) {
        const [c1, w1] = attn.forward(q.slice([0, 0, 0], [B, 1, D]).squeeze([1]), k, v, { keyPaddingMask: mask });
        expect([c1.shape, w1.shape]).toEqual([[B, D], [B, S]]);
        tf.dispose([c1, w1]);
      }
      expectNoLeak(() => tf.dispose(attn.forward(q, k, v, { keyPaddingMask: mask })));
      tf.dispose([q, k, v, mask, ctx, w, noise, ctx2, w2]);
      attn.dispose();
    });
  }

  it('DotAttention equals softmax(q kᵀ) v computed by hand', () => {
    const attn = new DotAttention();
    const q = tf.tensor3d([[[1, 0]]]);
    const k = tf.tensor3d([[[1, 0], [0, 1], [2, 0]]]);
    const v = tf.tensor3d([[[1, 1], [2, 0], [0, 3]]]);
    const [ctx, w] = attn.forward(q, k, v);
    const e = [Math.E, 1, Math.E ** 2];
    const z = e[0] + e[1] + e[2];
    expectClose(w, [e[0] / z, e[1] / z, e[2] / z], { atol: 1e-6 });
    expectClose(ctx, [(e[0] + 2 * e[1]) / z, (e[0] + 3 * e[2]) / z], { atol: 1e-5 });
    tf.dispose([q, k, v, ctx, w]);
  });

  it('scaledDotProductAttention (functional) matches the module and takes [B, H, T, S] masks', () => {
    const q = tf.randomNormal([B, T, D], 0, 1, 'float32', 4);
    const k = tf.randomNormal([B, S, D], 0, 1, 'float32', 5);
    const mask = paddingMaskFromLengths([4, 2], S);
    const [a, wa] = scaledDotProductAttention(q, k, k, { keyPaddingMask: mask });
    const [b, wb] = new ScaledDotProductAttention().forward(q, k, k, { keyPaddingMask: mask });
    expectClose(a, b, { atol: 1e-6 });
    const [h, wh] = scaledDotProductAttention(q.expandDims(1), k.expandDims(1), k.expandDims(1), { keyPaddingMask: mask, attnMask: nn.causalMask(T, S) });
    expect(wh.shape).toEqual([B, 1, T, S]);
    const W = wh.arraySync() as number[][][][];
    expect(W[0][0][0].slice(1)).toEqual([0, 0, 0, 0]); // causal: query 0 sees key 0 only
    expect(W[1][0][2].slice(2)).toEqual([0, 0, 0]); // padding of row 1
    tf.dispose([q, k, mask, a, wa, b, wb, h, wh]);
  });

  it('gradients of AdditiveAttention and GeneralAttention pass gradcheck (inputs and parameters)', () => {
    manualSeed(2);
    const add = new AdditiveAttention(3, 2, 4);
    const gen = new GeneralAttention(3, 2);
    const q = tf.randomNormal([2, 3], 0, 1, 'float32', 6);
    const k = tf.randomNormal([2, 4, 2], 0, 1, 'float32', 7);
    const mask = paddingMaskFromLengths([4, 3], 4);
    for (const m of [add, gen]) {
      const res = gradcheck((qq, kk) => m.forward(qq, kk, null, { keyPaddingMask: mask })[0], [q, k], { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
      expect(res.checked).toBe(6 + 16);
      const params = m.parameters();
      const r2 = gradcheck(() => m.forward(q, k, null, { keyPaddingMask: mask })[0], params, { eps: 1e-2, atol: 2e-3, rtol: 2e-2 });
      expect(r2.ok).toBe(true);
      m.dispose();
    }
    tf.dispose([q, k, mask]);
  });

  it('LocalAttention attends only within D of the predicted position and is differentiable in W_p, v_p', () => {
    manualSeed(3);
    const attn = new LocalAttention(D, D, 1);
    const q = tf.randomNormal([1, 2, D], 0, 1, 'float32', 8);
    const k = tf.randomNormal([1, 7, D], 0, 1, 'float32', 9);
    const [ctx, w] = attn.forward(q, k);
    const p = attn.positions(q as tf.Tensor3D, tf.tensor1d([7])).arraySync() as number[][];
    const W = rows(w);
    for (let t = 0; t < 2; t++) {
      const centre = Math.round(p[0][t]);
      W[0][t].forEach((x, s) => (Math.abs(s - centre) > 1 ? expect(x).toBe(0) : expect(x).toBeGreaterThan(0)));
    }
    attn.zeroGrad();
    backward(() => tf.sum(attn.forward(q, k)[0].mul(tf.randomNormal([1, 2, D], 0, 1, 'float32', 10))), attn);
    for (const name of ['W_p.weight', 'v_p.weight', 'W.weight']) {
      const g = Object.fromEntries(attn.namedParameters())[name].grad!.dataSync();
      expect([name, g.some((x) => x !== 0)]).toEqual([name, true]);
    }
    tf.dispose([q, k, ctx, w]);
    attn.dispose();
  });

  it('DilatedAttention uses the atrous pattern t + k·r', () => {
    expect((dilatedWindowMask(4, 7, 2, 1).arraySync() as number[][]).map((r) => r.map(Boolean))).toEqual([
      [false, true, false, true, true, true, true],
      [true, false, true, false, true, true, true],
      [false, true, false, true, false, true, true],
      [true, false, true, false, true, false, true],
    ]);
    const attn = new DilatedAttention(3, 1);
    const x = tf.randomNormal([1, 7, D], 0, 1, 'float32', 11);
    const W = rows(attn.forward(x, x)[1])[0];
    expect(W[3].map((w) => w > 0)).toEqual([true, false, false, true, false, false, true]);
    x.dispose();
  });

  it('SelfAttention wraps core MultiheadAttention (state dict attn.*), causal and padded', () => {
    manualSeed(4);
    const sa = new SelfAttention(D, 2, true);
    expect(Object.keys(sa.stateDict())).toEqual(['attn.in_proj_weight', 'attn.in_proj_bias', 'attn.out_proj.weight', 'attn.out_proj.bias']);
    const x = tf.randomNormal([2, 4, D], 0, 1, 'float32', 12);
    const mask = paddingMaskFromLengths([4, 0], 4); // row 1 is all padding
    const [y, w] = sa.forward(x, { keyPaddingMask: mask });
    const W = rows(w);
    expect(W[0][1].slice(2)).toEqual([0, 0]);
    expect(W[0][2].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Array.from((y.slice([1, 0, 0], [1, 4, D]).dataSync()))).toEqual(new Array(4 * D).fill(0));
    tf.dispose([x, mask, y, w]);
    sa.dispose();
  });
});

describe('sparsemax', () => {
  it('projects onto the simplex: hand-computed cases with exact zeros', () => {
    const z = tf.tensor2d([[1, 0, -1], [0.5, 0.3, -0.2], [0, 0, 0], [3, 1, 2.5]]);
    const p = sparsemax(z).arraySync() as number[][];
    // [3, 1, 2.5]: support {3, 2.5}, τ = (5.5 - 1)/2 = 2.25 -> [0.75, 0, 0.25]
    expectClose(p.flat(), [1, 0, 0, 0.6, 0.4, 0, 1 / 3, 1 / 3, 1 / 3, 0.75, 0, 0.25], { atol: 1e-6 });
    expect([p[0][1], p[0][2], p[1][2], p[3][1]]).toEqual([0, 0, 0, 0]);
    z.dispose();
  });

  it('has the exact gradient g - mean_support(g) on the support and 0 off it', () => {
    const z = tf.tensor1d([0.5, 0.3, -0.2]);
    const g = tf.tensor1d([1, 2, 5]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(sparsemax(x), g)))(z);
    expectClose(grad, [-0.5, 0.5, 0], { atol: 1e-6 });
    const res = gradcheck((x) => sparsemax(x), [tf.tensor2d([[0.5, 0.3, -0.2, 0.1], [2, -1, 1.4, 0]])], { eps: 1e-3, atol: 1e-3, rtol: 1e-2 });
    expect(res.checked).toBe(8);
    tf.dispose([z, g, grad]);
  });
});

describe('HardAttention + REINFORCE', () => {
  it('forward picks the arg-max location; sample draws from α; the score-function gradient is unbiased', () => {
    manualSeed(5);
    const attn = new HardAttention(2, 2, 3);
    const N = 1000;
    const q1 = tf.tensor2d([[0.3, -0.8]]);
    const k1 = tf.tensor3d([[[1, 0], [0, 1], [-1, 0.5]]]);
    const q = tf.tile(q1, [N, 1]);
    const k = tf.tile(k1, [N, 1, 1]);
    const reward = [1, 0, 3]; // R(s)
    // Exact gradient of E[R] = Σ α_s R(s) with respect to the scorer (mean over N identical rows)...
    attn.zeroGrad();
    backward(() => tf.neg(tf.mean(tf.sum(tf.mul(attn.probs(q, k), tf.tensor2d([reward])), -1))), attn);
    const exact = attn.parameters().map((p) => Array.from(p.grad!.dataSync()));
    attn.zeroGrad();
    // ... against the REINFORCE estimate over the N samples with a mean baseline.
    const probs = Array.from(attn.probs(q, k).slice([0, 0], [1, 3]).dataSync());
    const s0 = attn.sample(q, k, null, { generator: new Generator(0) });
    const idx = Array.from(s0.index.dataSync());
    const counts = [0, 1, 2].map((s) => idx.filter((i) => i === s).length / N);
    expectClose(counts, probs, { atol: 0.05, rtol: 0 });
    const R = idx.map((i) => reward[i]);
    const mean = R.reduce((a, b) => a + b, 0) / N;
    backward(() => reinforceLoss(attn.sample(q, k, null, { generator: new Generator(0) }).logProb, R, mean), attn);
    const estimate = attn.parameters().map((p) => Array.from(p.grad!.dataSync()));
    const flatE = exact.flat();
    const flatR = estimate.flat();
    const scale = Math.max(...flatE.map(Math.abs));
    expect(scale).toBeGreaterThan(1e-3);
    flatE.forEach((e, i) => expect(Math.abs(flatR[i] - e)).toBeLessThan(0.2 * scale));
    attn.zeroGrad();
    // Deterministic forward: the arg-max location and its value.
    const [ctx, oneHot] = attn.forward(q1, k1);
    const best = probs.indexOf(Math.max(...probs));
    expect(Array.from(oneHot.dataSync())).toEqual([0, 1, 2].map((s) => (s === best ? 1 : 0)));
    expectClose(ctx, (k1.arraySync() as number[][][])[0][best]);
    tf.dispose([q1, k1, ctx, oneHot, q, k, s0.context, s0.probs, s0.index, s0.logProb]);
    attn.dispose();
  });

  it('never samples a padded location', () => {
    manualSeed(6);
    const attn = new HardAttention(2, 2);
    const q = tf.randomNormal([50, 2], 0, 1, 'float32', 13);
    const k = tf.randomNormal([50, 4, 2], 0, 1, 'float32', 14);
    const mask = paddingMaskFromLengths(new Array(50).fill(2), 4);
    const s = attn.sample(q, k, null, { keyPaddingMask: mask, generator: new Generator(1) });
    expect(Math.max(...Array.from(s.index.dataSync()))).toBeLessThanOrEqual(1);
    expect(Array.from(s.logProb.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([q, k, mask, s.context, s.probs, s.index, s.logProb]);
    attn.dispose();
  });
});

describe('HierarchicalAttention (HAN)', () => {
  it('pools words then sentences; padded words and sentences get 0 weight and change nothing', () => {
    manualSeed(7);
    const han = new HierarchicalAttention(D, 5);
    const x = tf.randomNormal([2, 3, 4, D], 0, 1, 'float32', 15);
    // batch 1: sentence 2 is all padding, sentence 1 has 2 words
    const m = new Array(2 * 3 * 4).fill(false);
    for (let w = 2; w < 4; w++) m[12 + 4 + w] = true;
    for (let w = 0; w < 4; w++) m[12 + 8 + w] = true;
    const mask = tf.tensor3d(m, [2, 3, 4], 'bool');
    const [doc, ww, sw] = han.forward(x, mask);
    expect([doc.shape, ww.shape, sw.shape]).toEqual([[2, D], [2, 3, 4], [2, 3]]);
    const SW = sw.arraySync() as number[][];
    expect(SW[1][2]).toBe(0);
    expect(SW[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect((ww.arraySync() as number[][][])[1][1].slice(2)).toEqual([0, 0]);
    const noise = tf.tensor4d(m.flatMap((pad) => new Array(D).fill(pad ? 50 : 0)), [2, 3, 4, D]);
    const [doc2] = han.forward(tf.add(x, noise), mask);
    expectClose(doc2, doc, { atol: 1e-6 });
    expectNoLeak(() => tf.dispose(han.forward(x, mask)));
    tf.dispose([x, mask, doc, ww, sw, noise, doc2]);
    han.dispose();
  });
});

describe('AttentionOverAttention', () => {
  it('computes s = α β̄ as the AoA reader and respects both masks', () => {
    const aoa = new AttentionOverAttention();
    const doc = tf.tensor3d([[[1, 0], [0, 1], [1, 1], [5, 5]]]);
    const query = tf.tensor3d([[[1, 0], [0, 2], [9, 9]]]);
    const [s, alpha, betaBar] = aoa.forward(doc, query, { docPaddingMask: paddingMaskFromLengths([3], 4), queryPaddingMask: paddingMaskFromLengths([2], 3) });
    // By hand: M[i][j] = doc_i · query_j over the 3 real doc words and 2 real query words.
    const d = [[1, 0], [0, 1], [1, 1]], qq = [[1, 0], [0, 2]];
    const M = d.map((x) => qq.map((y) => x[0] * y[0] + x[1] * y[1]));
    const sm = (v: number[]) => { const e = v.map(Math.exp); const z = e.reduce((a, b) => a + b, 0); return e.map((x) => x / z); };
    const alphaCols = [0, 1].map((j) => sm(M.map((r) => r[j]))); // per query word, over doc
    const beta = M.map((r) => sm(r)); // per doc word, over query
    const bb = [0, 1].map((j) => beta.reduce((a, r) => a + r[j], 0) / 3);
    const sHand = [0, 1, 2].map((i) => alphaCols[0][i] * bb[0] + alphaCols[1][i] * bb[1]);
    expectClose(s, [...sHand, 0], { atol: 1e-6 });
    expectClose(betaBar, [...bb, 0], { atol: 1e-6 });
    expect(alpha.shape).toEqual([1, 4, 3]);
    expect((s.dataSync() as Float32Array)[3]).toBe(0);
    tf.dispose([doc, query, s, alpha, betaBar]);
  });
});
