#!/usr/bin/env node
/**
 * Rebuilds a classifier saved by `train-fashion.js` from its safetensors metadata alone (`model` =
 * registry name, `config` = builder config JSON, `pad` = zero padding per side) and prints its
 * accuracy on the 10,000 Fashion-MNIST test images: the check that a weights file is self-describing.
 *
 *   npx tsc -b packages/vision && nice -n 10 node packages/vision/scripts/eval-fashion.js \
 *     packages/vision/weights/resnet_fashion.safetensors [--backend torch|wasm|cpu] [--threads 1]
 */
const path = require('path');
const core = require('@neuralzoo/core');
const { loadFashionMnist } = require('@neuralzoo/datasets');
const { loadModelFile } = require('../dist/node/index.js');

const { tf } = core;

async function main() {
  const args = process.argv.slice(2);
  const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
  const file = args[0];
  if (!file) throw new Error('usage: eval-fashion.js <weights.safetensors> [--backend torch|wasm|cpu] [--threads 1]');
  const backend = opt('--backend', 'torch');
  if (backend === 'torch') require(path.join(__dirname, '../../backend-torch'));
  const info = await core.init({ backend, threads: Number(opt('--threads', 1)) });
  const t0 = Date.now();
  const { model, metadata } = await loadModelFile(file, { caller: 'eval-fashion' });
  const pad = Number(metadata.pad ?? 0);
  const test = loadFashionMnist({ split: 'test' });
  const [M, H, W] = test.shape;
  let correct = 0;
  for (let s = 0; s < M; s += 500) {
    const n = Math.min(500, M - s);
    const hits = tf.tidy(() => {
      const x = tf.tensor4d(test.images.subarray(s * H * W, (s + n) * H * W), [n, H, W, 1]).pad([[0, 0], [pad, pad], [pad, pad], [0, 0]]);
      const y = tf.tensor1d(test.labels.subarray(s, s + n), 'int32');
      return model.forward(x).argMax(-1).equal(y).sum();
    });
    correct += hits.dataSync()[0];
    hits.dispose();
  }
  const seconds = (Date.now() - t0) / 1000;
  process.stdout.write(`${metadata.model} ${metadata.config}: test accuracy ${((100 * correct) / M).toFixed(2)}% on ${M} images (file says ${metadata.testAccuracy}); ${info.name}, ${seconds.toFixed(1)} s\n`);
  model.dispose();
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
