import { data, manualSeed, optim, train } from '@neuralzoo/core';
import { ImageSet, loadFashionMnist, toDataset } from '@neuralzoo/datasets';
import { lenet5 } from './index';

/** The first n images of a split (a view, no copy). */
function head(set: ImageSet, n: number): ImageSet {
  const [, h, w, c] = set.shape;
  return { ...set, images: set.images.subarray(0, n * h * w * c), labels: set.labels.subarray(0, n), shape: [n, h, w, c] };
}

// Two short epochs of LeNet-5 on 6,000 real Fashion-MNIST train images must beat 75% on 2,000 test
// images (chance is 10%); the full recipe (`scripts/train-fashion.js lenet5`, README) goes further.
describe('LeNet5 learns Fashion-MNIST', () => {
  it('gets > 75% test accuracy on a subset after two epochs', async () => {
    manualSeed(0);
    const model = lenet5();
    const trainLoader = new data.DataLoader(toDataset(head(loadFashionMnist({ split: 'train' }), 6000)), { batchSize: 32, shuffle: true });
    const testLoader = new data.DataLoader(toDataset(head(loadFashionMnist({ split: 'test' }), 2000)), { batchSize: 500 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
    const history = await train.fit(model, { train: trainLoader, loss: 'crossEntropy', optimizer, epochs: 2, metrics: ['accuracy'], verbose: false });
    const { accuracy, loss } = await train.evaluate(model, testLoader, { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(history.train.loss[1]).toBeLessThan(history.train.loss[0]);
    expect(loss).toBeLessThan(0.7);
    expect(accuracy).toBeGreaterThan(0.75);
    model.dispose();
  });
});
