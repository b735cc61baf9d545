#!/usr/bin/env node
/**
 * Trains a small vision classifier on the full Fashion-MNIST train split (60,000 images, Debian
 * `dataset-fashion-mnist`) with its `*_FASHION_MNIST_RECIPE`, evaluates on the 10,000 test images,
 * prints accuracy and wall time, and saves the weights as safetensors with the builder config in
 * the metadata (`config`, JSON) so `registry.create(metadata.model, JSON.parse(metadata.config))`
 * rebuilds the model.
 *
 *   npx tsc -b packages/vision && nice -n 10 node packages/vision/scripts/train-fashion.js <model> \
 *     [--epochs N] [--backend torch|wasm|cpu] [--threads 1] [--out dir] [--limit N] [--seed S] [--config JSON]
 *
 * <model>: resnet (small ResNet-18), lenet5, alexnet, vgg (small VGG-11 with BN), googlenet, or any
 * key of FASHION_MNIST_RECIPES. Node only; the library stays browser-safe.
 */
const path = require('path');
const core = require('@neuralzoo/core');
const { io } = require('@neuralzoo/core/node');
const { loadFashionMnist } = require('@neuralzoo/datasets');
const vision = require('../dist/index.js');

const { F, tf } = core;

/** Copies a batch of images into one buffer, each shifted by up to maxShift pixels (zero fill) and flipped left-right with probability flip. */
function augmentBatch(src, idx, H, W, pad, maxShift, flip, rand) {
  const Ho = H + 2 * pad, Wo = W + 2 * pad;
  const out = new Float32Array(idx.length * Ho * Wo);
  for (let b = 0; b < idx.length; b++) {
    const base = idx[b] * H * W, ob = b * Ho * Wo;
    const dy = maxShift ? Math.floor(rand() * (2 * maxShift + 1)) - maxShift : 0;
    const dx = maxShift ? Math.floor(rand() * (2 * maxShift + 1)) - maxShift : 0;
    const mirror = flip > 0 && rand() < flip;
    for (let y = 0; y < H; y++) {
      const oy = y + pad + dy;
      if (oy < 0 || oy >= Ho) continue;
      for (let x = 0; x < W; x++) {
        const ox = (mirror ? W - 1 - x : x) + pad + dx;
        if (ox < 0 || ox >= Wo) continue;
        out[ob + oy * Wo + ox] = src[base + y * W + x];
      }
    }
  }
  return out;
}

/** Mulberry32: a small seeded generator for shuffling and augmentation. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeOptimizer(spec, params) {
  const { name, ...options } = spec;
  const Ctor = core.optim[name];
  if (typeof Ctor !== 'function') throw new Error(`train-fashion: unknown optimizer '${name}'`);
  return new Ctor(params, options);
}

/**
 * The recipe's lr schedule over totalSteps batches, stepped once per batch: CosineAnnealingLR to 0
 * (the default), or OneCycleLR with the recipe's maxLr and its other options (pctStart, …).
 */
function makeScheduler(spec, optimizer, totalSteps) {
  const { name = 'CosineAnnealingLR', step: _step, maxLr, ...options } = spec ?? {};
  if (name === 'CosineAnnealingLR') return new core.optim.lr.CosineAnnealingLR(optimizer, totalSteps, options);
  if (name === 'OneCycleLR') return new core.optim.lr.OneCycleLR(optimizer, maxLr, totalSteps, options);
  throw new Error(`train-fashion: unknown scheduler '${name}'`);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
  const key = args[0];
  const recipes = vision.FASHION_MNIST_RECIPES;
  if (!key || !recipes[key]) throw new Error(`usage: train-fashion.js <${Object.keys(recipes).join('|')}> [--epochs N] [--backend torch|wasm] [--threads 1] [--out dir]`);
  const recipe = recipes[key];
  const backend = opt('--backend', 'torch');
  // backend-torch is not a dependency of vision: in this workspace it sits beside it.
  if (backend === 'torch') require(path.join(__dirname, '../../backend-torch'));
  const threads = Number(opt('--threads', 1));
  const info = await core.init({ backend, threads });
  const epochs = Number(opt('--epochs', recipe.epochs));
  const seed = Number(opt('--seed', recipe.seed));
  const limit = opt('--limit', undefined);
  const outDir = opt('--out', '.');
  const log = (line) => process.stdout.write(`${new Date().toISOString()} ${key} ${line}\n`);

  const take = (set) => (limit === undefined ? set : { ...set, images: set.images.subarray(0, Number(limit) * 784), labels: set.labels.subarray(0, Number(limit)), shape: [Number(limit), 28, 28, 1] });
  const trainSet = take(loadFashionMnist({ split: 'train' }));
  const testSet = take(loadFashionMnist({ split: 'test' }));
  const [N, H, W] = trainSet.shape;
  const pad = recipe.pad ?? 0;
  const Ho = H + 2 * pad, Wo = W + 2 * pad;

  core.manualSeed(seed);
  // --config JSON overrides fields of the recipe's builder config (recorded in the weights' metadata).
  const config = { ...recipe.model, ...JSON.parse(opt('--config', '{}')) };
  const variant = recipe.variant ?? key;
  const model = core.registry.create(variant, config);
  const optimizer = makeOptimizer(recipe.optimizer, model.parameters());
  const B = recipe.batchSize;
  const steps = Math.floor(N / B); // drop the last partial batch
  const sched = makeScheduler(recipe.scheduler, optimizer, Math.max(1, epochs * steps));
  const schedName = recipe.scheduler?.name === 'OneCycleLR' ? `one-cycle to ${recipe.scheduler.maxLr}` : 'cosine';
  const ls = recipe.labelSmoothing ?? 0;
  const auxW = recipe.auxLossWeight ?? 0;
  const { maxShift, flip } = { maxShift: 0, flip: 0, ...recipe.augment };
  log(`${model.numParameters().toLocaleString('en-US')} parameters, ${variant} ${JSON.stringify(config)}; ${N} train / ${testSet.shape[0]} test; ${recipe.optimizer.name} lr ${recipe.optimizer.lr} ${schedName}, wd ${recipe.optimizer.weightDecay ?? 0}, label smoothing ${ls}, batch ${B}, ${epochs} epochs, shift ±${maxShift}, flip ${flip}, seed ${seed}; backend ${info.name} (${info.threads} threads)`);

  const rand = mulberry32(seed + 1);
  const t0 = Date.now();
  for (let e = 0; e < epochs; e++) {
    model.train();
    const order = Int32Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let lossSum = 0, correct = 0;
    for (let s = 0; s < steps; s++) {
      const idx = order.subarray(s * B, (s + 1) * B);
      const x = tf.tensor4d(augmentBatch(trainSet.images, idx, H, W, pad, maxShift, flip, rand), [B, Ho, Wo, 1]);
      const y = tf.tensor1d(Int32Array.from(idx, (i) => trainSet.labels[i]), 'int32');
      let hits = null;
      const loss = core.backward(() => {
        const out = auxW > 0 ? model.forwardWithAux(x) : { logits: model.forward(x) };
        let l = F.crossEntropy(out.logits, y, { labelSmoothing: ls });
        for (const aux of [out.aux1, out.aux2]) if (aux) l = l.add(F.crossEntropy(aux, y, { labelSmoothing: ls }).mul(auxW));
        hits = tf.keep(out.logits.argMax(-1).equal(y).sum());
        return l;
      }, model);
      optimizer.step();
      optimizer.zeroGrad();
      sched.step();
      correct += hits.dataSync()[0];
      tf.dispose([x, y, hits]);
      lossSum += loss;
      if ((s + 1) % 50 === 0) log(`epoch ${e + 1} step ${s + 1}/${steps} loss ${(lossSum / (s + 1)).toFixed(4)} acc ${(correct / ((s + 1) * B)).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
    log(`epoch ${e + 1}/${epochs} train loss ${(lossSum / steps).toFixed(4)} acc ${(correct / (steps * B)).toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const trainSeconds = (Date.now() - t0) / 1000;

  model.eval();
  const M = testSet.shape[0];
  let correct = 0;
  for (let s = 0; s < M; s += 500) {
    const idx = Int32Array.from({ length: Math.min(500, M - s) }, (_, i) => s + i);
    const hits = tf.tidy(() => {
      const x = tf.tensor4d(augmentBatch(testSet.images, idx, H, W, pad, 0, 0, rand), [idx.length, Ho, Wo, 1]);
      const y = tf.tensor1d(Int32Array.from(idx, (i) => testSet.labels[i]), 'int32');
      return model.forward(x).argMax(-1).equal(y).sum();
    });
    correct += hits.dataSync()[0];
    hits.dispose();
  }
  const accuracy = correct / M;
  const seconds = (Date.now() - t0) / 1000;
  const file = path.join(outDir, `${key}_fashion.safetensors`);
  const sd = model.stateDict();
  await io.saveSafetensors(file, sd, {
    model: variant,
    config: JSON.stringify(config),
    dataset: 'fashion-mnist',
    pad: String(pad),
    testAccuracy: accuracy.toFixed(4),
    epochs: String(epochs),
    seed: String(seed),
  });
  log(JSON.stringify({ model: key, variant, config, epochs, seed, backend: info.name, threads: info.threads, trainSeconds: Math.round(trainSeconds), seconds: Math.round(seconds), testAccuracy: accuracy, weights: file }));
  log(`test accuracy ${(100 * accuracy).toFixed(2)}% on ${M} images (target ${(100 * recipe.target).toFixed(0)}%); ${seconds.toFixed(0)} s wall (${trainSeconds.toFixed(0)} s training)`);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
