/**
 * OpenCV's handwritten digits sprite, `samples/data/digits.png`, from the Debian package
 * `opencv-doc` (4.6.0): /usr/share/doc/opencv-doc/examples/data/digits.png, a 2000×1000 grey
 * PNG of 5,000 digits in 20×20 cells, 50 rows of 100; each class fills 5 rows (500 digits: row
 * 0–4 are zeros, 5–9 ones, …), as OpenCV's digits.py reads it. White ink on black.
 *
 * Fixed splits: `stratifiedSplit(labels, OPENCV_DIGITS_SPLIT_SEED)`, 80/10/10 within each
 * class: 4,000 / 500 / 500, 400 / 50 / 50 per digit.
 */
import * as fs from 'fs';
import { aptHint, checkSplitTVT, requireFile, SplitTVT, stratifiedSplit, takeInt, takeRows } from './common';
import { decodePng } from './png';
import type { ImageSet } from './types';

/** Where `apt-get install opencv-doc` puts the sprite. */
export const OPENCV_DIGITS_FILE = '/usr/share/doc/opencv-doc/examples/data/digits.png';
/** Seed of the fixed splits (OpenCV 1.0 was released in 2006). */
export const OPENCV_DIGITS_SPLIT_SEED = 2006;

const CELL = 20;

export interface LoadOpencvDigitsOptions {
  /** `train` (4,000), `val` (500) or `test` (500). */
  split: SplitTVT;
  /** The digits.png file. Default /usr/share/doc/opencv-doc/examples/data/digits.png. */
  file?: string;
}

let memo: { file: string; images: Float32Array; labels: Int32Array } | null = null;

function readAll(file: string) {
  if (memo && memo.file === file) return memo;
  const png = decodePng(fs.readFileSync(requireFile('loadOpencvDigits', file, aptHint('opencv-doc'))), file);
  if (png.width !== 2000 || png.height !== 1000 || png.channels !== 1)
    throw new Error(`loadOpencvDigits: ${file} is ${png.width}×${png.height}×${png.channels}, expected the 2000×1000 grey digits sprite`);
  const cols = png.width / CELL;
  const rows = png.height / CELL;
  const n = rows * cols;
  const images = new Float32Array(n * CELL * CELL);
  const labels = new Int32Array(n);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      labels[i] = Math.floor(r / (rows / 10));
      for (let y = 0; y < CELL; y++)
        for (let x = 0; x < CELL; x++) images[i * CELL * CELL + y * CELL + x] = png.data[(r * CELL + y) * png.width + c * CELL + x] / 255;
    }
  memo = { file, images, labels };
  return memo;
}

/** Loads a fixed split of OpenCV's 5,000 digits as [N, 20, 20, 1] in [0, 1]. Needs `apt-get install opencv-doc`. */
export function loadOpencvDigits(opts: LoadOpencvDigitsOptions): ImageSet {
  checkSplitTVT('loadOpencvDigits', opts?.split);
  const all = readAll(opts.file ?? OPENCV_DIGITS_FILE);
  const index = stratifiedSplit(all.labels, OPENCV_DIGITS_SPLIT_SEED)[opts.split];
  return { images: takeRows(all.images, CELL * CELL, index), labels: takeInt(all.labels, index), shape: [index.length, CELL, CELL, 1], classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] };
}

