import { data, manualSeed, optim, train } from '@neuralzoo/core';
import { loadMnist, toDataset } from '@neuralzoo/datasets';
import { lenet5 } from './index';

// One short epoch of LeNet-5 on the real MNIST train split (8,000 digits) must already beat 90%
// on the 2,000 test digits; the full recipe (the demo) reaches >= 98%.
describe('LeNet5 learns MNIST', () => {
  it('gets > 90% test accuracy after one epoch', async () => {
    manualSeed(0);
    const model = lenet5();
    const trainLoader = new data.DataLoader(toDataset(loadMnist({ split: 'train' })), { batchSize: 32, shuffle: true });
    const testLoader = new data.DataLoader(toDataset(loadMnist({ split: 'test' })), { batchSize: 500 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 2e-3 });
    const history = await train.fit(model, { train: trainLoader, loss: 'crossEntropy', optimizer, epochs: 1, metrics: ['accuracy'], verbose: false });
    const { accuracy, loss } = await train.evaluate(model, testLoader, { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(history.train.loss[0]).toBeLessThan(1.0);
    expect(loss).toBeLessThan(0.35);
    expect(accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });
});
