#!/usr/bin/env node
/**
 * Runs the recipe of a two-stage detector (faster_rcnn, rcnn) on its SYNTHETIC digit scenes
 * (real MNIST digits on 96×96 canvases; train scenes from MNIST train digits, test scenes from
 * MNIST test digits) and prints mAP@0.5 (VOC, all-point) on the held-out test scenes.
 *
 *   npx tsc -b packages/vision && nice -n 10 node packages/vision/scripts/train-two-stage.js faster_rcnn [--epochs N] [--lr X] [--config JSON] [--probe N] [--scenes benchmark] [--backend wasm]
 *
 * --config overrides the model's defaults; --probe N prints mAP@0.5 on the first N test scenes every 2 epochs.
 *
 * Node only (reads MNIST through @neuralzoo/datasets); the library stays browser-safe.
 */
const core = require('@neuralzoo/core');
const { digitScenes, loadMnist } = require('@neuralzoo/datasets');
const vision = require('../dist/index.js');

async function main() {
  const args = process.argv.slice(2);
  const name = args[0];
  const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
  if (!['faster_rcnn', 'rcnn'].includes(name)) throw new Error('usage: train-two-stage.js <faster_rcnn|rcnn> [--epochs N] [--lr X] [--config JSON] [--probe N] [--backend wasm]');
  const info = await core.init({ backend: opt('--backend', 'wasm') });
  const entry = core.registry.get(name);
  const recipe = entry.recipe;
  const epochs = Number(opt('--epochs', recipe.epochs));
  const { size, minDigits, maxDigits, scale, maxIoU } = recipe.scenes;
  // --scenes benchmark: the harder YOLO/SSD scene sets (DIGIT_SCENES: 2,000 / 500, 0.5–1.25×, IoU <= 0.25).
  const benchmark = opt('--scenes', 'recipe') === 'benchmark';
  const scenes = (split) =>
    benchmark
      ? digitScenes({ digits: loadMnist({ split }), ...vision.DIGIT_SCENES[split] })
      : digitScenes({ digits: loadMnist({ split }), size, minDigits, maxDigits, scale, maxIoU, ...recipe.scenes[split] });
  const train = scenes('train');
  const test = scenes('test');
  const log = (line) => process.stdout.write(`${new Date().toISOString()} ${name} ${line}\n`);
  core.manualSeed(recipe.seed);
  const config = JSON.parse(opt('--config', '{}'));
  const lr = Number(opt('--lr', recipe.optimizer.lr));
  const probe = Number(opt('--probe', 0));
  const model = entry.create(config);
  log(`${model.numParameters()} parameters, config ${JSON.stringify(config)}, lr ${lr}, ${train.shape[0]} train / ${test.shape[0]} test scenes, backend ${info.name}`);
  const t0 = Date.now();
  const history = vision.trainTwoStage(model, train, {
    epochs,
    batchSize: recipe.batchSize,
    lr,
    weightDecay: recipe.optimizer.weightDecay,
    seed: recipe.seed,
    onEpoch: (e, loss) => {
      log(`epoch ${e + 1}/${epochs} loss ${loss.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      if (probe > 0 && (e + 1) % 2 === 0 && e + 1 < epochs) {
        const sub = { ...test, images: test.images.subarray(0, probe * size * size), shape: [probe, size, size, 1], boxes: test.boxes.slice(0, probe), labels: test.labels.slice(0, probe) };
        log(`  mAP@0.5 on ${probe} test scenes: ${vision.evaluateTwoStage(model, sub, { numClasses: model.config.numClasses }).map.toFixed(4)}`);
        model.train();
      }
    },
  });
  const trainSeconds = (Date.now() - t0) / 1000;
  const res = vision.evaluateTwoStage(model, test, { numClasses: model.config.numClasses });
  const seconds = (Date.now() - t0) / 1000;
  log(JSON.stringify({ model: name, scenes: benchmark ? 'benchmark' : 'recipe', config, lr, backend: info.name, threads: info.threads, epochs, trainSeconds: Math.round(trainSeconds), seconds: Math.round(seconds), map50: res.map, ap: res.ap, losses: history }));
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
