/**
 * Tabular classification sets from the npm package `vega-datasets` (3.2.1), `data/`:
 *
 *   penguins.json  Palmer penguins (Gorman et al., 2014): 344 birds, 342 with all four body
 *                  measurements; species Adelie 151 / Chinstrap 68 / Gentoo 123.
 *   cars.json      Auto MPG (UCI; Quinlan, 1993): 406 cars, 392 without missing values;
 *                  origin USA 245 / Europe 68 / Japan 79 from 7 numeric features.
 *
 * Rows with a missing feature are dropped. Fixed splits: `stratifiedSplit(labels,
 * VEGA_SPLIT_SEED)`, 80/10/10 within each class.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkSplitTVT, npmHint, npmPackageDir, requireFile, SplitTVT, stratifiedSplit, takeInt, takeRows } from './common';
import type { TabularSet } from './tabular';

/** Seed of the fixed splits (Vega's first release was in 2013). */
export const VEGA_SPLIT_SEED = 2013;

const PKG = 'vega-datasets';
const VERSION = '3.2.1';

export interface LoadVegaOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %), stratified by class. */
  split: SplitTVT;
  /** The package's `data` folder (default: the installed `vega-datasets`). */
  dir?: string;
}

function fromRecords(loader: string, file: string, opts: LoadVegaOptions, label: string, classes: string[], features: string[], convert: Record<string, (v: unknown) => number> = {}): TabularSet {
  checkSplitTVT(loader, opts?.split);
  const dir = opts.dir ?? path.join(npmPackageDir(loader, PKG, VERSION, 'the Vega example data sets'), 'data');
  const full = requireFile(loader, path.join(dir, file), npmHint(PKG, VERSION));
  const rows = JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>[];
  const values: number[] = [];
  const labels: number[] = [];
  for (const r of rows) {
    const x = features.map((f) => (convert[f] ? convert[f](r[f]) : r[f] === null || r[f] === undefined ? NaN : Number(r[f])));
    if (x.some((v) => !Number.isFinite(v))) continue;
    const c = classes.indexOf(String(r[label]));
    if (c < 0) throw new Error(`${loader}: ${full} has ${label} ${JSON.stringify(r[label])}, expected one of ${classes.join(', ')}`);
    values.push(...x);
    labels.push(c);
  }
  const all = Int32Array.from(labels);
  const index = stratifiedSplit(all, VEGA_SPLIT_SEED)[opts.split];
  const d = features.length;
  return { features: takeRows(Float32Array.from(values), d, index), labels: takeInt(all, index), shape: [index.length, d], featureNames: [...features], classes: [...classes] };
}

/** Palmer penguins: 342 × 4 (beak length/depth mm, flipper length mm, body mass g) → species; splits 272 / 33 / 37. */
export function loadPenguins(opts: LoadVegaOptions): TabularSet {
  return fromRecords('loadPenguins', 'penguins.json', opts, 'Species', ['Adelie', 'Chinstrap', 'Gentoo'], ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)']);
}

/** Auto MPG: 392 × 7 (mpg, cylinders, displacement, horsepower, weight, acceleration, model year) → origin; splits 313 / 37 / 42. */
export function loadCars(opts: LoadVegaOptions): TabularSet {
  return fromRecords('loadCars', 'cars.json', opts, 'Origin', ['USA', 'Europe', 'Japan'], ['Miles_per_Gallon', 'Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'], {
    Year: (v) => (typeof v === 'string' ? Number(v.slice(0, 4)) : NaN),
  });
}
