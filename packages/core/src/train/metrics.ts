/**
 * Classification and regression metrics: pure functions on tensors or arrays, and streaming
 * accumulators (`Metric`) that `fit` updates batch by batch. Numbers match scikit-learn's
 * (`accuracy_score`, `top_k_accuracy_score`, `precision/recall/f1_score` with zero_division=0,
 * `roc_auc_score`, `mean_squared_error`, `mean_absolute_error`).
 *
 * Predictions are read as:
 * - [N, C] scores (C > 1): the class is the argmax of each row;
 * - [N] or [N, 1] values: class labels when they are all integers and no `threshold` is given,
 *   otherwise scores thresholded at `threshold` (default 0.5: probabilities; use 0 for logits).
 * Targets are [N] (or [N, 1]) integer labels, or one-hot [N, C] rows.
 */
import { tf } from '../tf';

/** A tensor, a flat array of numbers, or an array of rows. */
export type MetricInput = tf.Tensor | ArrayLike<number> | ArrayLike<number>[];

interface Host {
  data: ArrayLike<number>;
  shape: number[];
}

function toHost(x: MetricInput, what: string): Host {
  if (x instanceof tf.Tensor) return { data: x.dataSync() as ArrayLike<number>, shape: x.shape };
  if (Array.isArray(x) && x.length && typeof x[0] !== 'number') {
    const rows = x as ArrayLike<number>[];
    const c = rows[0].length;
    const data = new Float64Array(rows.length * c);
    rows.forEach((r, i) => {
      if (r.length !== c) throw new Error(`${what}: row ${i} has ${r.length} values, row 0 has ${c}`);
      data.set(r as ArrayLike<number>, i * c);
    });
    return { data, shape: [rows.length, c] };
  }
  const flat = x as ArrayLike<number>;
  return { data: flat, shape: [flat.length] };
}

function argmaxRows(h: Host): Int32Array {
  const [n, c] = h.shape;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (h.data[i * c + j] > h.data[i * c + best]) best = j;
    out[i] = best;
  }
  return out;
}

function isColumn(h: Host): boolean {
  return h.shape.length === 1 || (h.shape.length === 2 && h.shape[1] === 1);
}

/** Predicted class labels from scores or labels (see the module comment). */
export function toLabels(pred: MetricInput, threshold?: number, what = 'metric'): Int32Array {
  const h = toHost(pred, what);
  if (h.shape.length === 2 && h.shape[1] > 1) return argmaxRows(h);
  if (!isColumn(h)) throw new Error(`${what}: predictions must be [N], [N, 1] or [N, C], got [${h.shape}]`);
  const n = h.data.length;
  const out = new Int32Array(n);
  let integral = threshold === undefined;
  for (let i = 0; i < n && integral; i++) integral = Number.isInteger(h.data[i]);
  const t = threshold ?? 0.5;
  for (let i = 0; i < n; i++) out[i] = integral ? h.data[i] : h.data[i] > t ? 1 : 0;
  return out;
}

function targetLabels(target: MetricInput, what: string): Int32Array {
  const h = toHost(target, what);
  if (h.shape.length === 2 && h.shape[1] > 1) return argmaxRows(h);
  if (!isColumn(h)) throw new Error(`${what}: targets must be [N], [N, 1] or one-hot [N, C], got [${h.shape}]`);
  const out = new Int32Array(h.data.length);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isInteger(h.data[i])) throw new Error(`${what}: target ${i} is ${h.data[i]}, not an integer class label`);
    out[i] = h.data[i];
  }
  return out;
}

function sameLength(a: ArrayLike<number>, b: ArrayLike<number>, what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} predictions but ${b.length} targets`);
}

/** A streaming metric: `update` per batch, `compute` at the end of an epoch, `reset` between epochs. */
export interface Metric {
  /** Key under which `fit` reports it ('accuracy', 'valAccuracy'…). */
  readonly name: string;
  update(output: MetricInput, target: MetricInput): void;
  compute(): number;
  reset(): void;
}

/** Running mean of numbers (weights = counts), used for losses. */
export class Mean {
  private sum = 0;
  private count = 0;
  constructor(readonly name = 'mean') {}
  add(value: number, weight = 1): void {
    this.sum += value * weight;
    this.count += weight;
  }
  compute(): number {
    return this.count ? this.sum / this.count : NaN;
  }
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

export class Accuracy implements Metric {
  private correct = 0;
  private total = 0;
  constructor(private readonly opts: { threshold?: number; name?: string } = {}) {}
  get name(): string {
    return this.opts.name ?? 'accuracy';
  }
  update(output: MetricInput, target: MetricInput): void {
    const p = toLabels(output, this.opts.threshold, this.name);
    const t = targetLabels(target, this.name);
    sameLength(p, t, this.name);
    for (let i = 0; i < p.length; i++) if (p[i] === t[i]) this.correct++;
    this.total += p.length;
  }
  compute(): number {
    return this.total ? this.correct / this.total : NaN;
  }
  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

/** Fraction of rows whose target is among the k highest scores (ties count in the target's favour). */
export class TopKAccuracy implements Metric {
  private correct = 0;
  private total = 0;
  constructor(readonly k = 5, private readonly label?: string) {
    if (!Number.isInteger(k) || k < 1) throw new Error(`TopKAccuracy: k must be a positive integer, got ${k}`);
  }
  get name(): string {
    return this.label ?? `top${this.k}Accuracy`;
  }
  update(output: MetricInput, target: MetricInput): void {
    const h = toHost(output, this.name);
    if (h.shape.length !== 2) throw new Error(`${this.name}: scores must be [N, C], got [${h.shape}]`);
    const [n, c] = h.shape;
    const t = targetLabels(target, this.name);
    sameLength({ length: n }, t, this.name);
    for (let i = 0; i < n; i++) {
      if (t[i] < 0 || t[i] >= c) throw new Error(`${this.name}: target ${t[i]} is out of range for ${c} classes`);
      const s = h.data[i * c + t[i]];
      let above = 0;
      for (let j = 0; j < c; j++) if (h.data[i * c + j] > s) above++;
      if (above < this.k) this.correct++;
    }
    this.total += n;
  }
  compute(): number {
    return this.total ? this.correct / this.total : NaN;
  }
  reset(): void {
    this.correct = 0;
    this.total = 0;
  }
}

export type Average = 'binary' | 'macro' | 'micro';

export interface ClassificationOptions {
  /**
   * 'binary': the score of class `posLabel`; 'micro': from counts pooled over classes; 'macro':
   * unweighted mean over classes. Default: 'binary' when every label seen is 0 or 1 (and
   * `numClasses` is not above 2), otherwise 'macro'.
   */
  average?: Average;
  /** The positive class for 'binary'. Default 1. */
  posLabel?: number;
  /** Threshold for [N] / [N, 1] scores (see the module comment). */
  threshold?: number;
  /** Average over classes 0..numClasses-1; default: the classes present in targets or predictions (as sklearn). */
  numClasses?: number;
  name?: string;
}

/** Streaming confusion counts: `counts.get(t * K + p)` with K large enough for every label. */
export class ConfusionMatrix {
  private readonly pairs = new Map<string, number>();
  private maxLabel = -1;

  constructor(private readonly threshold?: number) {}

  update(output: MetricInput, target: MetricInput, what = 'confusionMatrix'): void {
    const p = toLabels(output, this.threshold, what);
    const t = targetLabels(target, what);
    sameLength(p, t, what);
    for (let i = 0; i < p.length; i++) {
      if (p[i] < 0 || t[i] < 0) throw new Error(`${what}: class labels must be non-negative, got prediction ${p[i]}, target ${t[i]}`);
      const key = `${t[i]},${p[i]}`;
      this.pairs.set(key, (this.pairs.get(key) ?? 0) + 1);
      this.maxLabel = Math.max(this.maxLabel, p[i], t[i]);
    }
  }

  /** The matrix: rows are targets, columns predictions, `size` classes (default: max label + 1). */
  matrix(size = this.maxLabel + 1): number[][] {
    const m = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (const [key, n] of this.pairs) {
      const [t, p] = key.split(',').map(Number);
      if (t < size && p < size) m[t][p] += n;
    }
    return m;
  }

  /** Classes that occur as a target or a prediction. */
  present(): number[] {
    const s = new Set<number>();
    for (const key of this.pairs.keys()) for (const v of key.split(',')) s.add(Number(v));
    return [...s].sort((a, b) => a - b);
  }

  get numLabels(): number {
    return this.maxLabel + 1;
  }

  reset(): void {
    this.pairs.clear();
    this.maxLabel = -1;
  }
}

type Kind = 'precision' | 'recall' | 'f1';

function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b; // sklearn's zero_division=0
}

function score(kind: Kind, tp: number, fp: number, fn: number): number {
  if (kind === 'precision') return ratio(tp, tp + fp);
  if (kind === 'recall') return ratio(tp, tp + fn);
  return ratio(2 * tp, 2 * tp + fp + fn);
}

abstract class ClassificationMetric implements Metric {
  protected readonly cm: ConfusionMatrix;
  protected abstract readonly kind: Kind;
  constructor(protected readonly opts: ClassificationOptions = {}) {
    this.cm = new ConfusionMatrix(opts.threshold);
    if (opts.average && !['binary', 'macro', 'micro'].includes(opts.average))
      throw new Error(`average must be 'binary', 'macro' or 'micro', got '${opts.average}'`);
  }
  get name(): string {
    return this.opts.name ?? this.kind;
  }
  update(output: MetricInput, target: MetricInput): void {
    this.cm.update(output, target, this.name);
  }
  compute(): number {
    const size = Math.max(this.cm.numLabels, this.opts.numClasses ?? 0, (this.opts.posLabel ?? 1) + 1);
    if (this.cm.numLabels === 0) return NaN;
    const m = this.cm.matrix(size);
    const counts = (c: number) => {
      const tp = m[c][c];
      let col = 0;
      let row = 0;
      for (let k = 0; k < size; k++) {
        col += m[k][c];
        row += m[c][k];
      }
      return { tp, fp: col - tp, fn: row - tp };
    };
    const binaryData = this.cm.numLabels <= 2 && (this.opts.numClasses ?? 2) <= 2;
    const average = this.opts.average ?? (binaryData ? 'binary' : 'macro');
    if (average === 'binary') {
      if (!binaryData) throw new Error(`${this.name}: average 'binary' needs labels 0/1, got ${this.cm.numLabels} classes; use 'macro' or 'micro'`);
      const { tp, fp, fn } = counts(this.opts.posLabel ?? 1);
      return score(this.kind, tp, fp, fn);
    }
    const classes = this.opts.numClasses !== undefined ? Array.from({ length: this.opts.numClasses }, (_, i) => i) : this.cm.present();
    if (average === 'micro') {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const c of classes) {
        const k = counts(c);
        tp += k.tp;
        fp += k.fp;
        fn += k.fn;
      }
      return score(this.kind, tp, fp, fn);
    }
    let sum = 0;
    for (const c of classes) {
      const { tp, fp, fn } = counts(c);
      sum += score(this.kind, tp, fp, fn);
    }
    return sum / classes.length;
  }
  reset(): void {
    this.cm.reset();
  }
}

export class Precision extends ClassificationMetric {
  protected readonly kind = 'precision';
}
export class Recall extends ClassificationMetric {
  protected readonly kind = 'recall';
}
export class F1 extends ClassificationMetric {
  protected readonly kind = 'f1';
}

/**
 * Area under the ROC curve of binary scores (sklearn's roc_auc_score). Scores are [N], [N, 1] or
 * [N, 2] (column 1 is the positive class); targets are 0/1. Equal scores count as half a win,
 * which equals sklearn's trapezoidal area over distinct thresholds. Keeps every score in memory.
 */
export class RocAuc implements Metric {
  private scores: number[] = [];
  private labels: number[] = [];
  constructor(private readonly label?: string) {}
  get name(): string {
    return this.label ?? 'rocAuc';
  }
  update(output: MetricInput, target: MetricInput): void {
    const h = toHost(output, this.name);
    let s: ArrayLike<number>;
    if (isColumn(h)) s = h.data;
    else if (h.shape.length === 2 && h.shape[1] === 2) s = Array.from({ length: h.shape[0] }, (_, i) => h.data[2 * i + 1]);
    else throw new Error(`${this.name}: scores must be [N], [N, 1] or [N, 2], got [${h.shape}]`);
    const t = targetLabels(target, this.name);
    sameLength(s, t, this.name);
    for (let i = 0; i < t.length; i++) {
      if (t[i] !== 0 && t[i] !== 1) throw new Error(`${this.name}: targets must be 0 or 1, got ${t[i]}`);
      this.scores.push(s[i]);
      this.labels.push(t[i]);
    }
  }
  compute(): number {
    const n = this.scores.length;
    const pos = this.labels.reduce((a, b) => a + b, 0);
    const neg = n - pos;
    if (pos === 0 || neg === 0)
      throw new Error(`${this.name}: only one class present in the targets (${pos} positive, ${neg} negative); ROC AUC is undefined`);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => this.scores[a] - this.scores[b]);
    // Mann–Whitney U: sum of the (tie-averaged) ranks of the positives.
    let rankSum = 0;
    for (let i = 0; i < n; ) {
      let j = i;
      while (j + 1 < n && this.scores[order[j + 1]] === this.scores[order[i]]) j++;
      const avgRank = (i + j) / 2 + 1;
      for (let k = i; k <= j; k++) if (this.labels[order[k]] === 1) rankSum += avgRank;
      i = j + 1;
    }
    return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
  }
  reset(): void {
    this.scores = [];
    this.labels = [];
  }
}

abstract class RegressionMetric implements Metric {
  private sum = 0;
  private count = 0;
  protected abstract readonly defaultName: string;
  protected abstract term(d: number): number;
  constructor(private readonly label?: string) {}
  get name(): string {
    return this.label ?? this.defaultName;
  }
  update(output: MetricInput, target: MetricInput): void {
    const o = toHost(output, this.name).data;
    const t = toHost(target, this.name).data;
    sameLength(o, t, this.name);
    for (let i = 0; i < o.length; i++) this.sum += this.term(o[i] - t[i]);
    this.count += o.length;
  }
  compute(): number {
    return this.count ? this.sum / this.count : NaN;
  }
  reset(): void {
    this.sum = 0;
    this.count = 0;
  }
}

export class MeanSquaredError extends RegressionMetric {
  protected readonly defaultName = 'mse';
  protected term(d: number): number {
    return d * d;
  }
}

export class MeanAbsoluteError extends RegressionMetric {
  protected readonly defaultName = 'mae';
  protected term(d: number): number {
    return Math.abs(d);
  }
}

function once(m: Metric, output: MetricInput, target: MetricInput): number {
  m.update(output, target);
  return m.compute();
}

/** Fraction of correct predictions. */
export function accuracy(pred: MetricInput, target: MetricInput, opts: { threshold?: number } = {}): number {
  return once(new Accuracy(opts), pred, target);
}

/** Fraction of rows of [N, C] `scores` whose target is among the top `k`. */
export function topKAccuracy(scores: MetricInput, target: MetricInput, k = 5): number {
  return once(new TopKAccuracy(k), scores, target);
}

export function precision(pred: MetricInput, target: MetricInput, opts: ClassificationOptions = {}): number {
  return once(new Precision(opts), pred, target);
}

export function recall(pred: MetricInput, target: MetricInput, opts: ClassificationOptions = {}): number {
  return once(new Recall(opts), pred, target);
}

export function f1(pred: MetricInput, target: MetricInput, opts: ClassificationOptions = {}): number {
  return once(new F1(opts), pred, target);
}

/** Confusion matrix, rows = targets, columns = predictions. */
export function confusionMatrix(pred: MetricInput, target: MetricInput, opts: { numClasses?: number; threshold?: number } = {}): number[][] {
  const cm = new ConfusionMatrix(opts.threshold);
  cm.update(pred, target);
  return cm.matrix(opts.numClasses);
}

export function rocAuc(scores: MetricInput, target: MetricInput): number {
  return once(new RocAuc(), scores, target);
}

export function mse(pred: MetricInput, target: MetricInput): number {
  return once(new MeanSquaredError(), pred, target);
}

export function mae(pred: MetricInput, target: MetricInput): number {
  return once(new MeanAbsoluteError(), pred, target);
}

/**
 * A metric from its name: 'accuracy', 'top5Accuracy' (any k), 'precision', 'recall', 'f1'
 * (optionally suffixed 'Macro' | 'Micro' | 'Binary'), 'rocAuc', 'mse', 'mae'.
 */
export function createMetric(name: string): Metric {
  if (name === 'accuracy') return new Accuracy();
  const top = /^top(\d+)Accuracy$/.exec(name);
  if (top) return new TopKAccuracy(Number(top[1]));
  const cls = /^(precision|recall|f1)(Macro|Micro|Binary)?$/.exec(name);
  if (cls) {
    const opts: ClassificationOptions = { name, average: cls[2] ? (cls[2].toLowerCase() as Average) : undefined };
    return cls[1] === 'precision' ? new Precision(opts) : cls[1] === 'recall' ? new Recall(opts) : new F1(opts);
  }
  if (name === 'rocAuc') return new RocAuc();
  if (name === 'mse') return new MeanSquaredError();
  if (name === 'mae') return new MeanAbsoluteError();
  throw new Error(
    `unknown metric '${name}'; known: accuracy, top<k>Accuracy, precision, recall, f1 (+Macro/Micro/Binary), rocAuc, mse, mae, or pass a Metric object`,
  );
}
