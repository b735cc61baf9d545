import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf, F, data, manualSeed, nn, optim } from '../../index';
import { io, train } from '../index';
import { expectClose } from '../../testing/index';
import { dataParallel, WorkerError } from './index';
import { FragileMlp, mlp } from '../../../fixtures/parallel/models';

const MODELS = path.join(__dirname, '../../../fixtures/parallel/models.ts');

function params(m: nn.Module): Float32Array {
  return Float32Array.from(m.parameters().flatMap((p) => Array.from(p.data.dataSync() as Float32Array)));
}

function dataset(n: number, seed: number): data.TensorDataset {
  return new data.TensorDataset(tf.randomNormal([n, 8], 0, 1, 'float32', seed), tf.randomUniform([n], 0, 4, 'int32', seed + 1));
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nz-parallel-'));
}

describe('train.fit({ strategy: parallel.dataParallel(threads) })', () => {
  it('2 workers with Adam, a per-batch StepLR, accumulateSteps 2 and clipping equal fit without a strategy', async () => {
    const ds = dataset(20, 3); // batches of 4: 5 per epoch, the last accumulation is a single batch
    const run = async (workers: number | null) => {
      manualSeed(5);
      const model = mlp();
      const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
      const scheduler = new optim.lr.StepLR(opt, 2, { gamma: 0.5 });
      const strategy = workers === null ? undefined : dataParallel({ workers, transport: 'threads', model: { module: MODELS, export: 'mlp' } });
      const history = await train.fit(model, {
        train: new data.DataLoader(ds, { batchSize: 4, shuffle: true, seed: 1 }),
        loss: 'crossEntropy',
        optimizer: opt,
        scheduler,
        schedulerStep: 'batch',
        accumulateSteps: 2,
        clipGradNorm: 0.5,
        metrics: ['accuracy'],
        epochs: 2,
        verbose: false,
        strategy,
      });
      return { model, history, lr: opt.paramGroups[0].lr };
    };
    const single = await run(null);
    const parallel = await run(2);
    expectClose(params(parallel.model), params(single.model), { rtol: 1e-5, atol: 1e-6, what: 'parameters' });
    expectClose(parallel.history.train.loss, single.history.train.loss, { rtol: 1e-5, atol: 1e-6, what: 'loss' });
    expect(parallel.history.train.accuracy).toEqual(single.history.train.accuracy);
    expect(parallel.lr).toBe(single.lr);
    expect(parallel.lr).toBeLessThan(0.02); // the scheduler did step
  });

  it('a worker that throws stops the run naming the worker and step; the last checkpoint is intact and resumes', async () => {
    const root = tmp();
    const clean = dataset(12, 7);
    const x = clean.tensors[0].clone();
    const poisoned = new data.TensorDataset(tf.tidy(() => x.add(tf.oneHot(tf.tensor1d([7], 'int32'), 12).reshape([12, 1]).mul(1e7))), clean.tensors[1]);
    // Epoch 0 is clean; in epoch 1 the second batch (samples 4..7) has a corrupt sample 7: worker 1's shard.
    let epochs = 0;
    const source = () => new data.DataLoader(epochs++ === 0 ? clean : poisoned, { batchSize: 4 });
    manualSeed(8);
    const model = new FragileMlp();
    const init = model.stateDict();
    const snapshot = Object.fromEntries(Object.entries(init).map(([k, t]) => [k, t.clone()]));
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const strategy = dataParallel({ workers: 2, transport: 'threads', model: { module: MODELS, export: 'FragileMlp' } });
    const failed = train.fit(model, { train: source, loss: 'crossEntropy', optimizer: opt, epochs: 3, verbose: false, strategy, callbacks: [new train.ModelCheckpoint(root)] });
    await expect(failed).rejects.toThrow(/^dataParallel: worker 1 failed at step 5: bad shard: a sample holds 1000000\d/);
    await expect(failed).rejects.toBeInstanceOf(WorkerError);
    expect(fs.readdirSync(root)).toEqual(['epoch_0001']);

    // Resume from the checkpoint on clean data = an uninterrupted run on clean data.
    const resumed = new FragileMlp();
    const optR = new optim.SGD(resumed.parameters(), { lr: 5 });
    const { epoch, step } = await io.loadCheckpoint(path.join(root, 'epoch_0001'), { model: resumed, optimizer: optR });
    expect([epoch, step]).toEqual([1, 3]);
    const again = dataParallel({ workers: 2, transport: 'threads', model: { module: MODELS, export: 'FragileMlp' } });
    await train.fit(resumed, { train: () => new data.DataLoader(clean, { batchSize: 4 }), loss: 'crossEntropy', optimizer: optR, epochs: 2, initialEpoch: epoch, initialStep: step, verbose: false, strategy: again });

    const straight = new FragileMlp();
    straight.loadStateDict(snapshot);
    const optS = new optim.SGD(straight.parameters(), { lr: 0.1, momentum: 0.9 });
    await train.fit(straight, { train: () => new data.DataLoader(clean, { batchSize: 4 }), loss: 'crossEntropy', optimizer: optS, epochs: 2, verbose: false });
    expectClose(params(resumed), params(straight), { rtol: 1e-5, atol: 1e-6, what: 'resumed vs uninterrupted' });
    tf.dispose(Object.values(snapshot));
  });

  it('a worker thread that dies mid-step stops the run with an error naming it', async () => {
    const model = new FragileMlp();
    const strategy = dataParallel({ workers: 2, transport: 'threads', model: { module: MODELS, export: 'FragileMlp' } });
    await strategy.setup({ model, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: F.crossEntropy });
    try {
      const x = tf.tensor2d([[0, 0, 0, 0, 0, 0, 0, 0], [1e10, 0, 0, 0, 0, 0, 0, 0]]);
      await expect(strategy.forwardBackward([x], tf.tensor1d([0, 1], 'int32'))).rejects.toThrow(/^dataParallel: worker 1 failed at step 1: the worker thread exited \(code 7\)/);
      await expect(strategy.optimizerStep()).rejects.toThrow(/worker 1 failed at step 1/);
    } finally {
      await strategy.close();
    }
  });

  it('checks its options and what the workers can rebuild before starting any', async () => {
    const model = mlp();
    const sgd = new optim.SGD(model.parameters(), { lr: 0.1 });
    const source = { module: MODELS, export: 'mlp' };
    expect(() => dataParallel({ workers: 0, transport: 'threads', model: source })).toThrow('dataParallel: workers must be a positive integer, got 0');
    expect(() => dataParallel({ workers: 2, transport: 'threads' } as never)).toThrow("dataParallel: 'model' is required");
    const custom = dataParallel({ workers: 2, transport: 'threads', model: source });
    await expect(custom.setup({ model, optimizer: sgd, loss: (o: tf.Tensor) => o.sum() })).rejects.toThrow("dataParallel: fit's loss is a custom function the workers cannot rebuild");
    const handMade = { paramGroups: [{ params: model.parameters(), lr: 0.1 }], step() {}, zeroGrad() {} };
    await expect(custom.setup({ model, optimizer: handMade, loss: 'crossEntropy' })).rejects.toThrow('dataParallel: the workers cannot rebuild the optimizer Object');
    await expect(custom.forwardBackward([tf.zeros([2, 8])], tf.zeros([2], 'int32'))).rejects.toThrow('dataParallel: setup() has not run');
  });

  it('a worker out of memory fails the setup with an error naming it', async () => {
    const model = mlp();
    const strategy = dataParallel({ workers: 1, transport: 'threads', model: { module: MODELS, export: 'mlp' }, resourceLimits: { maxOldGenerationSizeMb: 4 } });
    await expect(strategy.setup({ model, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), loss: 'crossEntropy' })).rejects.toThrow(/^dataParallel: worker 0 failed at step 1: .*memory/i);
  });
});
