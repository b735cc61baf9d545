import { tf, nn, F, optim, manualSeed, backward } from '../index';
import { DataLoader, TensorDataset } from '../data/index';
import { BufferLogger, EarlyStopping, LambdaCallback, OptimizerLike, evaluate, fit } from './index';
import type { TrainContext } from './index';

const mse = (out: tf.Tensor, y: tf.Tensor) => tf.losses.meanSquaredError(y, out) as tf.Scalar;

function regressionData(n = 12) {
  manualSeed(0);
  const x = tf.tidy(() => tf.randomUniform([n, 2], -1, 1, 'float32', 3));
  const y = tf.tidy(() => x.matMul(tf.tensor2d([[2], [-3]])).add(1));
  return new TensorDataset(x, y);
}

function params(m: nn.Module): number[][] {
  return m.parameters().map((p) => Array.from(p.data.dataSync()));
}

describe('fit', () => {
  it('equals the hand-written loop bitwise and leaks nothing but optimizer state', async () => {
    const ds = regressionData();
    manualSeed(1);
    const a = new nn.Linear(2, 1);
    manualSeed(1);
    const b = new nn.Linear(2, 1);
    const optA = new optim.SGD(a.parameters(), { lr: 0.1, momentum: 0.9 });
    const optB = new optim.SGD(b.parameters(), { lr: 0.1, momentum: 0.9 });
    const loader = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 11 });
    const before = tf.memory().numTensors;
    const history = await fit(a, { train: loader, val: new DataLoader(ds, { batchSize: 5 }), loss: mse, optimizer: optA, epochs: 3, metrics: ['mse', 'mae'], verbose: false });
    expect(tf.memory().numTensors).toBe(before + 2); // two momentum buffers
    // the same loop by hand, with the same shuffling
    const manual: number[] = [];
    const check = new DataLoader(ds, { batchSize: 4, shuffle: true, seed: 11 });
    for (let e = 0; e < 3; e++) {
      let sum = 0;
      for (const [x, y] of check) {
        sum += backward(() => mse(b.forward(x), y), b) * x.shape[0];
        optB.step();
        optB.zeroGrad();
        tf.dispose([x, y]);
      }
      manual.push(sum / 12);
    }
    expect(params(a)).toEqual(params(b));
    expect(history.epoch).toEqual([0, 1, 2]);
    history.train.loss.forEach((l, i) => expect(l).toBeCloseTo(manual[i], 5));
    expect(history.train.loss[2]).toBeLessThan(history.train.loss[0]);
    expect(history.lr).toEqual([0.1, 0.1, 0.1]);
    // val loss is the full-data MSE after the last epoch; the mse metric equals the loss here
    const full = tf.tidy(() => mse(a.forward(ds.tensors[0]), ds.tensors[1]).dataSync()[0]);
    expect(history.val.loss[2]).toBeCloseTo(full, 5);
    expect(history.val.mse[2]).toBeCloseTo(full, 5);
    expect(history.val.mae[2]).toBeGreaterThan(0);
    const ev = await evaluate(a, new DataLoader(ds, { batchSize: 12 }), { loss: mse, metrics: ['mse'] });
    expect(ev.loss).toBeCloseTo(full, 5);
    expect(ev.mse).toBeCloseTo(full, 5);
    expect(a.training).toBe(true);
    optA.dispose();
    optB.dispose();
    a.dispose();
    b.dispose();
    ds.dispose();
  });

  it('accumulates gradients (2 x batch 2 == batch 4), clips them, and steps the scheduler per batch or epoch', async () => {
    const ds = regressionData(8);
    manualSeed(2);
    const a = new nn.Linear(2, 1);
    manualSeed(2);
    const b = new nn.Linear(2, 1);
    const optA = new optim.SGD(a.parameters(), { lr: 0.05 });
    const optB = new optim.SGD(b.parameters(), { lr: 0.05 });
    await fit(a, { train: new DataLoader(ds, { batchSize: 2 }), loss: mse, optimizer: optA, epochs: 1, accumulateSteps: 2, verbose: false });
    await fit(b, { train: new DataLoader(ds, { batchSize: 4 }), loss: mse, optimizer: optB, epochs: 1, verbose: false });
    expect(optA.stateDict().state[0].step).toBe(2);
    params(a).flat().forEach((v, i) => expect(v).toBeCloseTo(params(b).flat()[i], 6));

    // clipping: the optimizer sees gradients of global norm <= 0.5
    const norms: number[] = [];
    const spy: OptimizerLike = {
      paramGroups: [{ lr: 0.01 }],
      step: () => norms.push(Math.sqrt(a.parameters().reduce((s, p) => s + tf.tidy(() => p.grad!.square().sum().dataSync()[0]), 0))),
      zeroGrad: () => a.zeroGrad(),
    };
    const lrs: number[] = [];
    const scheduler = { step: () => lrs.push((spy.paramGroups[0].lr *= 0.5)) };
    await fit(a, { train: new DataLoader(ds, { batchSize: 3 }), loss: (o: tf.Tensor, y: tf.Tensor) => mse(o, y).mul(1000), optimizer: spy, epochs: 2, clipGradNorm: 0.5, scheduler, schedulerStep: 'batch', verbose: false });
    expect(norms).toHaveLength(6); // 3 batches (3, 3, 2) x 2 epochs
    for (const n of norms) expect(n).toBeCloseTo(0.5, 4);
    expect(lrs).toEqual([0.005, 0.0025, 0.00125, 0.000625, 0.0003125, 0.00015625]);
    spy.paramGroups[0].lr = 0.1;
    const h = await fit(a, { train: new DataLoader(ds, { batchSize: 8 }), loss: mse, optimizer: spy, epochs: 3, scheduler, verbose: false });
    expect(h.lr).toEqual([0.1, 0.05, 0.025]);
    optA.dispose();
    optB.dispose();
    a.dispose();
    b.dispose();
    ds.dispose();
  });

  it('trains a classifier with metrics, batches as { x, y } or arrays, and a named-loss error', async () => {
    manualSeed(3);
    const x = tf.tensor2d([[2, 0], [0, 2], [1.5, 0.2], [0.1, 1.7], [2.2, 0.3], [0.2, 2.5]]);
    const y = tf.tensor1d([0, 1, 0, 1, 0, 1], 'int32');
    const model = new nn.Linear(2, 2);
    const ce = (o: tf.Tensor, t: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(t, 2), o) as tf.Scalar;
    const batches = [{ x, y }];
    const before = tf.memory().numTensors;
    const h = await fit(model, { train: batches, loss: ce, optimizer: new optim.SGD(model.parameters(), { lr: 0.5 }), epochs: 20, metrics: ['accuracy', 'f1'], verbose: false });
    expect(tf.memory().numTensors).toBe(before); // plain SGD: no state; array batches are not disposed
    expect(h.train.accuracy[19]).toBe(1);
    expect(h.train.f1[19]).toBe(1);
    expect(h.train.loss[19]).toBeLessThan(h.train.loss[0]);
    expect(h.val).toEqual({});
    await expect(fit(model, { train: batches, loss: 'crossEntropyy' as 'crossEntropy', optimizer: new optim.SGD(model.parameters(), { lr: 1 }), epochs: 1 })).rejects.toThrow(
      /unknown loss 'crossEntropyy'.*crossEntropy, nllLoss/,
    );
    const oneShot = (function* () {
      yield [x, y];
    })();
    await expect(fit(model, { train: oneShot, loss: ce, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2, verbose: false })).rejects.toThrow(
      /yielded no batch in epoch 1/,
    );
    tf.dispose([x, y]);
    model.dispose();
  });

  it('resolves losses by name from F (crossEntropy on int32 labels) exactly like calling them', async () => {
    const x = tf.tensor2d([[1, 0], [0, 1], [1, 1], [0.5, -1]]);
    const y = tf.tensor1d([0, 1, 2, 0], 'int32');
    manualSeed(4);
    const a = new nn.Linear(2, 3);
    manualSeed(4);
    const b = new nn.Linear(2, 3);
    const h = await fit(a, { train: [[x, y]], loss: 'crossEntropy', optimizer: new optim.SGD(a.parameters(), { lr: 0.3 }), epochs: 2, verbose: false });
    const optB = new optim.SGD(b.parameters(), { lr: 0.3 });
    const losses: number[] = [];
    for (let e = 0; e < 2; e++) {
      losses.push(backward(() => F.crossEntropy(b.forward(x), y), b));
      optB.step();
      optB.zeroGrad();
    }
    expect(h.train.loss).toEqual(losses);
    expect(params(a)).toEqual(params(b));
    tf.dispose([x, y]);
    a.dispose();
    b.dispose();
  });

  it('takes a function returning an async generator per epoch, disposing its batches when asked', async () => {
    const model = new nn.Linear(2, 1);
    const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
    let calls = 0;
    async function* batches() {
      calls++;
      for (let i = 0; i < 3; i++) yield { x: tf.tensor2d([[i, 1]]), y: tf.tensor2d([[2 * i]]) };
    }
    const before = tf.memory().numTensors;
    const h = await fit(model, { train: () => batches(), loss: 'mseLoss', optimizer: opt, epochs: 4, disposeBatches: true, verbose: false });
    expect(tf.memory().numTensors).toBe(before);
    expect(calls).toBe(4);
    expect(h.train.loss).toHaveLength(4);
    expect(h.train.loss[3]).toBeLessThan(h.train.loss[0]);
    model.dispose();
  });

  it('calls callbacks in order and stops when asked', async () => {
    const ds = regressionData(6);
    const model = new nn.Linear(2, 1);
    const events: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void events.push('begin'),
      onEpochBegin: (e: number) => void events.push(`e${e}`),
      onBatchEnd: (i: number, logs, ctx: TrainContext) => {
        events.push(`b${i}:${logs.size}`);
        if (ctx.epoch === 1 && i === 0) ctx.stopTraining = true;
      },
      onEpochEnd: (e: number, logs) => void events.push(`end${e}:${Object.keys(logs).join(',')}`),
      onTrainEnd: (ctx: TrainContext) => void events.push(`done@${ctx.globalStep}`),
    });
    const h = await fit(model, { train: new DataLoader(ds, { batchSize: 4 }), val: new DataLoader(ds, { batchSize: 6 }), loss: mse, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 5, metrics: ['mae'], callbacks: [cb], verbose: false });
    expect(events).toEqual(['begin', 'e0', 'b0:4', 'b1:2', 'end0:loss,mae,valLoss,valMae,lr', 'e1', 'b0:4', 'end1:loss,mae,valLoss,valMae,lr', 'done@3']);
    expect(h.epoch).toEqual([0, 1]);
    model.dispose();
    ds.dispose();
  });

  it('prints a progress bar on a TTY and plain lines otherwise', async () => {
    const ds = regressionData(6);
    const model = new nn.Linear(2, 1);
    const tty = new BufferLogger(true, 120);
    const progress: number[] = [];
    await fit(model, { train: new DataLoader(ds, { batchSize: 2 }), loss: mse, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2, logger: tty, onProgress: (e) => progress.push(e.step) });
    expect(progress).toEqual([1, 2, 3, 1, 2, 3]);
    expect(tty.text).toMatch(/\repoch 1\/2 \[=+>?\.*\] 1\/3 loss \d+\.\d{4} [\d.]+ steps\/s ETA \d+s\x1b\[K/);
    expect(tty.text).toMatch(/\repoch 2\/2 - 3 steps - \d+s - loss \d+\.\d{4} - lr 0\.1000\x1b\[K\n$/);
    const plain = new BufferLogger(false);
    await fit(model, { train: new DataLoader(ds, { batchSize: 2 }), loss: mse, optimizer: new optim.SGD(model.parameters(), { lr: 0.1 }), epochs: 2, logger: plain, logEvery: 2 });
    const lines = plain.text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^epoch 1\/2 step 2\/3 - loss \d+\.\d{4} - [\d.]+ steps\/s$/);
    expect(lines[1]).toMatch(/^epoch 1\/2 - 3 steps - \d+s - loss \d+\.\d{4} - lr 0\.1000$/);
    expect(plain.text).not.toMatch(/\r/);
    model.dispose();
    ds.dispose();
  });
});

describe('EarlyStopping', () => {
  function run(es: EarlyStopping, values: number[], model: nn.Module, onEpoch?: (e: number) => void): number[] {
    const ctx = { model, epoch: 0, stopTraining: false } as TrainContext;
    es.onTrainBegin();
    const ran: number[] = [];
    for (let e = 0; e < values.length && !ctx.stopTraining; e++) {
      ctx.epoch = e;
      onEpoch?.(e);
      ran.push(e);
      es.onEpochEnd(e, { valLoss: values[e], valAccuracy: 1 - values[e] }, ctx);
    }
    es.onTrainEnd(ctx);
    return ran;
  }

  it('waits `patience` epochs without an improvement larger than minDelta', () => {
    const model = new nn.Linear(1, 1);
    expect(run(new EarlyStopping({ patience: 2 }), [1, 0.9, 0.95, 0.92, 0.5], model)).toEqual([0, 1, 2, 3]);
    expect(run(new EarlyStopping({ patience: 0 }), [1, 0.9, 0.95, 0.5], model)).toEqual([0, 1, 2]);
    expect(run(new EarlyStopping({ patience: 1, minDelta: 0.2 }), [1, 0.9, 0.5], model)).toEqual([0, 1]);
    const acc = new EarlyStopping({ monitor: 'valAccuracy', patience: 1 });
    expect(acc.mode).toBe('max');
    expect(run(acc, [0.5, 0.3, 0.4, 0.35, 0.2], model)).toEqual([0, 1, 2]);
    expect(acc.best).toBeCloseTo(0.7, 12);
    expect(acc.bestEpoch).toBe(1);
    expect(acc.stoppedEpoch).toBe(2);
    expect(() => run(new EarlyStopping({ monitor: 'valF1' }), [1], model)).toThrow(/'valF1' is not in the epoch logs \(valLoss, valAccuracy\)/);
    model.dispose();
  });

  it('restores the best weights and frees its snapshot', () => {
    const model = new nn.Linear(1, 1, { bias: false });
    const before = tf.memory().numTensors;
    const es = new EarlyStopping({ patience: 1, restoreBestWeights: true });
    run(es, [1, 0.5, 0.7, 0.8], model, (e) => tf.tidy(() => model.weight.assign(tf.tensor2d([[e * 10]]))));
    expect(es.bestEpoch).toBe(1);
    expect(Array.from(model.weight.data.dataSync())).toEqual([10]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
