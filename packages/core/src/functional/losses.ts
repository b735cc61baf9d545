/**
 * Loss functions equal to `torch.nn.functional`'s (values and gradients), channel-last: class
 * scores are `[N, ..., C]` (torch's `[N, C, ...]` with the class axis moved last). Every loss takes
 * `reduction: 'mean' | 'sum' | 'none'` (default 'mean') like torch; `klDiv` also 'batchmean'.
 */
import { tf } from '../tf';
import { noGrad } from '../autograd/backward';

export type Reduction = 'mean' | 'sum' | 'none';

export interface ReductionOptions {
  /** 'mean' (default): mean over elements; 'sum'; 'none': per-element losses. */
  reduction?: Reduction;
}

// ---------------------------------------------------------------------------------------------
// validation and shared pieces

function checkReduction(name: string, reduction: string, allowed: readonly string[] = ['mean', 'sum', 'none']): void {
  if (!allowed.includes(reduction))
    throw new Error(`${name}: reduction must be one of ${allowed.map((r) => `'${r}'`).join(', ')}, got '${reduction}'`);
}

function checkFloat(name: string, what: string, x: tf.Tensor): void {
  if (!(x instanceof tf.Tensor)) throw new Error(`${name}: ${what} must be a tf.Tensor`);
  if (x.dtype !== 'float32') throw new Error(`${name}: ${what} must be float32, got ${x.dtype} (shape [${x.shape}])`);
}

function checkSameShape(name: string, a: tf.Tensor, b: tf.Tensor, aName = 'input', bName = 'target'): void {
  if (!tf.util.arraysEqual(a.shape, b.shape))
    throw new Error(`${name}: ${bName} shape [${b.shape}] must equal ${aName} shape [${a.shape}]`);
}

/** The checks of a loss of `input` against a float `target` of the same shape; returns the reduction. */
function checkPairwise(name: string, input: tf.Tensor, target: tf.Tensor, opts: ReductionOptions): Reduction {
  const reduction = opts.reduction ?? 'mean';
  checkReduction(name, reduction);
  checkFloat(name, 'input', input);
  checkFloat(name, 'target', target);
  checkSameShape(name, input, target);
  return reduction;
}

/** Throws unless `w` broadcasts to `shape` without growing it (torch's loss weights). */
function checkBroadcastsTo(name: string, what: string, w: tf.Tensor, shape: number[]): void {
  checkFloat(name, what, w);
  const ok =
    w.rank <= shape.length &&
    w.shape.every((d, i) => {
      const s = shape[shape.length - w.rank + i];
      return d === 1 || d === s;
    });
  if (!ok) throw new Error(`${name}: ${what} shape [${w.shape}] does not broadcast to input shape [${shape}]`);
}

function reduce(loss: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(loss);
  if (reduction === 'sum') return tf.sum(loss);
  return loss;
}

/** A boolean mask, computed outside gradient recording (TF.js comparisons have no gradient). */
function mask(fn: () => tf.Tensor): tf.Tensor {
  return noGrad(fn);
}

function clampMin0(x: tf.Tensor): tf.Tensor {
  // maximum passes the gradient at x == 0 like torch's clamp_min (relu would drop it).
  return tf.maximum(x, tf.scalar(0));
}

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** tf.customGrad over plain tensor arguments: `f(inputs, save)` returns the value and gradFunc. */
function customGrad(f: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc }): (...xs: tf.Tensor[]) => tf.Tensor {
  let g: ((...xs: tf.Tensor[]) => tf.Tensor) | null = null;
  return (...xs) => {
    g ??= tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) =>
      f(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc),
    ) as (...xs: tf.Tensor[]) => tf.Tensor;
    return g(...xs);
  };
}

/** |x| with torch's subgradient sign(x) (0 at 0; TF.js's Abs gradient is -1 there). */
const abs = customGrad(([a], save) => {
  save([a]);
  return { value: tf.abs(a), gradFunc: (dy, [x]) => tf.mul(dy, tf.sign(x)) };
});

/** log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), stable, gradient sigmoid(-x). */
const logSigmoid = customGrad(([a], save) => {
  save([a]);
  const value = tf.sub(tf.minimum(a, 0), tf.log1p(tf.exp(tf.neg(tf.abs(a)))));
  return { value, gradFunc: (dy, [x]) => tf.mul(dy, tf.sigmoid(tf.neg(x))) };
});

// ---------------------------------------------------------------------------------------------
// regression

/** Mean squared error (torch.nn.functional.mse_loss); input and target of equal shape. */
export function mseLoss(input: tf.Tensor, target: tf.Tensor, opts: ReductionOptions = {}): tf.Tensor {
  const name = 'mseLoss';
  const reduction = checkPairwise(name, input, target, opts);
  return tf.tidy(() => reduce(tf.square(tf.sub(input, target)), reduction));
}

/** Mean absolute error (torch.nn.functional.l1_loss). */
export function l1Loss(input: tf.Tensor, target: tf.Tensor, opts: ReductionOptions = {}): tf.Tensor {
  const name = 'l1Loss';
  const reduction = checkPairwise(name, input, target, opts);
  return tf.tidy(() => reduce(abs(tf.sub(input, target)), reduction));
}

export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (>= 0). Default 1; 0 gives l1Loss. */
  beta?: number;
}

/** torch.nn.functional.smooth_l1_loss: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta. */
export function smoothL1Loss(input: tf.Tensor, target: tf.Tensor, opts: SmoothL1Options = {}): tf.Tensor {
  const name = 'smoothL1Loss';
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) throw new Error(`${name}: beta must be >= 0, got ${beta}`);
  const reduction = checkPairwise(name, input, target, opts);
  return tf.tidy(() => {
    const d = tf.sub(input, target);
    const ad = abs(d);
    if (beta === 0) return reduce(ad, reduction);
    const loss = tf.where(mask(() => tf.less(ad, beta)), tf.div(tf.mul(tf.square(d), 0.5), beta), tf.sub(ad, 0.5 * beta));
    return reduce(loss, reduction);
  });
}

export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (> 0). Default 1. */
  delta?: number;
}

/** torch.nn.functional.huber_loss: 0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta). */
export function huberLoss(input: tf.Tensor, target: tf.Tensor, opts: HuberOptions = {}): tf.Tensor {
  const name = 'huberLoss';
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) throw new Error(`${name}: delta must be > 0, got ${delta}`);
  const reduction = checkPairwise(name, input, target, opts);
  return tf.tidy(() => {
    const d = tf.sub(input, target);
    const ad = abs(d);
    const loss = tf.where(mask(() => tf.less(ad, delta)), tf.mul(tf.square(d), 0.5), tf.mul(tf.sub(ad, 0.5 * delta), delta));
    return reduce(loss, reduction);
  });
}

// ---------------------------------------------------------------------------------------------
// classification

export interface NllOptions extends ReductionOptions {
  /** Per-class weight [C] (float32). */
  weight?: tf.Tensor;
  /** Targets equal to this are skipped and left out of the mean's denominator. Default -100. */
  ignoreIndex?: number;
}

export interface CrossEntropyOptions extends NllOptions {
  /** Mixes the target with the uniform distribution: (1 - s) target + s / C. In [0, 1], default 0. */
  labelSmoothing?: number;
}

/** Validates `[N, ..., C]` scores and returns C. */
function checkScores(name: string, input: tf.Tensor, weight: tf.Tensor | undefined): number {
  checkFloat(name, 'input', input);
  if (input.rank < 1) throw new Error(`${name}: input must be [N, ..., C] (class axis last), got a scalar`);
  const C = input.shape[input.rank - 1];
  if (weight !== undefined) {
    checkFloat(name, 'weight', weight);
    if (weight.rank !== 1 || weight.shape[0] !== C)
      throw new Error(`${name}: weight must have shape [${C}] (one per class of input [${input.shape}]), got [${weight.shape}]`);
  }
  return C;
}

/** Validates int32 class targets of shape input.shape[:-1], each in [0, C) or ignoreIndex. */
function checkClassTarget(name: string, input: tf.Tensor, target: tf.Tensor, ignoreIndex: number): void {
  if (!(target instanceof tf.Tensor)) throw new Error(`${name}: target must be a tf.Tensor`);
  if (target.dtype !== 'int32')
    throw new Error(`${name}: target must be int32 class indices, got ${target.dtype} (shape [${target.shape}])`);
  const expected = input.shape.slice(0, -1);
  if (!tf.util.arraysEqual(target.shape, expected))
    throw new Error(`${name}: target shape [${target.shape}] must be input shape [${input.shape}] without the class axis, i.e. [${expected}]`);
  const C = input.shape[input.rank - 1];
  const values = target.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== ignoreIndex && (v < 0 || v >= C))
      throw new Error(`${name}: target class index ${v} (element ${i}) is out of range [0, ${C}) and is not ignoreIndex (${ignoreIndex})`);
  }
}

/**
 * The class-index path shared by nllLoss and crossEntropy: `{ nll, wY, valid }` where nll is the
 * per-element weighted negative log-likelihood (0 where ignored) and wY the weight of each
 * element's target (0 where ignored), the mean's denominator.
 */
function pickNll(logp: tf.Tensor, target: tf.Tensor, weight: tf.Tensor | undefined, ignoreIndex: number) {
  const C = logp.shape[logp.rank - 1];
  const valid = tf.notEqual(target, tf.scalar(ignoreIndex, 'int32'));
  const safe = tf.where(valid, target, tf.zerosLike(target));
  // [..., C]; built with equal() because the wasm OneHot kernel ignores a float32 dtype
  const oneHot = tf.cast(tf.equal(tf.expandDims(safe, -1), tf.range(0, C, 1, 'int32')), 'float32');
  const validF = tf.cast(valid, 'float32');
  const wY = weight ? tf.mul(tf.sum(tf.mul(oneHot, weight), -1), validF) : validF; // [...]
  const nll = tf.neg(tf.mul(tf.sum(tf.mul(logp, oneHot), -1), wY)); // [...]
  return { nll, wY, validF };
}

function reduceWeighted(nll: tf.Tensor, wY: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.div(tf.sum(nll), tf.sum(wY));
  return reduce(nll, reduction);
}

/**
 * Negative log-likelihood (torch.nn.functional.nll_loss) of log-probabilities `[N, ..., C]` (or
 * `[C]`) and int32 class indices `[N, ...]`. With `weight`, 'mean' divides by the summed weights
 * of the non-ignored targets, like torch.
 */
export function nllLoss(input: tf.Tensor, target: tf.Tensor, opts: NllOptions = {}): tf.Tensor {
  const name = 'nllLoss';
  const reduction = opts.reduction ?? 'mean';
  const ignoreIndex = opts.ignoreIndex ?? -100;
  checkReduction(name, reduction);
  checkScores(name, input, opts.weight);
  checkClassTarget(name, input, target, ignoreIndex);
  return tf.tidy(() => {
    const { nll, wY } = pickNll(input, target, opts.weight, ignoreIndex);
    return reduceWeighted(nll, wY, reduction);
  });
}

/**
 * Cross entropy of logits `[N, ..., C]` (or `[C]`) (torch.nn.functional.cross_entropy) with
 * either int32 class indices `[N, ...]` (weight, ignoreIndex, labelSmoothing) or float32 class
 * probabilities of the logits' shape (weight, labelSmoothing). Label smoothing follows torch's
 * formula, including its weighting; ignored targets are left out of both terms and of the mean's
 * denominator.
 */
export function crossEntropy(input: tf.Tensor, target: tf.Tensor, opts: CrossEntropyOptions = {}): tf.Tensor {
  const name = 'crossEntropy';
  const reduction = opts.reduction ?? 'mean';
  const eps = opts.labelSmoothing ?? 0;
  const weight = opts.weight;
  checkReduction(name, reduction);
  if (!(eps >= 0 && eps <= 1)) throw new Error(`${name}: labelSmoothing must be in [0, 1], got ${eps}`);
  const C = checkScores(name, input, weight);
  if (target instanceof tf.Tensor && target.dtype === 'float32') {
    if (opts.ignoreIndex !== undefined && opts.ignoreIndex !== -100)
      throw new Error(`${name}: ignoreIndex (${opts.ignoreIndex}) is not supported with probability (float32) targets`);
    if (!tf.util.arraysEqual(target.shape, input.shape) && tf.util.arraysEqual(target.shape, input.shape.slice(0, -1)))
      throw new Error(
        `${name}: float32 target [${target.shape}] looks like class indices: cast it to int32 (probability targets have the input's shape [${input.shape}])`,
      );
    checkSameShape(name, input, target, 'input', 'probability target');
    return tf.tidy(() => {
      const logp = tf.logSoftmax(input, -1);
      const t = eps > 0 ? tf.add(tf.mul(target, 1 - eps), eps / C) : target;
      const tw = weight ? tf.mul(t, weight) : t;
      const loss = tf.neg(tf.sum(tf.mul(logp, tw), -1)); // [N, ...]
      // 'mean' divides by the number of samples (input.size / C), never by the weights.
      return reduce(loss, reduction);
    });
  }
  const ignoreIndex = opts.ignoreIndex ?? -100;
  checkClassTarget(name, input, target, ignoreIndex);
  return tf.tidy(() => {
    const logp = tf.logSoftmax(input, -1);
    const { nll, wY, validF } = pickNll(logp, target, weight, ignoreIndex);
    const nllRed = reduceWeighted(nll, wY, reduction);
    if (eps === 0) return nllRed;
    // smooth_i = -sum_c w_c logp_ic (0 where ignored)
    const smooth = tf.mul(tf.neg(tf.sum(weight ? tf.mul(logp, weight) : logp, -1)), validF);
    let smoothRed: tf.Tensor;
    // 'mean' shares the NLL term's denominator: summed target weights, or the non-ignored count
    if (reduction === 'mean') smoothRed = tf.div(tf.sum(smooth), tf.sum(weight ? wY : validF));
    else smoothRed = reduce(smooth, reduction);
    return tf.add(tf.mul(nllRed, 1 - eps), tf.mul(smoothRed, eps / C));
  });
}

export interface BceOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcast to the input's shape. */
  weight?: tf.Tensor;
}

/** Per-element BCE with torch's log clamp (>= -100) and torch's gradient formulas. */
const bceElementwise = customGrad(([x, t], save) => {
  const logX = tf.maximum(tf.log(x), -100);
  const log1mX = tf.maximum(tf.log(tf.sub(1, x)), -100);
  save([x, t, logX, log1mX]);
  const value = tf.neg(tf.add(tf.mul(t, logX), tf.mul(tf.sub(1, t), log1mX)));
  return {
    value,
    gradFunc: (dy, [xs, ts, lx, l1x]) => [
      // d/dx = (x - t) / max(x (1 - x), 1e-12), as torch's binary_cross_entropy_backward
      tf.div(tf.mul(dy, tf.sub(xs, ts)), tf.maximum(tf.mul(xs, tf.sub(1, xs)), 1e-12)),
      tf.mul(dy, tf.sub(l1x, lx)),
    ],
  };
});

/**
 * Binary cross entropy of probabilities in [0, 1] (torch.nn.functional.binary_cross_entropy):
 * -w (t log x + (1 - t) log(1 - x)) with each log clamped to >= -100 like torch.
 */
export function binaryCrossEntropy(input: tf.Tensor, target: tf.Tensor, opts: BceOptions = {}): tf.Tensor {
  const name = 'binaryCrossEntropy';
  const reduction = checkPairwise(name, input, target, opts);
  if (opts.weight) checkBroadcastsTo(name, 'weight', opts.weight, input.shape);
  return tf.tidy(() => {
    const loss = bceElementwise(input, target);
    return reduce(opts.weight ? tf.mul(loss, opts.weight) : loss, reduction);
  });
}

export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of positive examples, broadcast along the last axis (e.g. one per class [C]). */
  posWeight?: tf.Tensor;
}

/**
 * Sigmoid + binary cross entropy in one stable expression
 * (torch.nn.functional.binary_cross_entropy_with_logits):
 * w ((1 - t) x - (1 + (posWeight - 1) t) log sigmoid(x)).
 */
export function bceWithLogits(input: tf.Tensor, target: tf.Tensor, opts: BceWithLogitsOptions = {}): tf.Tensor {
  const name = 'bceWithLogits';
  const reduction = checkPairwise(name, input, target, opts);
  if (opts.weight) checkBroadcastsTo(name, 'weight', opts.weight, input.shape);
  if (opts.posWeight) checkBroadcastsTo(name, 'posWeight', opts.posWeight, input.shape);
  return tf.tidy(() => {
    const logWeight = opts.posWeight ? tf.add(tf.mul(tf.sub(opts.posWeight, 1), target), 1) : null;
    const ls = logSigmoid(input);
    let loss = tf.sub(tf.mul(tf.sub(1, target), input), logWeight ? tf.mul(logWeight, ls) : ls);
    if (opts.weight) loss = tf.mul(loss, opts.weight);
    return reduce(loss, reduction);
  });
}

export interface KlDivOptions {
  /** 'mean' (default, over all elements, as torch), 'batchmean' (sum / N), 'sum' or 'none'. */
  reduction?: Reduction | 'batchmean';
  /** The target is given as log-probabilities. Default false. */
  logTarget?: boolean;
}

/**
 * Kullback-Leibler divergence (torch.nn.functional.kl_div) of log-probabilities `input` from
 * `target`: target (log target - input), 0 where target is 0; with `logTarget`,
 * exp(target) (target - input).
 */
export function klDiv(input: tf.Tensor, target: tf.Tensor, opts: KlDivOptions = {}): tf.Tensor {
  const name = 'klDiv';
  const reduction = opts.reduction ?? 'mean';
  checkReduction(name, reduction, ['mean', 'sum', 'none', 'batchmean']);
  checkFloat(name, 'input', input);
  checkFloat(name, 'target', target);
  checkSameShape(name, input, target);
  return tf.tidy(() => {
    let loss: tf.Tensor;
    if (opts.logTarget) {
      loss = tf.mul(tf.exp(target), tf.sub(target, input));
    } else {
      // xlogy(t, t) - t x, with xlogy(0, 0) = 0 and no NaN gradient through log(0)
      const pos = mask(() => tf.greater(target, 0));
      const tLogT = tf.where(pos, tf.mul(target, tf.log(tf.where(pos, target, tf.onesLike(target)))), tf.zerosLike(target));
      loss = tf.sub(tLogT, tf.mul(target, input));
    }
    if (reduction === 'batchmean') return tf.div(tf.sum(loss), input.rank === 0 ? 1 : input.shape[0]);
    return reduce(loss, reduction);
  });
}

// ---------------------------------------------------------------------------------------------
// ranking and embeddings

export interface MarginOptions extends ReductionOptions {
  margin?: number;
}

/** torch.nn.functional.margin_ranking_loss: max(0, -y (x1 - x2) + margin), y in {1, -1}. */
export function marginRankingLoss(input1: tf.Tensor, input2: tf.Tensor, target: tf.Tensor, opts: MarginOptions = {}): tf.Tensor {
  const name = 'marginRankingLoss';
  const reduction = opts.reduction ?? 'mean';
  const margin = opts.margin ?? 0;
  checkReduction(name, reduction);
  checkFloat(name, 'input1', input1);
  checkFloat(name, 'input2', input2);
  checkFloat(name, 'target', target);
  checkSameShape(name, input1, input2, 'input1', 'input2');
  checkSameShape(name, input1, target, 'input1', 'target');
  return tf.tidy(() => reduce(clampMin0(tf.add(tf.mul(tf.neg(target), tf.sub(input1, input2)), margin)), reduction));
}

/**
 * torch.nn.functional.hinge_embedding_loss: x where y = 1, max(0, margin - x) where y = -1
 * (default margin 1; like torch, a target other than 1 and -1 gets both terms).
 */
export function hingeEmbeddingLoss(input: tf.Tensor, target: tf.Tensor, opts: MarginOptions = {}): tf.Tensor {
  const name = 'hingeEmbeddingLoss';
  const margin = opts.margin ?? 1;
  const reduction = checkPairwise(name, input, target, opts);
  return tf.tidy(() => {
    const zeros = tf.zerosLike(input);
    const marginTerm = tf.where(mask(() => tf.notEqual(target, 1)), clampMin0(tf.sub(margin, input)), zeros);
    const selfTerm = tf.where(mask(() => tf.notEqual(target, -1)), input, zeros);
    return reduce(tf.add(marginTerm, selfTerm), reduction);
  });
}

/**
 * torch.nn.functional.cosine_embedding_loss of `[N, D]` (or `[D]`) inputs and targets `[N]`
 * (or scalar) in {1, -1}: 1 - cos where y = 1, max(0, cos - margin) where y = -1.
 */
export function cosineEmbeddingLoss(input1: tf.Tensor, input2: tf.Tensor, target: tf.Tensor, opts: MarginOptions = {}): tf.Tensor {
  const name = 'cosineEmbeddingLoss';
  const reduction = opts.reduction ?? 'mean';
  const margin = opts.margin ?? 0;
  checkReduction(name, reduction);
  checkFloat(name, 'input1', input1);
  checkFloat(name, 'input2', input2);
  checkFloat(name, 'target', target);
  checkSameShape(name, input1, input2, 'input1', 'input2');
  if (input1.rank !== 1 && input1.rank !== 2) throw new Error(`${name}: inputs must be [N, D] or [D], got shape [${input1.shape}]`);
  if (!tf.util.arraysEqual(target.shape, input1.shape.slice(0, -1)))
    throw new Error(`${name}: target shape [${target.shape}] must be [${input1.shape.slice(0, -1)}] for inputs [${input1.shape}]`);
  return tf.tidy(() => {
    const EPS = 1e-12; // torch's EPSILON, added to each squared magnitude
    const prod = tf.sum(tf.mul(input1, input2), -1);
    const mag1 = tf.add(tf.sum(tf.square(input1), -1), EPS);
    const mag2 = tf.add(tf.sum(tf.square(input2), -1), EPS);
    const cos = tf.div(prod, tf.sqrt(tf.mul(mag1, mag2)));
    const zeros = tf.zerosLike(cos);
    const pos = tf.where(mask(() => tf.equal(target, 1)), tf.sub(1, cos), zeros);
    const neg = tf.where(mask(() => tf.equal(target, -1)), clampMin0(tf.sub(cos, margin)), zeros);
    return reduce(tf.add(pos, neg), reduction);
  });
}

export interface TripletMarginOptions extends ReductionOptions {
  /** Default 1. */
  margin?: number;
  /** Norm degree of the pairwise distance (> 0). Default 2. */
  p?: number;
  /** Added to the difference before the norm, like torch's pairwise_distance. Default 1e-6. */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (Balntas et al., 2016). Default false. */
  swap?: boolean;
}

/** ||x1 - x2 + eps||_p over the last axis (torch.nn.functional.pairwise_distance). */
function pairwiseDistance(x1: tf.Tensor, x2: tf.Tensor, p: number, eps: number): tf.Tensor {
  const d = tf.add(tf.sub(x1, x2), eps);
  if (p === 2) return tf.sqrt(tf.sum(tf.square(d), -1));
  if (p === 1) return tf.sum(abs(d), -1);
  return tf.pow(tf.sum(tf.pow(abs(d), p), -1), 1 / p);
}

/**
 * torch.nn.functional.triplet_margin_loss of `[N, D]` (or `[D]`) anchors, positives and
 * negatives: max(0, d(a, p) - d(a, n) + margin).
 */
export function tripletMarginLoss(anchor: tf.Tensor, positive: tf.Tensor, negative: tf.Tensor, opts: TripletMarginOptions = {}): tf.Tensor {
  const name = 'tripletMarginLoss';
  const reduction = opts.reduction ?? 'mean';
  const margin = opts.margin ?? 1;
  const p = opts.p ?? 2;
  const eps = opts.eps ?? 1e-6;
  checkReduction(name, reduction);
  if (!(p > 0)) throw new Error(`${name}: p must be > 0, got ${p}`);
  checkFloat(name, 'anchor', anchor);
  checkFloat(name, 'positive', positive);
  checkFloat(name, 'negative', negative);
  if (anchor.rank !== 1 && anchor.rank !== 2) throw new Error(`${name}: anchor must be [N, D] or [D], got shape [${anchor.shape}]`);
  checkSameShape(name, anchor, positive, 'anchor', 'positive');
  checkSameShape(name, anchor, negative, 'anchor', 'negative');
  return tf.tidy(() => {
    const dPos = pairwiseDistance(anchor, positive, p, eps);
    let dNeg = pairwiseDistance(anchor, negative, p, eps);
    if (opts.swap) dNeg = tf.minimum(dNeg, pairwiseDistance(positive, negative, p, eps));
    return reduce(clampMin0(tf.add(tf.sub(dPos, dNeg), margin)), reduction);
  });
}
