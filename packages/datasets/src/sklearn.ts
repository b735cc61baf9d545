/**
 * The small UCI data sets bundled with scikit-learn, read from the Debian package
 * `python3-sklearn` (1.2.1), which installs them under
 * /usr/lib/python3/dist-packages/sklearn/datasets/data/:
 *
 *   iris.csv           Iris (Fisher, 1936): 150 flowers, 4 features, 3 species × 50
 *   wine_data.csv      Wine recognition (Forina et al.): 178 wines, 13 features, 3 cultivars (59/71/48)
 *   breast_cancer.csv  Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features, 212 malignant / 357 benign
 *   digits.csv.gz      Optical recognition of handwritten digits: 1,797 8×8 images, values 0–16, 64 + label per row
 *
 * The CSVs' first line is `N,D,class names…`, then N rows of D features and an integer label
 * (digits has no header). Fixed splits: `stratifiedSplit(labels, seed)` 80/10/10 within each class.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { aptHint, checkSplitTVT, requireFile, SplitTVT, stratifiedSplit, takeInt, takeRows } from './common';
import type { TabularSet } from './tabular';
import type { ImageSet } from './types';

/** Where `apt-get install python3-sklearn` puts the CSVs. */
export const SKLEARN_DATA_DIR = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
/** Seed of the fixed splits of the scikit-learn sets (scikit-learn 0.1 was released in 2010). */
export const SKLEARN_SPLIT_SEED = 2010;

const APT = 'python3-sklearn';

export interface LoadSklearnOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %), stratified by class. */
  split: SplitTVT;
  /** Directory holding the CSVs. Default /usr/lib/python3/dist-packages/sklearn/datasets/data. */
  dir?: string;
}

/** Parses scikit-learn's `N,D,classes…` CSV into features, labels and class names. */
export function parseSklearnCsv(text: string, what = 'CSV'): { features: Float32Array; labels: Int32Array; shape: [number, number]; classes: string[] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  const head = lines[0].split(',');
  const n = Number(head[0]);
  const d = Number(head[1]);
  if (!Number.isInteger(n) || !Number.isInteger(d) || lines.length - 1 !== n)
    throw new Error(`parseSklearnCsv: ${what} header says ${head[0]} rows of ${head[1]} features, found ${lines.length - 1} rows`);
  const classes = head.slice(2);
  const features = new Float32Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1].split(',');
    if (cells.length !== d + 1) throw new Error(`parseSklearnCsv: ${what} row ${i + 1} has ${cells.length} cells, expected ${d + 1}`);
    for (let j = 0; j < d; j++) features[i * d + j] = Number(cells[j]);
    labels[i] = Number(cells[d]);
    if (!Number.isInteger(labels[i]) || labels[i] < 0 || labels[i] >= classes.length)
      throw new Error(`parseSklearnCsv: ${what} row ${i + 1} has label ${cells[d]}, expected 0..${classes.length - 1}`);
  }
  if (features.some((v) => Number.isNaN(v))) throw new Error(`parseSklearnCsv: ${what} holds a non-numeric feature`);
  return { features, labels, shape: [n, d], classes };
}

function read(loader: string, dir: string, name: string): string {
  const file = requireFile(loader, path.join(dir, name), aptHint(APT));
  const bytes = fs.readFileSync(file);
  return (name.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
}

function tabular(loader: string, file: string, featureNames: string[], opts: LoadSklearnOptions): TabularSet {
  checkSplitTVT(loader, opts?.split);
  const dir = opts.dir ?? SKLEARN_DATA_DIR;
  const all = parseSklearnCsv(read(loader, dir, file), path.join(dir, file));
  if (all.shape[1] !== featureNames.length) throw new Error(`${loader}: ${file} has ${all.shape[1]} features, expected ${featureNames.length}`);
  const index = stratifiedSplit(all.labels, SKLEARN_SPLIT_SEED)[opts.split];
  return {
    features: takeRows(all.features, all.shape[1], index),
    labels: takeInt(all.labels, index),
    shape: [index.length, all.shape[1]],
    featureNames: [...featureNames],
    classes: all.classes,
  };
}

/** Column names of Iris, in file order. */
export const IRIS_FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
/** Column names of Wine, in file order. */
export const WINE_FEATURES = ['alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids', 'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280/od315_of_diluted_wines', 'proline'];
const CELL = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave points', 'symmetry', 'fractal dimension'];
/** Column names of Breast Cancer Wisconsin: the mean, standard error and worst of 10 cell measures. */
export const BREAST_CANCER_FEATURES = [...CELL.map((c) => `mean ${c}`), ...CELL.map((c) => `${c} error`), ...CELL.map((c) => `worst ${c}`)];

/** Iris: 150 × 4, classes setosa / versicolor / virginica; splits 120 / 15 / 15. Needs `apt-get install python3-sklearn`. */
export function loadIris(opts: LoadSklearnOptions): TabularSet {
  return tabular('loadIris', 'iris.csv', IRIS_FEATURES, opts);
}

/** Wine: 178 × 13, classes class_0 / class_1 / class_2; splits 141 / 16 / 21. Needs `apt-get install python3-sklearn`. */
export function loadWine(opts: LoadSklearnOptions): TabularSet {
  return tabular('loadWine', 'wine_data.csv', WINE_FEATURES, opts);
}

/** Breast Cancer Wisconsin (Diagnostic): 569 × 30, classes malignant / benign; splits 454 / 56 / 59. Needs `apt-get install python3-sklearn`. */
export function loadBreastCancer(opts: LoadSklearnOptions): TabularSet {
  return tabular('loadBreastCancer', 'breast_cancer.csv', BREAST_CANCER_FEATURES, opts);
}

/**
 * scikit-learn's digits: 1,797 8×8 grey images (UCI optdigits test set, 0–16 counts of 4×4
 * blocks) as [N, 8, 8, 1] in [0, 1] (value / 16); splits 1,433 / 176 / 188.
 * Needs `apt-get install python3-sklearn`.
 */
export function loadDigits(opts: LoadSklearnOptions): ImageSet {
  checkSplitTVT('loadDigits', opts?.split);
  const dir = opts.dir ?? SKLEARN_DATA_DIR;
  const rows = read('loadDigits', dir, 'digits.csv.gz').split(/\r?\n/).filter((l) => l.trim());
  const pixels = new Float32Array(rows.length * 64);
  const labels = new Int32Array(rows.length);
  rows.forEach((row, i) => {
    const cells = row.split(',').map(Number);
    if (cells.length !== 65 || cells.some((v) => !Number.isInteger(v) || v < 0 || v > 16))
      throw new Error(`loadDigits: ${path.join(dir, 'digits.csv.gz')} row ${i + 1} must hold 64 values in 0..16 and a label`);
    for (let j = 0; j < 64; j++) pixels[i * 64 + j] = cells[j] / 16;
    labels[i] = cells[64];
  });
  const index = stratifiedSplit(labels, SKLEARN_SPLIT_SEED)[opts.split];
  return { images: takeRows(pixels, 64, index), labels: takeInt(labels, index), shape: [index.length, 8, 8, 1], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

/** A photo shipped with scikit-learn, as JPEG bytes (decode with e.g. sharp in @neuralzoo/vision). */
export interface SampleImage {
  name: 'china' | 'flower';
  file: string;
  /** The JPEG file's bytes. */
  jpeg: Uint8Array;
  /** Pixel size from the JPEG frame header. */
  width: number;
  height: number;
  /** Licence and attribution (from the package's images/README.txt). */
  license: string;
}

/** Width and height from a baseline/progressive JPEG's SOF marker. */
export function jpegSize(bytes: Uint8Array, what = 'JPEG data'): { width: number; height: number } {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) throw new Error(`jpegSize: ${what} is not a JPEG file`);
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`jpegSize: ${what} has a corrupt marker at byte ${at}`);
    const marker = bytes[at + 1];
    const len = (bytes[at + 2] << 8) | bytes[at + 3];
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: (bytes[at + 5] << 8) | bytes[at + 6], width: (bytes[at + 7] << 8) | bytes[at + 8] };
    at += 2 + len;
  }
  throw new Error(`jpegSize: ${what} has no frame header`);
}

/**
 * scikit-learn's two sample photos (`china.jpg`, `flower.jpg`, 640×427, CC BY 2.0) from the
 * Debian package `python3-sklearn`, as JPEG bytes with their size and licence.
 */
export function sklearnSampleImages(opts: { dir?: string } = {}): SampleImage[] {
  const dir = opts.dir ?? path.join(SKLEARN_DATA_DIR, '..', 'images');
  const license = 'CC BY 2.0 (https://creativecommons.org/licenses/by/2.0/); see images/README.txt of scikit-learn for attribution';
  return (['china', 'flower'] as const).map((name) => {
    const file = requireFile('sklearnSampleImages', path.join(dir, `${name}.jpg`), aptHint(APT));
    const jpeg = new Uint8Array(fs.readFileSync(file));
    return { name, file, jpeg, ...jpegSize(jpeg, file), license };
  });
}
