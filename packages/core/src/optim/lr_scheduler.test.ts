import * as fs from 'fs';
import * as path from 'path';
import { tf, optim, Parameter } from '../index';
import { loadFixture, expectClose } from '@neuralzoo/core/testing';

const DIR = path.join(__dirname, '../../fixtures/optim');

interface SchedCase {
  scheduler: string;
  optimizer: 'SGD' | 'Adam';
  args: unknown[];
  opts: Record<string, unknown>;
  groupLrs: number[];
  lrs: number[][];
  momentum: number[][];
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function makeScheduler(c: SchedCase, opt: optim.Optimizer): optim.LRScheduler {
  const a = c.args as any[];
  const o = c.opts as any;
  switch (c.scheduler) {
    case 'StepLR':
      return new optim.lr.StepLR(opt, a[0], o);
    case 'ExponentialLR':
      return new optim.lr.ExponentialLR(opt, a[0]);
    case 'CosineAnnealingLR':
      return new optim.lr.CosineAnnealingLR(opt, a[0], o);
    case 'LinearWarmup':
      return new optim.lr.LinearWarmup(opt, o);
    case 'OneCycleLR':
      return new optim.lr.OneCycleLR(opt, a[0], a[1], o);
    default:
      throw new Error(`unknown scheduler ${c.scheduler}`);
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function makeOptimizer(c: SchedCase): { opt: optim.Optimizer; params: Parameter[] } {
  const params = c.groupLrs.map(() => new Parameter(tf.zeros([2])));
  const groups = params.map((p, i) => ({ params: [p], lr: c.groupLrs[i] }));
  const opt = c.optimizer === 'SGD' ? new optim.SGD(groups, { lr: 0.1, momentum: 0.9 }) : new optim.Adam(groups, { lr: 0.1 });
  return { opt, params };
}

const momentumOf = (opt: optim.Optimizer): number[] =>
  opt.paramGroups.map((g) => (Array.isArray(g.betas) ? (g.betas as number[])[0] : (g.momentum as number)));

/** The cases are needed while Jest collects tests, before any backend exists: read the header only. */
function readCases(): SchedCase[] {
  const bytes = fs.readFileSync(path.join(DIR, 'schedulers.safetensors'));
  const n = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8'));
  return JSON.parse(header.__metadata__.cases);
}
const cases = readCases();

it('the fixture holds the same cases through loadFixture', () => {
  const fx = loadFixture(DIR, 'schedulers');
  expect(fx.meta.cases).toEqual(cases);
  expect(cases.length).toBeGreaterThanOrEqual(10);
  fx.dispose();
});

describe('LR schedulers vs torch.optim.lr_scheduler', () => {
  it.each(cases.map((c, k) => [`${k} ${c.scheduler} ${JSON.stringify(c.args)} ${JSON.stringify(c.opts)} (${c.optimizer})`, c] as const))(
    '%s: lr (and momentum) at every step',
    (what, c) => {
      const { opt, params } = makeOptimizer(c);
      const s = makeScheduler(c, opt);
      c.lrs.forEach((expected, step) => {
        if (step > 0) {
          opt.step(); // no grads: a no-op, as in the fixture's loop
          s.step();
        }
        expectClose(s.getLastLr(), expected, { rtol: 1e-9, atol: 1e-12, what: `${what} lr at step ${step}` });
        expectClose(opt.paramGroups.map((g) => g.lr), expected, { rtol: 1e-9, atol: 1e-12, what: `${what} group lr at step ${step}` });
        expectClose(momentumOf(opt), c.momentum[step], { rtol: 1e-9, atol: 1e-12, what: `${what} momentum at step ${step}` });
      });
      if (c.scheduler === 'OneCycleLR') expect(() => s.step()).toThrow(/OneCycleLR: tried to step \d+ times; the specified number of total steps is \d+/);
      opt.dispose();
      params.forEach((p) => p.dispose());
    },
  );

  it.each(cases.map((c) => [c.scheduler, c] as const))(
    '%s resumes from stateDict (with the optimizer state dict) halfway through',
    (_name, c) => {
      const half = Math.floor(c.lrs.length / 2);
      const a = makeOptimizer(c);
      const s = makeScheduler(c, a.opt);
      for (let i = 1; i <= half; i++) {
        a.opt.step();
        s.step();
      }
      const optSd = a.opt.stateDict();
      const sd = JSON.parse(JSON.stringify(s.stateDict())); // plain JSON round trip
      const b = makeOptimizer(c);
      const s2 = makeScheduler(c, b.opt); // a fresh scheduler rewrites the lrs…
      b.opt.loadStateDict(optSd); // …which the optimizer's state dict restores
      s2.loadStateDict(sd);
      expect(s2.lastEpoch).toBe(half);
      expectClose(s2.getLastLr(), c.lrs[half], { rtol: 1e-9, atol: 1e-12 });
      for (let i = half + 1; i < c.lrs.length; i++) {
        b.opt.step();
        s2.step();
        expectClose(s2.getLastLr(), c.lrs[i], { rtol: 1e-9, atol: 1e-12, what: `${c.scheduler} resumed step ${i}` });
        expectClose(momentumOf(b.opt), c.momentum[i], { rtol: 1e-9, atol: 1e-12 });
      }
      [a, b].forEach((x) => {
        x.opt.dispose();
        x.params.forEach((p) => p.dispose());
      });
    },
  );

  it('validates settings with clear errors', () => {
    const p = new Parameter(tf.zeros([1]));
    const sgd = new optim.SGD([p], { lr: 0.1 });
    const adagrad = new optim.Adagrad([p], { lr: 0.1 });
    expect(() => new optim.lr.StepLR(sgd, 0)).toThrow('StepLR: stepSize must be a positive integer, got 0');
    expect(() => new optim.lr.CosineAnnealingLR(sgd, 2.5)).toThrow('CosineAnnealingLR: tMax must be a positive integer, got 2.5');
    expect(() => new optim.lr.LinearWarmup(sgd, { startFactor: 0 })).toThrow('LinearWarmup: startFactor must be in (0, 1], got 0');
    expect(() => new optim.lr.LinearWarmup(sgd, { endFactor: 2 })).toThrow('LinearWarmup: endFactor must be in [0, 1], got 2');
    expect(() => new optim.lr.OneCycleLR(sgd, 0.1, 10, { pctStart: 1.5 })).toThrow('OneCycleLR: pctStart must be in [0, 1], got 1.5');
    expect(() => new optim.lr.OneCycleLR(sgd, [0.1, 0.2], 10)).toThrow('OneCycleLR: expected 1 values for maxLr (one per group), got 2');
    expect(() => new optim.lr.OneCycleLR(sgd, 0.1, 10, { annealStrategy: 'exp' as never })).toThrow("OneCycleLR: annealStrategy must be 'cos' or 'linear', got 'exp'");
    expect(() => new optim.lr.OneCycleLR(adagrad, 0.1, 10)).toThrow('OneCycleLR: optimizer Adagrad has no momentum or betas, needed by cycleMomentum (pass cycleMomentum: false)');
    const s = new optim.lr.StepLR(sgd, 2);
    expect(() => s.loadStateDict({ lastEpoch: 1, stepCount: 2, baseLrs: [0.1, 0.2], lastLr: [0.1] })).toThrow(
      'StepLR.loadStateDict: baseLrs must hold 1 numbers (one per group), got [0.1,0.2]',
    );
    expect(new optim.lr.OneCycleLR(adagrad, 0.1, 10, { cycleMomentum: false }).getLastLr()[0]).toBeCloseTo(0.1 / 25, 12);
    expect(optim.lr.LinearLR).toBe(optim.lr.LinearWarmup);
    sgd.dispose();
    adagrad.dispose();
    p.dispose();
  });
});
