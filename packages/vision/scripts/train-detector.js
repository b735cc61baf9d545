#!/usr/bin/env node
/**
 * Runs the recipe of a registered detector (yolo_v1, yolo_v3, ssd) on the SYNTHETIC digit scenes,
 * prints mAP@0.5 (VOC, all-point) and COCO mAP@[.5:.95] on the 500 test scenes, and saves the
 * trained state dict (+ config in the metadata) as safetensors.
 *
 *   npx tsc -b packages/vision && nice -n 10 node packages/vision/scripts/train-detector.js yolo_v3 [--out FILE] [--epochs N] [--backend torch|wasm] [--threads N]
 *
 * `--backend torch` needs @neuralzoo/backend-torch built (packages/backend-torch/build/neuralzoo_torch.node);
 * `--threads` sets the backend's intra-op threads (the recorded runs: torch, 1 thread).
 *
 * Node only (reads MNIST through @neuralzoo/datasets, writes a file); the library stays browser-safe.
 */
const path = require('path');
const core = require('@neuralzoo/core/node');
const { digitScenes, loadMnist } = require('@neuralzoo/datasets');
const vision = require('../dist/index.js');

async function main() {
  const args = process.argv.slice(2);
  const name = args[0];
  const opt = (flag, dflt) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : dflt);
  if (!name || !['yolo_v1', 'yolo_v3', 'ssd'].includes(name)) throw new Error(`usage: train-detector.js <yolo_v1|yolo_v3|ssd> [--out FILE] [--epochs N] [--backend torch|wasm] [--threads N]`);
  const backend = opt('--backend', 'wasm');
  // backend-torch registers itself with core's init when loaded; it is not a dependency of vision.
  if (backend === 'torch' || backend === 'auto') require(path.join(__dirname, '..', '..', 'backend-torch'));
  const threads = opt('--threads') ? Number(opt('--threads')) : undefined;
  const info = await core.init({ backend, ...(threads ? { threads } : {}) });
  const entry = core.registry.get(name);
  const out = opt('--out', path.join(__dirname, '..', 'weights', `${name}_digits.safetensors`));
  const epochs = opt('--epochs') ? Number(opt('--epochs')) : undefined;
  const cache = {};
  const makeScenes = (spec) => digitScenes({ digits: (cache[spec.split] ??= loadMnist({ split: spec.split })), ...spec });
  const probe = makeScenes({ ...entry.recipe.scenes.test, count: 100 });
  const log = (line) => process.stdout.write(`${new Date().toISOString()} ${name} ${line}\n`);
  const res = await vision.runDetectionRecipe(() => entry.create(), entry.recipe, {
    makeScenes,
    epochs,
    log,
    onEpoch: (e, _loss, model) => {
      if ((e + 1) % 2 === 0) log(`  mAP@0.5 on 100 test scenes: ${vision.evaluateDetector(model, probe).map.toFixed(4)}`);
    },
  });
  const { map, ap, coco } = res.evaluation;
  const ranEpochs = epochs ?? entry.recipe.epochs;
  await core.io.saveSafetensors(out, res.model.stateDict(), { model: name, config: JSON.stringify(res.model.config), map50: String(map), epoch: String(ranEpochs) });
  const cpu = process.cpuUsage();
  const cpuSeconds = Math.round((cpu.user + cpu.system) / 1e6);
  const summary = { model: name, backend: info.name, threads: info.threads, epochs: ranEpochs, seconds: Math.round(res.seconds), cpuSeconds, map50: map, coco, ap, losses: res.history, weights: out };
  log(JSON.stringify(summary));
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
