/**
 * UCI benchmark sets from the R package mlbench, read from the Debian package `r-cran-mlbench`
 * (2.1-3): /usr/lib/R/site-library/mlbench/data/<Name>.rda, xz-compressed R data files decoded
 * by our own readers (`./xz`, `./rdata`), no R needed.
 *
 * Every set becomes a `TabularSet`: the class column gives the labels (its factor levels are
 * the classes), numeric columns are features, factor columns whose levels are all numbers
 * (e.g. BreastCancer's 1–10 scores) become those numbers and other factor columns their level
 * index; text columns (ids) are dropped, as are rows with a missing value. Fixed splits:
 * `stratifiedSplit(labels, MLBENCH_SPLIT_SEED)`, 80/10/10 within each class.
 */
import * as path from 'path';
import { aptHint, checkSplitTVT, requireFile, SplitTVT, stratifiedSplit, takeInt, takeRows } from './common';
import { dataFrameColumns, R_NA_INTEGER, readRData } from './rdata';
import type { TabularSet } from './tabular';

/** Where `apt-get install r-cran-mlbench` puts the data files. */
export const MLBENCH_DATA_DIR = '/usr/lib/R/site-library/mlbench/data';
/** Seed of the fixed splits (the UCI repository was founded in 1987). */
export const MLBENCH_SPLIT_SEED = 1987;

/** The classification sets and their class column. */
export const MLBENCH_SETS = {
  LetterRecognition: 'lettr',
  Shuttle: 'Class',
  Satellite: 'classes',
  Vehicle: 'Class',
  Glass: 'Type',
  Sonar: 'Class',
  Ionosphere: 'Class',
  PimaIndiansDiabetes: 'diabetes',
  BreastCancer: 'Class',
  Vowel: 'Class',
  Zoo: 'type',
} as const;
export type MlbenchName = keyof typeof MLBENCH_SETS;

export interface LoadMlbenchOptions {
  /** Which set, e.g. `LetterRecognition`. */
  name: MlbenchName;
  /** `train` (80 %), `val` (10 %) or `test` (10 %), stratified by class. */
  split: SplitTVT;
  /** Directory of the .rda files. Default /usr/lib/R/site-library/mlbench/data. */
  dir?: string;
}

const memo = new Map<string, { features: Float32Array; labels: Int32Array; names: string[]; classes: string[] }>();

function readSet(dir: string, name: MlbenchName) {
  const key = `${dir}|${name}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const file = requireFile('loadMlbench', path.join(dir, `${name}.rda`), aptHint('r-cran-mlbench'));
  const obj = readRData(file)[name];
  if (!obj) throw new Error(`loadMlbench: ${file} holds no object ${name}`);
  const cols = dataFrameColumns(obj, `${file} ${name}`);
  const labelCol = cols[MLBENCH_SETS[name]];
  if (!labelCol || !('codes' in labelCol)) throw new Error(`loadMlbench: ${name}'s class column ${MLBENCH_SETS[name]} is missing or not a factor`);
  const featureCols: [string, Float64Array][] = [];
  for (const [k, c] of Object.entries(cols)) {
    if (k === MLBENCH_SETS[name] || Array.isArray(c)) continue; // the label, text columns
    let v: Float64Array;
    if ('codes' in c) {
      const numeric = c.levels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
      v = Float64Array.from(c.codes, (code) => (code < 0 ? NaN : numeric ? Number(c.levels[code]) : code));
    } else if (c instanceof Int32Array) v = Float64Array.from(c, (x) => (x === R_NA_INTEGER ? NaN : x));
    else v = c;
    featureCols.push([k, v]);
  }
  const n = labelCol.codes.length;
  const d = featureCols.length;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (labelCol.codes[i] >= 0 && featureCols.every(([, v]) => Number.isFinite(v[i]))) keep.push(i);
  const features = new Float32Array(keep.length * d);
  keep.forEach((i, r) => featureCols.forEach(([, v], j) => (features[r * d + j] = v[i])));
  const set = { features, labels: Int32Array.from(keep, (i) => labelCol.codes[i]), names: featureCols.map(([k]) => k), classes: [...labelCol.levels] };
  memo.set(key, set);
  return set;
}

/**
 * Loads a fixed split of an mlbench classification set (Debian `r-cran-mlbench`:
 * `apt-get install r-cran-mlbench`), e.g. `loadMlbench({ name: 'LetterRecognition', split: 'train' })`.
 */
export function loadMlbench(opts: LoadMlbenchOptions): TabularSet {
  checkSplitTVT('loadMlbench', opts?.split);
  if (!(opts.name in MLBENCH_SETS)) throw new Error(`loadMlbench: name must be one of ${Object.keys(MLBENCH_SETS).join(', ')}, got ${JSON.stringify(opts.name)}`);
  const all = readSet(opts.dir ?? MLBENCH_DATA_DIR, opts.name);
  const d = all.names.length;
  const index = stratifiedSplit(all.labels, MLBENCH_SPLIT_SEED)[opts.split];
  return { features: takeRows(all.features, d, index), labels: takeInt(all.labels, index), shape: [index.length, d], featureNames: [...all.names], classes: [...all.classes] };
}
