/**
 * Learning-rate schedulers equal to torch.optim.lr_scheduler's (their recursive, "chainable"
 * forms, as torch computes them). Each writes `group.lr` of the optimizer's groups: call
 * `optimizer.step()` then `scheduler.step()` once per epoch (or per batch for OneCycleLR).
 * Like torch, constructing a scheduler already takes step 0 (and sets `initialLr` on each group).
 */
import type { Optimizer, ParamGroup } from './optimizer';

/** A scheduler's resumable state: counters, base and last learning rates, and its settings. */
export interface SchedulerStateDict {
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
  [setting: string]: unknown;
}

/** Base class (torch.optim.lr_scheduler.LRScheduler). `C` holds the scheduler's settings. */
export abstract class LRScheduler<C extends object = object> {
  /** Number of `step()` calls since construction, minus one (torch's last_epoch). */
  lastEpoch = -1;
  /** Each group's `initialLr` when the scheduler was built. */
  baseLrs: number[];
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(
    readonly optimizer: Optimizer,
    readonly name: string,
    protected cfg: C,
  ) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) throw new Error(`${name}: expected an optimizer with paramGroups`);
    for (const g of optimizer.paramGroups) if (typeof g.initialLr !== 'number') g.initialLr = g.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
  }

  /** The next learning rate of each group, from the groups' current ones (torch's get_lr). */
  protected abstract computeLr(): number[];

  /** Subclass constructors end with this (torch's _initial_step: the step to epoch 0). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  protected get groups(): ParamGroup[] {
    return this.optimizer.paramGroups;
  }

  /** Advances one epoch (or batch) and writes the new learning rates into the groups. */
  step(): void {
    this.stepCount += 1;
    this.lastEpoch += 1;
    const lrs = this.computeLr();
    this.groups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.groups.map((g) => g.lr);
  }

  /** The learning rates the last `step()` set, one per group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** Plain JSON-serialisable state (torch's state_dict: counters, base lrs and settings). */
  stateDict(): SchedulerStateDict {
    return {
      ...JSON.parse(JSON.stringify(this.cfg)),
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: this.baseLrs.slice(),
      lastLr: this.lastLr.slice(),
    };
  }

  /** Restores `stateDict()` output (the optimizer's own state dict restores the groups' lrs). */
  loadStateDict(sd: SchedulerStateDict): void {
    const n = this.groups.length;
    const isNums = (a: unknown): a is number[] => Array.isArray(a) && a.length === n && a.every((x) => typeof x === 'number');
    if (!sd || typeof sd.lastEpoch !== 'number' || typeof sd.stepCount !== 'number')
      throw new Error(`${this.name}.loadStateDict: expected numeric lastEpoch and stepCount`);
    if (!isNums(sd.baseLrs)) throw new Error(`${this.name}.loadStateDict: baseLrs must hold ${n} numbers (one per group), got ${JSON.stringify(sd.baseLrs)}`);
    if (!isNums(sd.lastLr)) throw new Error(`${this.name}.loadStateDict: lastLr must hold ${n} numbers (one per group), got ${JSON.stringify(sd.lastLr)}`);
    const cfg = { ...this.cfg } as Record<string, unknown>;
    for (const key of Object.keys(cfg)) {
      if (!(key in sd)) continue;
      if (typeof sd[key] !== typeof cfg[key] && !(Array.isArray(cfg[key]) && Array.isArray(sd[key])))
        throw new Error(`${this.name}.loadStateDict: setting ${key} must be a ${typeof cfg[key]}, got ${JSON.stringify(sd[key])}`);
      cfg[key] = JSON.parse(JSON.stringify(sd[key]));
    }
    this.cfg = cfg as C;
    this.lastEpoch = sd.lastEpoch;
    this.stepCount = sd.stepCount;
    this.baseLrs = sd.baseLrs.slice();
    this.lastLr = sd.lastLr.slice();
  }
}

function checkPositiveInt(name: string, option: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new Error(`${name}: ${option} must be a positive integer, got ${v}`);
}

function checkFinite(name: string, option: string, v: number): void {
  if (!(typeof v === 'number' && Number.isFinite(v))) throw new Error(`${name}: ${option} must be a finite number, got ${v}`);
}

/** Multiplies the learning rate by `gamma` every `stepSize` epochs (torch StepLR). */
export class StepLR extends LRScheduler<{ stepSize: number; gamma: number }> {
  constructor(optimizer: Optimizer, stepSize: number, opts: { gamma?: number } = {}) {
    super(optimizer, 'StepLR', { stepSize, gamma: opts.gamma ?? 0.1 });
    checkPositiveInt('StepLR', 'stepSize', stepSize);
    checkFinite('StepLR', 'gamma', this.cfg.gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { stepSize, gamma } = this.cfg;
    if (this.lastEpoch === 0 || this.lastEpoch % stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * gamma);
  }
}

/** Multiplies the learning rate by `gamma` every epoch (torch ExponentialLR). */
export class ExponentialLR extends LRScheduler<{ gamma: number }> {
  constructor(optimizer: Optimizer, gamma: number) {
    super(optimizer, 'ExponentialLR', { gamma });
    checkFinite('ExponentialLR', 'gamma', gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.cfg.gamma);
  }
}

/**
 * Cosine annealing from the base lr to `etaMin` over `tMax` epochs, then back up (SGDR without
 * restarts; torch CosineAnnealingLR, in torch's recursive form).
 */
export class CosineAnnealingLR extends LRScheduler<{ tMax: number; etaMin: number }> {
  constructor(optimizer: Optimizer, tMax: number, opts: { etaMin?: number } = {}) {
    super(optimizer, 'CosineAnnealingLR', { tMax, etaMin: opts.etaMin ?? 0 });
    checkPositiveInt('CosineAnnealingLR', 'tMax', tMax);
    checkFinite('CosineAnnealingLR', 'etaMin', this.cfg.etaMin);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { tMax, etaMin } = this.cfg;
    const e = this.lastEpoch;
    if (e === 0) return this.groups.map((g) => g.lr);
    if ((e - 1 - tMax) % (2 * tMax) === 0)
      return this.groups.map((g, i) => g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    return this.groups.map(
      (g) => ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (g.lr - etaMin) + etaMin,
    );
  }
}

export interface LinearWarmupOptions {
  /** Factor of the base lr at epoch 0, in (0, 1]. Default 1/3. */
  startFactor?: number;
  /** Factor reached at `totalIters`, in [0, 1]. Default 1. */
  endFactor?: number;
  /** Epochs of the linear ramp (positive integer). Default 5. */
  totalIters?: number;
}

/** Scales the lr linearly from startFactor to endFactor over totalIters epochs (torch LinearLR). */
export class LinearWarmup extends LRScheduler<Required<LinearWarmupOptions>> {
  constructor(optimizer: Optimizer, opts: LinearWarmupOptions = {}) {
    super(optimizer, 'LinearWarmup', { startFactor: opts.startFactor ?? 1 / 3, endFactor: opts.endFactor ?? 1, totalIters: opts.totalIters ?? 5 });
    const { startFactor, endFactor, totalIters } = this.cfg;
    if (!(startFactor > 0 && startFactor <= 1)) throw new Error(`LinearWarmup: startFactor must be in (0, 1], got ${startFactor}`);
    if (!(endFactor >= 0 && endFactor <= 1)) throw new Error(`LinearWarmup: endFactor must be in [0, 1], got ${endFactor}`);
    checkPositiveInt('LinearWarmup', 'totalIters', totalIters);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this.cfg;
    const e = this.lastEpoch;
    if (e === 0) return this.groups.map((g) => g.lr * s);
    if (e > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
}

/** torch's name for LinearWarmup. */
export const LinearLR = LinearWarmup;

export interface OneCycleLROptions {
  /** Fraction of the steps spent increasing the lr, in [0, 1]. Default 0.3. */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (SGD/RMSprop `momentum`, Adam `betas[0]`) inversely to the lr. Default true. */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the lr peak (one value or one per group). Default 0.85. */
  baseMomentum?: number | number[];
  /** Highest momentum (one value or one per group). Default 0.95. */
  maxMomentum?: number | number[];
  /** Initial lr = maxLr / divFactor. Default 25. */
  divFactor?: number;
  /** Minimum lr = initial lr / finalDivFactor. Default 1e4. */
  finalDivFactor?: number;
  /** Three phases (up, back down to the initial lr, then to the minimum) like fastai. Default false. */
  threePhase?: boolean;
}

interface OneCycleConfig {
  totalSteps: number;
  pctStart: number;
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  divFactor: number;
  finalDivFactor: number;
  threePhase: boolean;
  useBeta1: boolean;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (Smith & Topin, 2017; torch OneCycleLR): the lr rises from maxLr / divFactor
 * to maxLr over pctStart of `totalSteps`, then anneals to the minimum, while the momentum moves
 * the opposite way between maxMomentum and baseMomentum. Step it once per batch; stepping more
 * than totalSteps times throws, like torch.
 */
export class OneCycleLR extends LRScheduler<OneCycleConfig> {
  private readonly phases: Phase[];

  constructor(optimizer: Optimizer, maxLr: number | number[], totalSteps: number, opts: OneCycleLROptions = {}) {
    const cfg: OneCycleConfig = {
      totalSteps,
      pctStart: opts.pctStart ?? 0.3,
      annealStrategy: opts.annealStrategy ?? 'cos',
      cycleMomentum: opts.cycleMomentum ?? true,
      divFactor: opts.divFactor ?? 25,
      finalDivFactor: opts.finalDivFactor ?? 1e4,
      threePhase: opts.threePhase ?? false,
      useBeta1: false,
    };
    const name = 'OneCycleLR';
    checkPositiveInt(name, 'totalSteps', totalSteps);
    if (!(cfg.pctStart >= 0 && cfg.pctStart <= 1)) throw new Error(`${name}: pctStart must be in [0, 1], got ${cfg.pctStart}`);
    if (cfg.annealStrategy !== 'cos' && cfg.annealStrategy !== 'linear')
      throw new Error(`${name}: annealStrategy must be 'cos' or 'linear', got '${cfg.annealStrategy}'`);
    checkFinite(name, 'divFactor', cfg.divFactor);
    checkFinite(name, 'finalDivFactor', cfg.finalDivFactor);
    const groups = optimizer.paramGroups;
    const perGroup = (option: string, v: number | number[]): number[] => {
      if (Array.isArray(v)) {
        if (v.length !== groups.length) throw new Error(`${name}: expected ${groups.length} values for ${option} (one per group), got ${v.length}`);
        return v.slice();
      }
      return groups.map(() => v);
    };
    // torch sets these before the base constructor reads initial_lr
    const maxLrs = perGroup('maxLr', maxLr);
    groups.forEach((g, i) => {
      g.initialLr = maxLrs[i] / cfg.divFactor;
      g.maxLr = maxLrs[i];
      g.minLr = (g.initialLr as number) / cfg.finalDivFactor;
    });
    if (cfg.cycleMomentum) {
      const defaults = optimizer.defaults as Record<string, unknown>;
      if (!('momentum' in defaults) && !('betas' in defaults))
        throw new Error(`${name}: optimizer ${optimizer.name} has no momentum or betas, needed by cycleMomentum (pass cycleMomentum: false)`);
      cfg.useBeta1 = 'betas' in defaults;
      const maxM = perGroup('maxMomentum', opts.maxMomentum ?? 0.95);
      const baseM = perGroup('baseMomentum', opts.baseMomentum ?? 0.85);
      groups.forEach((g, i) => {
        if (cfg.useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
        else g.momentum = maxM[i];
        g.maxMomentum = maxM[i];
        g.baseMomentum = baseM[i];
      });
    }
    super(optimizer, name, cfg);
    const T = totalSteps;
    const p = cfg.pctStart;
    this.phases = cfg.threePhase
      ? [
          { endStep: p * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: 2 * p * T - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
          { endStep: T - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
        ]
      : [
          { endStep: p * T - 1, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
          { endStep: T - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.cfg.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.cfg.totalSteps)
      throw new Error(`OneCycleLR: tried to step ${stepNum} times; the specified number of total steps is ${this.cfg.totalSteps}`);
    return this.groups.map((g) => {
      let startStep = 0;
      let lr = NaN;
      let momentum = NaN;
      for (let i = 0; i < this.phases.length; i++) {
        const ph = this.phases[i];
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (ph.endStep - startStep);
          lr = this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
          if (this.cfg.cycleMomentum) momentum = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
          break;
        }
        startStep = ph.endStep;
      }
      if (this.cfg.cycleMomentum) {
        if (this.cfg.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
      return lr;
    });
  }
}
