import { backward, data, manualSeed, optim, tf } from '@neuralzoo/core';
import { loadMnist } from '@neuralzoo/datasets';
import { BinaryImageDataset, binarize, pixelCnn } from './index';

// A small PixelCNN trained for one short pass over 2,000 binarized MNIST digits must model the
// digits far better than independent pixels: the best per-pixel Bernoulli model (pixel
// frequencies of the training digits) scores ~200 nats on the test digits, an untrained net ~545.
describe('PixelCNN learns binarized MNIST', () => {
  it('reaches < 150 nats per test image after 2,000 training digits', () => {
    manualSeed(0);
    const train = loadMnist({ split: 'train' });
    const test = loadMnist({ split: 'test' });
    const n = 2000;
    const pixels = 28 * 28;
    const trainSet = new BinaryImageDataset(binarize(train.images.subarray(0, n * pixels)), [n, 28, 28, 1]);
    const testSet = new BinaryImageDataset(binarize(test.images.subarray(0, 500 * pixels)), [500, 28, 28, 1]);
    const model = pixelCnn({ hiddenChannels: 32, numBlocks: 2, outputChannels: 32 });
    const opt = new optim.Adam(model.parameters(), { lr: 3e-3 });
    for (const [x, y] of new data.DataLoader(trainSet, { batchSize: 32, shuffle: true, seed: 0 })) {
      backward(() => model.loss(x), model);
      opt.step();
      opt.zeroGrad();
      tf.dispose([x, y]);
    }
    // the independent-pixel baseline: per-pixel frequencies of the training digits
    const freq = new Float64Array(pixels);
    for (let i = 0; i < n; i++) for (let p = 0; p < pixels; p++) freq[p] += trainSet.images[i * pixels + p] / n;
    let baseline = 0;
    for (let i = 0; i < 500; i++)
      for (let p = 0; p < pixels; p++) {
        const q = Math.min(1 - 1e-3, Math.max(1e-3, freq[p]));
        baseline -= testSet.images[i * pixels + p] ? Math.log(q) : Math.log(1 - q);
      }
    baseline /= 500;
    model.eval();
    let nll = 0;
    for (const [x, y] of new data.DataLoader(testSet, { batchSize: 100 })) {
      nll += tf.tidy(() => model.nll(x).sum().dataSync()[0]);
      tf.dispose([x, y]);
    }
    nll /= 500;
    expect(baseline).toBeGreaterThan(180);
    expect(nll).toBeLessThan(150);
    expect(nll).toBeLessThan(baseline - 40);
    model.dispose();
  });
});
