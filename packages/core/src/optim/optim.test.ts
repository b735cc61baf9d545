import * as path from 'path';
import { tf, optim, Parameter, nn, backward, manualSeed } from '../index';
import { loadFixture, expectClose } from '@neuralzoo/core/testing';

const DIR = path.join(__dirname, '../../fixtures/optim');

type Opts = Record<string, unknown>;
interface OptimCase {
  opts: Opts;
  groups: Array<{ params: number[] } & Opts> | null;
  skip: Array<[number, number]>;
  steps: Record<string, number>;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const CTORS: Record<string, (params: any, opts: any) => optim.Optimizer> = {
  SGD: (p, o) => new optim.SGD(p, o),
  Adam: (p, o) => new optim.Adam(p, o),
  AdamW: (p, o) => new optim.AdamW(p, o),
  RMSprop: (p, o) => new optim.RMSprop(p, o),
  Adagrad: (p, o) => new optim.Adagrad(p, o),
  Adadelta: (p, o) => new optim.Adadelta(p, o),
};
/* eslint-enable @typescript-eslint/no-explicit-any */

type Fixture = ReturnType<typeof loadFixture>;

function build(name: string, fx: Fixture, k: number, c: OptimCase): { params: Parameter[]; opt: optim.Optimizer } {
  const params = [0, 1].map((i) => new Parameter(fx.tensors[`c${k}.init${i}`].clone(), { name: `p${i}` }));
  const groups = c.groups ? c.groups.map((g) => ({ ...g, params: g.params.map((i) => params[i]) })) : params;
  return { params, opt: CTORS[name](groups, c.opts) };
}

/** Sets each parameter's .grad to torch's gradient of step k (null where torch had None). */
function feedGrads(fx: Fixture, k: number, c: OptimCase, params: Parameter[], step: number): void {
  params.forEach((p, i) => {
    p.zeroGrad();
    if (c.skip.some(([pi, s]) => pi === i && s === step)) return;
    p.grad = tf.tidy(() => tf.squeeze(tf.gather(fx.tensors[`c${k}.grad${i}`], [step]), [0]));
  });
}

function expectStep(fx: Fixture, k: number, params: Parameter[], step: number, what: string): void {
  params.forEach((p, i) =>
    tf.tidy(() => expectClose(p.data, tf.squeeze(tf.gather(fx.tensors[`c${k}.traj${i}`], [step]), [0]), { rtol: 1e-4, atol: 1e-5, what: `${what} p${i} after step ${step + 1}` })),
  );
}

describe.each(Object.keys(CTORS))('%s vs torch.optim', (name) => {
  it('follows torch for 10 steps in every option set, state included, without leaking', () => {
    const fx = loadFixture(DIR, name);
    const cases = fx.meta.cases as OptimCase[];
    const steps = fx.meta.steps as number;
    expect(cases.length).toBeGreaterThanOrEqual(2);
    cases.forEach((c, k) => {
      const what = `${name} case ${k} ${JSON.stringify(c.opts)}${c.groups ? ' groups' : ''}`;
      const before = tf.memory().numTensors;
      const { params, opt } = build(name, fx, k, c);
      let afterFirst = 0;
      for (let s = 0; s < steps; s++) {
        feedGrads(fx, k, c, params, s);
        opt.step();
        expectStep(fx, k, params, s, what);
        if (s === 0) afterFirst = tf.memory().numTensors;
        else if (!c.skip.length) expect(tf.memory().numTensors).toBe(afterFirst); // state replaced, not accumulated
      }
      // final state: torch's names and values, and step counts
      const sd = opt.stateDict();
      for (const key of Object.keys(fx.tensors).filter((t) => t.startsWith(`c${k}.state.`))) {
        const [, , idx, stName] = key.split('.');
        const st = sd.state[Number(idx)];
        expect(st).toBeDefined();
        expectClose(st[stName] as tf.Tensor, fx.tensors[key], { rtol: 1e-4, atol: 1e-5, what: `${what} state ${idx}.${stName}` });
      }
      for (const [idx, n] of Object.entries(c.steps)) expect(sd.state[Number(idx)].step).toBe(n);
      expect(sd.paramGroups.flatMap((g) => g.params).sort()).toEqual([0, 1]);
      opt.zeroGrad();
      expect(params.every((p) => p.grad === null)).toBe(true);
      opt.dispose();
      params.forEach((p) => p.dispose());
      expect(tf.memory().numTensors).toBe(before);
    });
    fx.dispose();
  });

  it('resumes exactly from stateDict/loadStateDict halfway through', () => {
    const fx = loadFixture(DIR, name);
    const c = (fx.meta.cases as OptimCase[])[1];
    const { params, opt } = build(name, fx, 1, c);
    for (let s = 0; s < 5; s++) {
      feedGrads(fx, 1, c, params, s);
      opt.step();
    }
    const sd = opt.stateDict();
    // a fresh optimizer with different options: loadStateDict restores options and state
    const params2 = params.map((p) => new Parameter(p.data.clone(), { name: p.name }));
    const groups2 = c.groups ? c.groups.map((g) => ({ params: g.params.map((i) => params2[i]) })) : params2;
    const opt2 = CTORS[name](groups2, { lr: 123 });
    opt2.loadStateDict(sd);
    opt.dispose(); // opt2 holds copies
    expect(opt2.paramGroups[0].lr).toBe(c.groups?.[0].lr ?? c.opts.lr);
    for (let s = 5; s < 10; s++) {
      feedGrads(fx, 1, c, params2, s);
      opt2.step();
      expectStep(fx, 1, params2, s, `${name} resumed`);
    }
    opt2.dispose();
    [...params, ...params2].forEach((p) => p.dispose());
    fx.dispose();
  });
});

describe('Optimizer base', () => {
  const mk = (): Parameter[] => [new Parameter(tf.tensor1d([1, 2]), { name: 'a' }), new Parameter(tf.tensor2d([[3]]), { name: 'b' })];

  it('validates options, naming the option and the value', () => {
    const ps = mk();
    expect(() => new optim.Adam(ps, { betas: [1.2, 0.999] })).toThrow('Adam: betas[0] must be in [0, 1), got 1.2');
    expect(() => new optim.AdamW(ps, { betas: [0.9, 1] })).toThrow('AdamW: betas[1] must be in [0, 1), got 1');
    expect(() => new optim.SGD(ps, { lr: -1 })).toThrow('SGD: lr must be >= 0, got -1');
    expect(() => new optim.SGD(ps, { lr: 0.1, nesterov: true })).toThrow('SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0, dampening 0');
    expect(() => new optim.RMSprop(ps, { alpha: -0.1 })).toThrow('RMSprop: alpha must be >= 0, got -0.1');
    expect(() => new optim.Adagrad(ps, { lrDecay: -1 })).toThrow('Adagrad: lrDecay must be >= 0, got -1');
    expect(() => new optim.Adadelta(ps, { rho: 1.5 })).toThrow('Adadelta: rho must be in [0, 1], got 1.5');
    expect(() => new optim.Adam(ps, { eps: NaN })).toThrow('Adam: eps must be >= 0, got NaN');
    expect(() => new optim.SGD([], { lr: 0.1 })).toThrow('SGD: got an empty parameter list');
    expect(() => new optim.SGD([{ params: [ps[0]] }, { params: [ps[0], ps[1]] }])).toThrow("SGD: parameter 'a' appears in more than one parameter group");
    expect(() => new optim.SGD([{ params: [ps[0]], weight_decay: 1 } as never])).toThrow("SGD: unknown option 'weight_decay' in parameter group 0");
    ps.forEach((p) => p.dispose());
  });

  it('holds groups with overrides, addParamGroup, zeroGrad, and skips params without grad', () => {
    const [a, b] = mk();
    const opt = new optim.SGD([{ params: [a] }], { lr: 0.5, momentum: 0.9 });
    opt.addParamGroup({ params: [b], lr: 0.1 });
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([[0.5, 0.9], [0.1, 0.9]]);
    expect(() => opt.addParamGroup({ params: [b] })).toThrow(/more than one parameter group/);
    a.grad = tf.tensor1d([1, -1]);
    opt.step(); // b has no grad: unchanged, no state
    expectClose(a.data, [0.5, 2.5]);
    expectClose(b.data, [3]);
    const sd = opt.stateDict();
    expect(Object.keys(sd.state)).toEqual(['0']);
    expect(sd.state[0].step).toBe(1);
    expect(sd.paramGroups).toEqual([
      { lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [0] },
      { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [1] },
    ]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    // step(closure) runs the closure first and returns its loss
    const loss = opt.step(() => backward(() => tf.sum(tf.square(b.data)) as tf.Scalar, [b]));
    expect(loss).toBeCloseTo(9, 5);
    expectClose(b.data, [3 - 0.1 * 6]);
    expect(opt.step()).toBeUndefined();
    // torch defaults
    expect(new optim.AdamW([b]).paramGroups[0]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false });
    expect(new optim.Adam([b]).defaults).toMatchObject({ weightDecay: 0 });
    expect(new optim.RMSprop([b]).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(new optim.Adagrad([b]).defaults).toMatchObject({ lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    expect(new optim.Adadelta([b]).defaults).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0 });
    opt.dispose();
    a.dispose();
    b.dispose();
  });

  it('loadStateDict rejects mismatched layouts and shapes, and accepts its own state', () => {
    const ps = mk();
    const opt = new optim.Adam(ps, { lr: 0.1 });
    ps[0].grad = tf.tensor1d([1, 1]);
    ps[1].grad = tf.tensor2d([[1]]);
    opt.step();
    const sd = opt.stateDict();
    const other = new optim.Adam([ps[0]]);
    expect(() => other.loadStateDict(sd)).toThrow('Adam.loadStateDict: group 0 has 2 parameters in the state dict, 1 in the optimizer');
    const twoGroups = new optim.Adam([{ params: [ps[0]] }, { params: [ps[1]] }]);
    expect(() => twoGroups.loadStateDict(sd)).toThrow('Adam.loadStateDict: state dict has 1 parameter groups, optimizer has 2');
    const bad = tf.zeros([3]);
    expect(() => opt.loadStateDict({ ...sd, state: { ...sd.state, 0: { ...sd.state[0], exp_avg: bad } } })).toThrow(
      "Adam.loadStateDict: state 0.exp_avg has shape [3], parameter 'a' has [2]",
    );
    expect(() => opt.loadStateDict({ ...sd, state: { 5: sd.state[0] } })).toThrow(/parameter index 5/);
    const before = tf.memory().numTensors;
    opt.loadStateDict(opt.stateDict()); // its own tensors: copied before the old ones are freed
    expect(tf.memory().numTensors).toBe(before);
    ps[0].grad = tf.tensor1d([1, 1]);
    opt.step();
    expect(opt.stateDict().state[0].step).toBe(2);
    [opt, other, twoGroups].forEach((o) => o.dispose());
    bad.dispose();
    ps.forEach((p) => p.dispose());
  });

  it('trains a Linear layer with backward + step + zeroGrad', () => {
    manualSeed(0);
    const lin = new nn.Linear(2, 1);
    const x = tf.tensor2d([[1, 2], [3, -1], [0, 1], [2, 2]]);
    const y = tf.tensor2d([[5], [1], [2], [6]]); // y = x0 + 2 x1 + 0
    const opt = new optim.Adam(lin.parameters(), { lr: 0.1 });
    let loss = Infinity;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) {
      loss = backward(() => tf.mean(tf.square(tf.sub(lin.forward(x), y))) as tf.Scalar, lin);
      opt.step();
      opt.zeroGrad();
      if (i === 0) expect(tf.memory().numTensors).toBe(before + 4); // Adam state of weight and bias
    }
    expect(loss).toBeLessThan(1e-2);
    opt.dispose();
    lin.dispose();
    tf.dispose([x, y]);
  });
});

describe('clipGradNorm / clipGradValue vs torch.nn.utils', () => {
  it('matches clip_grad_norm_ for norm types 2, 1, inf, 3 and clip_grad_value_', () => {
    const fx = loadFixture(DIR, 'clip');
    const cases = fx.meta.norm as Array<{ maxNorm: number; normType: number | string; total: number }>;
    const before = tf.memory().numTensors;
    cases.forEach((c, k) => {
      const ps = [0, 1, 2].map((i) => new Parameter(tf.zerosLike(fx.tensors[`base${i}`])));
      ps.forEach((p, i) => (p.grad = fx.tensors[`base${i}`].clone()));
      const normType = c.normType === 'Infinity' ? Infinity : (c.normType as number);
      const total = optim.clipGradNorm(ps, c.maxNorm, normType);
      expectClose(total, c.total, { what: `case ${k} total norm` });
      ps.forEach((p, i) => expectClose(p.grad!, fx.tensors[`c${k}.grad${i}`], { what: `case ${k} grad ${i}` }));
      ps.forEach((p) => p.dispose());
    });
    const ps = [0, 1, 2].map((i) => new Parameter(tf.zerosLike(fx.tensors[`base${i}`])));
    ps.forEach((p, i) => (p.grad = fx.tensors[`base${i}`].clone()));
    optim.clipGradValue(ps, fx.meta.clipValue as number);
    ps.forEach((p, i) => expectClose(p.grad!, fx.tensors[`value.grad${i}`]));
    ps.forEach((p) => p.dispose());
    expect(tf.memory().numTensors).toBe(before);
    fx.dispose();
  });

  it('skips params without grad, returns 0 when none, and reports non-finite norms on request', () => {
    const a = new Parameter(tf.tensor1d([0, 0]));
    const b = new Parameter(tf.tensor1d([0]));
    expect(optim.clipGradNorm([a, b], 1)).toBe(0);
    a.grad = tf.tensor1d([3, 4]);
    expect(optim.clipGradNorm([a, b], 1)).toBeCloseTo(5, 5);
    expectClose(a.grad, [0.6, 0.8], { rtol: 1e-5 });
    expect(b.grad).toBeNull();
    a.grad.dispose();
    a.grad = tf.tensor1d([Infinity, 1]);
    expect(() => optim.clipGradNorm(a, 1, 2, { errorIfNonfinite: true })).toThrow('clipGradNorm: the total norm of order 2 of the gradients is Infinity');
    expect(() => optim.clipGradNorm(a, -1)).toThrow('clipGradNorm: maxNorm must be >= 0, got -1');
    a.dispose();
    b.dispose();
  });
});
