/**
 * Demo `fashion-resnet`: a small ResNet (ResNet-18's blocks, small stem, 1/8 width) classifies the
 * Fashion-MNIST test images (Debian `dataset-fashion-mnist`). With the trained weights
 * packages/vision/weights/resnet_fashion.safetensors (written by scripts/train-fashion.js resnet)
 * it loads them and evaluates on the 10,000 test images; without them it trains the recipe briefly
 * (by default 1 epoch on the first 6,000 training images, a few minutes on wasm) and says so, since
 * that accuracy is far from the recipe's. `--epochs N` trains N epochs on that subset instead.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendName, data, F, init, manualSeed, nn, noGrad, optim, registry, tf, train } from '@neuralzoo/core';
import { FASHION_MNIST_CLASSES, ImageSet, loadFashionMnist, toDataset } from '@neuralzoo/datasets';
import { RESNET_SMALL_FASHION_MNIST_RECIPE } from '@neuralzoo/vision';
import { loadModelFile, WEIGHTS_DIR } from '@neuralzoo/vision/node';

/** Where scripts/train-fashion.js resnet puts the trained small ResNet. */
export const RESNET_FASHION_WEIGHTS = path.join(WEIGHTS_DIR, 'resnet_fashion.safetensors');

export interface FashionResnetOptions {
  /** TF.js backend. Default 'wasm'. */
  backend?: BackendName;
  /** Weights to evaluate. Default RESNET_FASHION_WEIGHTS; when the file is missing, the recipe is trained briefly. */
  weights?: string;
  /** Train the recipe for this many epochs here even when the weights exist. Default: load the weights, else train 1 epoch. */
  epochs?: number;
  /** Training images of the brief training. Default 6,000. */
  trainLimit?: number;
  /** Test images evaluated. Default all 10,000. */
  testLimit?: number;
  print?: (line: string) => void;
}

export interface FashionResnetResult {
  /** 'weights': the trained file was evaluated; 'trained': the recipe was trained briefly here. */
  source: 'weights' | 'trained';
  accuracy: number;
  /** Test images evaluated. */
  tested: number;
  /** Accuracy per class, in FASHION_MNIST_CLASSES order. */
  perClass: number[];
  backend: string;
  seconds: number;
}

function take(set: ImageSet, n: number): ImageSet {
  if (n >= set.shape[0]) return set;
  const [, h, w, c] = set.shape;
  return { ...set, images: set.images.subarray(0, n * h * w * c), labels: set.labels.subarray(0, n), shape: [n, h, w, c] };
}

/** Accuracy overall and per class of `model` on `set`, in batches of 500. */
export function evaluateClassifier(model: nn.Module, set: ImageSet): { accuracy: number; perClass: number[] } {
  const [n, h, w, c] = set.shape;
  const hits = new Array(10).fill(0);
  const counts = new Array(10).fill(0);
  model.eval();
  for (let s = 0; s < n; s += 500) {
    const e = Math.min(n, s + 500);
    const pred = noGrad(() =>
      tf.tidy(() => (model.forward(tf.tensor4d(set.images.subarray(s * h * w * c, e * h * w * c), [e - s, h, w, c])) as tf.Tensor).argMax(-1).dataSync()),
    );
    for (let i = s; i < e; i++) {
      counts[set.labels[i]]++;
      if (pred[i - s] === set.labels[i]) hits[set.labels[i]]++;
    }
  }
  return { accuracy: hits.reduce((a, b) => a + b, 0) / n, perClass: hits.map((k, i) => (counts[i] ? k / counts[i] : 0)) };
}

export async function fashionResnet(opts: FashionResnetOptions = {}): Promise<FashionResnetResult> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const start = Date.now();
  const info = await init({ backend: opts.backend ?? 'wasm' });
  const recipe = RESNET_SMALL_FASHION_MNIST_RECIPE;
  const testSet = take(loadFashionMnist({ split: 'test' }), opts.testLimit ?? 10_000);
  const weights = opts.weights ?? RESNET_FASHION_WEIGHTS;
  let model: nn.Module;
  let source: FashionResnetResult['source'];
  if (fs.existsSync(weights) && opts.epochs === undefined) {
    const loaded = await loadModelFile(weights, { expected: recipe.variant, config: recipe.model, caller: 'fashion-resnet' });
    model = loaded.model;
    const name = loaded.name;
    source = 'weights';
    print(`backend: ${info.name}; loaded ${path.basename(weights)}: ${name}, ${model.numParameters().toLocaleString('en-US')} parameters`);
  } else {
    const epochs = opts.epochs ?? 1;
    const trainSet = take(loadFashionMnist({ split: 'train' }), opts.trainLimit ?? 6_000);
    print(
      `backend: ${info.name}; ${opts.epochs === undefined ? `no trained weights at ${weights}` : '--epochs given'}: training the recipe BRIEFLY here (${epochs} epoch${epochs === 1 ? '' : 's'} on ` +
        `${trainSet.shape[0].toLocaleString('en-US')} of 60,000 training images), so the accuracy is far below the recipe's`,
    );
    manualSeed(recipe.seed);
    model = registry.create(recipe.variant, recipe.model) as nn.Module;
    const loader = new data.DataLoader(toDataset(trainSet), { batchSize: recipe.batchSize, shuffle: true });
    const { name: _opt, ...sgd } = recipe.optimizer;
    const optimizer = new optim.SGD(model.parameters(), sgd);
    const scheduler = new optim.lr.CosineAnnealingLR(optimizer, epochs * loader.length);
    print(`${recipe.variant} ${JSON.stringify(recipe.model)}: ${model.numParameters().toLocaleString('en-US')} parameters; SGD lr ${sgd.lr} nesterov, cosine, batch ${recipe.batchSize}`);
    await train.fit(model, { train: loader, loss: (y: tf.Tensor, t: tf.Tensor) => F.crossEntropy(y, t), optimizer, scheduler, schedulerStep: 'batch', epochs, verbose: opts.print === undefined });
    optimizer.dispose();
    source = 'trained';
  }
  const { accuracy, perClass } = evaluateClassifier(model, testSet);
  model.dispose();
  const seconds = (Date.now() - start) / 1000;
  const tested = testSet.shape[0];
  print(`per class: ${FASHION_MNIST_CLASSES.map((c, i) => `${c} ${(100 * perClass[i]).toFixed(1)}%`).join(', ')}`);
  print(`test accuracy: ${(100 * accuracy).toFixed(2)}% on ${tested.toLocaleString('en-US')} Fashion-MNIST test images (${source === 'weights' ? 'trained weights' : 'brief training here'}; ${info.name}, ${seconds.toFixed(1)} s)`);
  return { source, accuracy, tested, perClass, backend: info.name, seconds };
}
