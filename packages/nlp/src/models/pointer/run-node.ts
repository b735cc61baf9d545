/**
 * Trains a pointer-network recipe on its SYNTHETIC task and prints sequence accuracy, wall time
 * and backend (the numbers of the nlp README).
 *   nice -n 10 node packages/nlp/dist/models/pointer/run-node.js <sort|hull> [--backend wasm] [--seconds N] [--save file]
 */
import * as fs from 'fs';
import { backward, BackendName, Generator, init, io, manualSeed, optim, tf } from '@neuralzoo/core';
import { PointerNet, sequenceAccuracy } from './pointer';
import { POINTER_HULL_RECIPE, POINTER_SORT_RECIPE, PointerRecipe } from './recipe';
import { convexHullTask, PointerTask, sortingTask } from './tasks';

const out = (s: string) => process.stdout.write(`${s}\n`);

/** Rows `idx` of a task as tensors [b, n, dim] and [b, L]. */
export function batchOf(task: PointerTask, idx: ArrayLike<number>): [tf.Tensor3D, tf.Tensor2D] {
  const { n, dim, targetLength: L } = task;
  const x = new Float32Array(idx.length * n * dim);
  const y = new Int32Array(idx.length * L);
  Array.from(idx).forEach((i, k) => {
    x.set(task.inputs.subarray(i * n * dim, (i + 1) * n * dim), k * n * dim);
    y.set(task.targets.subarray(i * L, (i + 1) * L), k * L);
  });
  return [tf.tensor3d(x, [idx.length, n, dim]), tf.tensor2d(y, [idx.length, L], 'int32')];
}

/** Trains and evaluates; returns the measured figures. */
export function runPointer(r: PointerRecipe, log: (s: string) => void = () => undefined): { model: PointerNet; accuracy: number; steps: number; seconds: number } {
  const make = r.task === 'sort' ? sortingTask : convexHullTask;
  const train = make(r.trainSize, r.n, r.seed + 1);
  const test = make(r.testSize, r.n, r.seed + 2);
  manualSeed(r.seed);
  const model = new PointerNet(r.model);
  const opt = new optim.Adam(model.parameters(), { lr: r.optimizer.lr });
  const gen = new Generator(r.seed);
  const t0 = Date.now();
  let steps = 0;
  outer: for (let e = 0; e < r.epochs; e++) {
    const perm = gen.permutation(train.count);
    for (let i = 0; i + r.batchSize <= train.count; i += r.batchSize) {
      const [x, y] = batchOf(train, perm.subarray(i, i + r.batchSize));
      const loss = backward(() => model.loss(x, y), model);
      optim.clipGradNorm(model.parameters(), 2);
      opt.step();
      opt.zeroGrad();
      tf.dispose([x, y]);
      if (++steps % 25 === 0) log(`  step ${steps} loss ${loss.toFixed(4)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
      if ((Date.now() - t0) / 1000 > r.maxSeconds) break outer;
    }
  }
  const seconds = (Date.now() - t0) / 1000;
  model.eval();
  const [x] = batchOf(test, Array.from({ length: test.count }, (_, i) => i));
  const pred = model.decode(x);
  x.dispose();
  return { model, accuracy: sequenceAccuracy(pred, test.targets, test.targetLength), steps, seconds };
}

async function main(argv: string[]): Promise<void> {
  const name = argv[0];
  const recipes: Record<string, PointerRecipe> = { sort: POINTER_SORT_RECIPE, hull: POINTER_HULL_RECIPE };
  if (!recipes[name]) throw new Error('usage: run-node <sort|hull> [--backend B] [--seconds N] [--save file]');
  const flag = (f: string) => {
    const i = argv.indexOf(f);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const info = await init({ backend: (flag('--backend') ?? 'wasm') as BackendName });
  const r = { ...recipes[name], ...(flag('--seconds') ? { maxSeconds: Number(flag('--seconds')) } : {}) };
  out(`pointer_net ${name} (SYNTHETIC, n = ${r.n}): backend ${info.name}; ${r.trainSize} train / ${r.testSize} test examples`);
  const res = runPointer(r, out);
  out(`pointer_net ${name}: sequence accuracy ${res.accuracy.toFixed(4)} on ${r.testSize} test examples; ${res.steps} steps, ${res.seconds.toFixed(0)} s on ${info.name}`);
  out(JSON.stringify({ name: `pointer_${name}`, backend: info.name, accuracy: res.accuracy, steps: res.steps, seconds: res.seconds }));
  const save = flag('--save');
  if (save) fs.writeFileSync(save, io.serializeSafetensors(res.model.stateDict()));
  res.model.dispose();
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
