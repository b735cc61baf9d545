import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist } from './fashion-mnist';

// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(path.join(FASHION_MNIST_DIR, 't10k-images-idx3-ubyte.gz'));

describe('loadFashionMnist', () => {
  it('finds the Debian data set (apt-get install dataset-fashion-mnist)', () => {
    expect(installed).toBe(true);
  });

  (installed ? it : it.skip)('loads the 10,000 test images: shapes, balanced labels, values in [0, 1]', () => {
    const set = loadFashionMnist({ split: 'test' });
    expect(set.shape).toEqual([10000, 28, 28, 1]);
    expect(set.images.length).toBe(10000 * 784);
    expect(set.classes).toEqual(FASHION_MNIST_CLASSES);
    expect(set.classes).toHaveLength(10);
    // The test split holds exactly 1,000 images per class.
    expect(Array.from({ length: 10 }, (_, c) => set.labels.filter((l) => l === c).length)).toEqual(Array(10).fill(1000));
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of set.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    // Fashion-MNIST's published test-set mean pixel is 0.2868.
    expect(sum / set.images.length).toBeCloseTo(0.2868, 3);
    // First test image is an ankle boot (label 9), as in the original files.
    expect(set.labels[0]).toBe(9);
  });

  (installed ? it : it.skip)('loads the 60,000 training images with 6,000 per class', () => {
    const set = loadFashionMnist({ split: 'train' });
    expect(set.shape).toEqual([60000, 28, 28, 1]);
    expect(Array.from({ length: 10 }, (_, c) => set.labels.filter((l) => l === c).length)).toEqual(Array(10).fill(6000));
  });

  it('names the apt-get command when the files are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-fashion-'));
    try {
      expect(() => loadFashionMnist({ split: 'test', dir: empty })).toThrow(
        `loadFashionMnist: ${path.join(empty, 't10k-images-idx3-ubyte.gz')} is missing; install the data set with: apt-get install dataset-fashion-mnist`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
