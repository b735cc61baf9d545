import * as path from 'path';
import { tf, F, backward, manualSeed, nn, optim, registry } from '../../index';
import { expectClose } from '../../testing/index';
import { dataParallel, shardSizes, stateChecksum } from './index';
import { MomentumSGD, mlp, lenet5 } from '../../../fixtures/parallel/models';

const MODELS = path.join(__dirname, '../../../fixtures/parallel/models.ts');
const OPTIMIZER = { module: MODELS, export: 'MomentumSGD' };

type Build = () => nn.Module;

/** Five global batches of `B` samples with inputs shaped `shape`, 10 or 4 classes. */
function batches(B: number, shape: number[], classes: number, seed: number): Array<[tf.Tensor, tf.Tensor]> {
  const out: Array<[tf.Tensor, tf.Tensor]> = [];
  for (let s = 0; s < 5; s++) {
    out.push([tf.randomNormal([B, ...shape], 0, 1, 'float32', seed + s), tf.randomUniform([B], 0, classes, 'int32', seed + 100 + s)]);
  }
  return out;
}

function params(m: nn.Module): Float32Array {
  const parts = m.parameters().map((p) => p.data.dataSync() as Float32Array);
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

let refLosses: number[] = [];

/** One process, one replica: the PyTorch loop on the whole batch (its losses in `refLosses`). */
function reference(build: Build, init: nn.Module, data: Array<[tf.Tensor, tf.Tensor]>): nn.Module {
  const model = build();
  model.loadStateDict(init.stateDict());
  const opt = new MomentumSGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  refLosses = [];
  for (const [x, y] of data) {
    refLosses.push(backward(() => F.crossEntropy(model.forward(x), y), model));
    opt.step();
    opt.zeroGrad();
  }
  return model;
}

/** The same loop with BatchNorm per shard: each shard's loss weighted by its share of the batch. */
function shardedReference(build: Build, init: nn.Module, data: Array<[tf.Tensor, tf.Tensor]>, workers: number): nn.Module {
  const model = build();
  model.loadStateDict(init.stateDict());
  const opt = new MomentumSGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  for (const [x, y] of data) {
    const B = x.shape[0];
    let start = 0;
    for (const n of shardSizes(B, workers)) {
      const [xs, ys] = [x.slice(start, n), y.slice(start, n)];
      backward(() => tf.mul(F.crossEntropy(model.forward(xs), ys), n / B), model);
      tf.dispose([xs, ys]);
      start += n;
    }
    opt.step();
    opt.zeroGrad();
  }
  return model;
}

function buffers(m: nn.Module): Float32Array {
  return Float32Array.from(m.namedBuffers().flatMap(([, b]) => Array.from(b.dataSync() as Float32Array)));
}

async function parallelRun(workers: number, exportName: string, build: Build, init: nn.Module, data: Array<[tf.Tensor, tf.Tensor]>, syncBatchNorm = false, args: unknown[] = []) {
  const model = build();
  model.loadStateDict(init.stateDict());
  const opt = new MomentumSGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const strategy = dataParallel({ workers, transport: 'threads', model: { module: MODELS, export: exportName, args }, optimizer: OPTIMIZER, syncBatchNorm });
  const before = tf.memory().numTensors;
  await strategy.setup({ model, optimizer: opt, loss: F.crossEntropy });
  try {
    const losses: number[] = [];
    for (const [i, [x, y]] of data.entries()) {
      // Both ways of stepping: in the same round trip as the batch, or by a separate call.
      if (i % 2 === 0) losses.push((await strategy.forwardBackward([x], y, { step: {} })).loss);
      else {
        losses.push((await strategy.forwardBackward([x], y)).loss);
        await strategy.optimizerStep();
      }
    }
    const sums = await strategy.checksums();
    // Nothing left on the main thread but the optimizer's momentum buffers (one per parameter).
    expect(tf.memory().numTensors - before).toBe(model.parameters().length);
    return { model, losses, sums, main: strategy.mainChecksum() };
  } finally {
    await strategy.close();
  }
}

describe('parallel.dataParallel threads with a registry model', () => {
  it('workers build the model by registry name and config after importing the module that registers it, frozen parameters included', async () => {
    const REGISTRY = path.join(__dirname, '../../../fixtures/parallel/registry-models.ts');
    require(REGISTRY);
    manualSeed(9);
    const build = () => registry.create('parallel_test_mlp', { hidden: 12 });
    const init = build();
    const data = batches(6, [8], 4, 41);
    const model = build();
    model.loadStateDict(init.stateDict());
    model.parameters()[0].requiresGrad = false; // fine-tuning: the first layer's weight stays frozen in the replicas too
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
    const strategy = dataParallel({ workers: 2, transport: 'threads', model: { name: 'parallel_test_mlp', config: { hidden: 12 } }, imports: [REGISTRY] });
    await strategy.setup({ model, optimizer: opt, loss: 'crossEntropy' });
    try {
      for (const [x, y] of data) {
        await strategy.forwardBackward([x], y);
        await strategy.optimizerStep();
      }
      expect(await strategy.checksums()).toEqual([strategy.mainChecksum(), strategy.mainChecksum()]);
    } finally {
      await strategy.close();
    }
    const ref = build();
    ref.loadStateDict(init.stateDict());
    ref.parameters()[0].requiresGrad = false;
    expectClose(model.parameters()[0].data, init.parameters()[0].data, { rtol: 0, atol: 0 });
    const refOpt = new optim.SGD(ref.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
    for (const [x, y] of data) {
      backward(() => F.crossEntropy(ref.forward(x), y), ref);
      refOpt.step();
      refOpt.zeroGrad();
    }
    expectClose(params(model), params(ref), { rtol: 1e-5, atol: 1e-6 });
  });
});

// LeNet-5 runs in the wasm project only: TF.js's cpu backend takes seconds per conv backward.
const convIt = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND === 'cpu' ? it.skip : it;

describe('parallel.dataParallel threads', () => {
  it('2 and 4 workers on an MLP equal 1 replica on the whole batch after 5 steps (uneven shards)', async () => {
    manualSeed(1);
    const init = mlp();
    const data = batches(10, [8], 4, 7);
    const ref = reference(mlp, init, data);
    for (const workers of [2, 4]) {
      const r = await parallelRun(workers, 'mlp', mlp, init, data);
      expectClose(params(r.model), params(ref), { rtol: 1e-5, atol: 1e-6, what: `${workers} workers` });
      expect(r.sums).toEqual(Array(workers).fill(r.main));
      expect(r.main).toBe(stateChecksum(r.model));
      expectClose(r.losses, refLosses, { rtol: 1e-5, atol: 1e-6, what: `losses, ${workers} workers` });
    }
  });

  convIt('2 and 4 workers on LeNet-5 equal 1 replica on the whole batch after 5 steps', async () => {
    manualSeed(2);
    const init = lenet5();
    const data = batches(8, [28, 28, 1], 10, 11);
    const ref = reference(lenet5, init, data);
    for (const workers of [2, 4]) {
      const r = await parallelRun(workers, 'lenet5', lenet5, init, data);
      expectClose(params(r.model), params(ref), { rtol: 1e-5, atol: 1e-6, what: `LeNet-5, ${workers} workers` });
      expect(r.sums).toEqual(Array(workers).fill(r.main));
    }
  });

  convIt('LeNet-5 with BatchNorm and syncBatchNorm: 2 and 4 workers equal 1 replica, running statistics included', async () => {
    manualSeed(3);
    const build = () => lenet5({ batchNorm: true });
    const init = build();
    const data = batches(8, [28, 28, 1], 10, 21);
    const ref = reference(build, init, data);
    for (const workers of [2, 4]) {
      const r = await parallelRun(workers, 'lenet5', build, init, data, true, [{ batchNorm: true }]);
      expectClose(params(r.model), params(ref), { rtol: 1e-5, atol: 1e-6, what: `LeNet-5-BN sync, ${workers} workers` });
      expectClose(buffers(r.model), buffers(ref), { rtol: 1e-5, atol: 1e-6, what: `running stats, ${workers} workers` });
      expect(r.sums).toEqual(Array(workers).fill(r.main));
    }
  });

  convIt('LeNet-5 with per-replica BatchNorm equals each shard normalised on its own (and differs from 1 replica)', async () => {
    manualSeed(4);
    const build = () => lenet5({ batchNorm: true });
    const init = build();
    const data = batches(8, [28, 28, 1], 10, 31);
    const r = await parallelRun(2, 'lenet5', build, init, data, false, [{ batchNorm: true }]);
    expectClose(params(r.model), params(shardedReference(build, init, data, 2)), { rtol: 1e-5, atol: 1e-6, what: 'per-replica BN' });
    expect(() => expectClose(params(r.model), params(reference(build, init, data)), { rtol: 1e-5, atol: 1e-6 })).toThrow();
    expect(r.sums).toEqual([r.main, r.main]);
  });
});

