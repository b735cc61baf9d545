import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { data, tf } from '@neuralzoo/core';
import { BREAST_CANCER_FEATURES, jpegSize, loadBreastCancer, loadDigits, loadIris, loadWine, parseSklearnCsv, SKLEARN_DATA_DIR, sklearnSampleImages } from './sklearn';
import { columnStats, standardize, toTabularDataset } from './tabular';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const perClass = (labels: Int32Array, k: number) => Array.from({ length: k }, (_, c) => labels.filter((l) => l === c).length);
const splits = ['train', 'val', 'test'] as const;
// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(path.join(SKLEARN_DATA_DIR, 'iris.csv'));
const maybe = installed ? it : it.skip;

describe('scikit-learn data sets (Debian python3-sklearn)', () => {
  it('finds the Debian package (apt-get install python3-sklearn)', () => {
    expect(installed).toBe(true);
  });

  maybe('Iris: 150 × 4, 50 per species, split 120 / 15 / 15', () => {
    const p = splits.map((split) => loadIris({ split }));
    expect(p.map((s) => s.shape)).toEqual([[120, 4], [15, 4], [15, 4]]);
    expect(p.map((s) => perClass(s.labels, 3))).toEqual([[40, 40, 40], [5, 5, 5], [5, 5, 5]]);
    expect(p[0].classes).toEqual(['setosa', 'versicolor', 'virginica']);
    // Fisher's column means over all 150 flowers.
    const all = { ...p[0], features: Float32Array.from([...p[0].features, ...p[1].features, ...p[2].features]), shape: [150, 4] as [number, number] };
    expect(Array.from(columnStats(all).mean).map((m) => +m.toFixed(3))).toEqual([5.843, 3.057, 3.758, 1.199]);
    expect(sha256(p[2].labels)).toBe('2edf5ea976218778d7195b0bf9ecf24d360fbc8115ffc3dfbda752068ebd787e');
    expect(sha256(p[2].features)).toBe('1374dba29b2841fee8d297116df914f599b49869a94c51c30e052d6261001183');
  });

  maybe('Wine: 178 × 13, cultivars 59 / 71 / 48, split 141 / 16 / 21', () => {
    const p = splits.map((split) => loadWine({ split }));
    expect(p.map((s) => s.shape[0])).toEqual([141, 16, 21]);
    expect(perClass(p[0].labels, 3).map((c, k) => c + perClass(p[1].labels, 3)[k] + perClass(p[2].labels, 3)[k])).toEqual([59, 71, 48]);
    expect(p[0].featureNames[12]).toBe('proline');
    expect(sha256(p[2].features)).toBe('c10ff3e71e537def702c1fd1512b0ef95e5fb5a4bbcad763094c8a03fc6051fd');
  });

  maybe('Breast cancer: 569 × 30, 212 malignant / 357 benign, split 454 / 56 / 59', () => {
    const p = splits.map((split) => loadBreastCancer({ split }));
    expect(p.map((s) => s.shape)).toEqual([[454, 30], [56, 30], [59, 30]]);
    expect(p.map((s) => perClass(s.labels, 2))).toEqual([[169, 285], [21, 35], [22, 37]]);
    expect(p[0].classes).toEqual(['malignant', 'benign']);
    expect(p[0].featureNames).toEqual(BREAST_CANCER_FEATURES);
    expect(BREAST_CANCER_FEATURES.slice(0, 2).concat(BREAST_CANCER_FEATURES[10], BREAST_CANCER_FEATURES[29])).toEqual(['mean radius', 'mean texture', 'radius error', 'worst fractal dimension']);
    expect(sha256(p[2].features)).toBe('bd339093b08c02cf99e7360d1e9cf80349d356248852cbcd2b26e3e93c30777f');
  });

  maybe('Digits: 1,797 8×8 images in [0, 1], split 1,433 / 176 / 188 with ~10 % of each class held out', () => {
    const p = splits.map((split) => loadDigits({ split }));
    expect(p.map((s) => s.shape)).toEqual([[1433, 8, 8, 1], [176, 8, 8, 1], [188, 8, 8, 1]]);
    const totals = perClass(p[0].labels, 10).map((c, k) => c + perClass(p[1].labels, 10)[k] + perClass(p[2].labels, 10)[k]);
    expect(totals).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(perClass(p[2].labels, 10)).toEqual([19, 19, 19, 19, 19, 19, 19, 19, 18, 18]);
    expect(Math.max(...p[0].images)).toBe(1);
    expect(Math.min(...p[0].images)).toBe(0);
    // Every value is a count of 0..16 scaled by 1/16.
    expect(p[2].images.every((v) => Number.isInteger(v * 16))).toBe(true);
    expect(sha256(p[2].labels)).toBe('5110c63dd900907b754e426d67f64f0a07b62772c554ed664fb60b841692d5ed');
    expect(sha256(p[2].images)).toBe('4a42498f960b1a874523216eeedb2c2bbfd2b074345f0b80fa2c3285b84ae050');
  });

  maybe('standardizes with train statistics and batches through data.DataLoader without leaking', () => {
    const train = loadWine({ split: 'train' });
    const z = standardize(train, columnStats(train));
    const s = columnStats(z);
    expect(Array.from(s.mean).every((m) => Math.abs(m) < 1e-4)).toBe(true);
    expect(Array.from(s.std).every((v) => Math.abs(v - 1) < 1e-4)).toBe(true);
    const before = tf.memory().numTensors;
    let rows = 0;
    for (const batch of new data.DataLoader(toTabularDataset(z), { batchSize: 64 })) {
      const [x, y] = batch as tf.Tensor[];
      expect(x.shape).toEqual([y.shape[0], 13]);
      rows += y.shape[0];
      data.disposeBatch(batch);
    }
    expect(rows).toBe(141);
    expect(tf.memory().numTensors).toBe(before);
  });

  maybe('ships the two sample photos as 640×427 JPEGs', () => {
    const photos = sklearnSampleImages();
    expect(photos.map((p) => [p.name, p.width, p.height, p.jpeg.length])).toEqual([['china', 640, 427, 196653], ['flower', 640, 427, 142987]]);
    expect(sha256(photos[0].jpeg)).toBe('8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29');
    expect(photos[0].license).toContain('CC BY 2.0');
  });

  it('reads JPEG sizes from the frame header', () => {
    // SOI, an APP0 segment of length 4, then SOF0 with height 2 and width 3.
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
    expect(jpegSize(jpeg)).toEqual({ width: 3, height: 2 });
    expect(() => jpegSize(Uint8Array.from([0x89, 0x50]), 'x.png')).toThrow('jpegSize: x.png is not a JPEG file');
  });

  it('parses the CSV format and names the apt-get command when files are missing', () => {
    const csv = parseSklearnCsv('2,2,a,b\n1.5,2,0\n3,4.25,1\n');
    expect(Array.from(csv.features)).toEqual([1.5, 2, 3, 4.25]);
    expect(Array.from(csv.labels)).toEqual([0, 1]);
    expect(csv.classes).toEqual(['a', 'b']);
    expect(() => parseSklearnCsv('3,2,a\n1,2,0\n', 'x.csv')).toThrow('parseSklearnCsv: x.csv header says 3 rows of 2 features, found 1 rows');
    expect(() => parseSklearnCsv('1,2,a\n1,2,5\n', 'x.csv')).toThrow('parseSklearnCsv: x.csv row 1 has label 5, expected 0..0');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-sklearn-'));
    try {
      expect(() => loadIris({ split: 'val', dir: empty })).toThrow(`loadIris: ${path.join(empty, 'iris.csv')} is missing; install the data set with: apt-get install python3-sklearn`);
      expect(() => toTabularDataset({ features: new Float32Array(3), labels: new Int32Array(1), shape: [1, 2], featureNames: [], classes: [] })).toThrow(
        'toTabularDataset: shape [1,2] needs 2 values and 1 labels, got 3 and 1',
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
