import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf, nn, optim, backward, manualSeed, getRngState, defaultGenerator, data, io, train } from './index';

class Net extends nn.Module {
  fc1 = this.registerModule('fc1', new nn.Linear(3, 8));
  drop = this.registerModule('drop', new nn.Dropout(0.3));
  fc2 = this.registerModule('fc2', new nn.Linear(8, 1));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(this.drop.forward(tf.relu(this.fc1.forward(x)))));
  }
}

const mse = (o: tf.Tensor, y: tf.Tensor) => tf.losses.meanSquaredError(y, o) as tf.Scalar;

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'nz-node-'));
}

function snapshot(m: nn.Module): number[][] {
  return m.parameters().map((p) => Array.from(p.data.dataSync()));
}

function dataset() {
  manualSeed(0);
  const x = tf.tidy(() => tf.randomNormal([10, 3], 0, 1, 'float32', 1));
  const y = tf.tidy(() => x.sum(1, true).mul(0.5));
  return new data.TensorDataset(x, y);
}

describe('io safetensors files', () => {
  it('round-trips tensors and metadata atomically and names the file in errors', async () => {
    const dir = tmp();
    const file = path.join(dir, 'sub', 'w.safetensors');
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor1d([7, -8], 'int32');
    await io.saveSafetensors(file, { a, b }, { note: 'hi' });
    await io.saveSafetensors(file, { a, b }, { note: 'again' });
    expect(fs.readdirSync(path.dirname(file))).toEqual(['w.safetensors']); // no temp files left
    const { tensors, metadata } = await io.loadSafetensors(file);
    expect(metadata).toEqual({ note: 'again' });
    expect(Array.from(tensors.a.dataSync())).toEqual([1, 2, 3, 4]);
    expect(tensors.b.dtype).toBe('int32');
    expect(Array.from(tensors.b.dataSync())).toEqual([7, -8]);
    tf.dispose([a, b, ...Object.values(tensors)]);
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    await expect(io.loadSafetensors(file)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a valid safetensors file: .*truncated`));
    await expect(io.loadSafetensors(path.join(dir, 'nope.safetensors'))).rejects.toThrow(/nope\.safetensors: no such file/);
    expect(typeof io.serializeSafetensors).toBe('function'); // main io is included
  });
});

describe('checkpoints', () => {
  it('round-trip model, optimizer, scheduler, RNG and extra', async () => {
    const dir = path.join(tmp(), 'ck');
    const ds = dataset();
    manualSeed(1);
    const net = new Net();
    const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.9 });
    const sched = new optim.lr.StepLR(opt, 2, { gamma: 0.5 });
    await train.fit(net, { train: new data.DataLoader(ds, { batchSize: 4 }), loss: mse, optimizer: opt, scheduler: sched, epochs: 3, verbose: false });
    (opt.paramGroups[0] as Record<string, unknown>).maxGradNorm = Infinity; // a non-JSON number survives
    manualSeed(77);
    const rng = getRngState();
    const manifest = await io.saveCheckpoint(dir, { model: net, optimizer: opt, scheduler: sched, epoch: 3, step: 9, extra: { best: 0.5, note: [1, 2] } });
    expect(fs.readdirSync(dir).sort()).toEqual(['checkpoint.json', 'model.safetensors', 'optimizer.safetensors']);
    expect(manifest.files['model.safetensors'].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.model.tensors['fc1.weight']).toEqual([8, 3]);
    expect(Object.keys((await io.loadSafetensors(path.join(dir, 'optimizer.safetensors'))).tensors).sort()).toEqual(
      ['state.0.momentum_buffer', 'state.1.momentum_buffer', 'state.2.momentum_buffer', 'state.3.momentum_buffer'],
    );
    tf.dispose(Object.values((await io.loadSafetensors(path.join(dir, 'optimizer.safetensors'))).tensors));

    manualSeed(2);
    const net2 = new Net();
    const opt2 = new optim.SGD(net2.parameters(), { lr: 1, momentum: 0.9 });
    const sched2 = new optim.lr.StepLR(opt2, 2, { gamma: 0.5 });
    defaultGenerator.random();
    const before = tf.memory().numTensors;
    const loaded = await io.loadCheckpoint(dir, { model: net2, optimizer: opt2, scheduler: sched2 });
    expect(tf.memory().numTensors).toBe(before + 4); // the four momentum buffers
    expect(loaded).toEqual({ epoch: 3, step: 9, extra: { best: 0.5, note: [1, 2] }, rng });
    expect(getRngState()).toEqual(rng);
    expect(snapshot(net2)).toEqual(snapshot(net));
    expect(opt2.paramGroups[0].lr).toBe(opt.paramGroups[0].lr);
    expect(opt2.paramGroups[0].lr).toBe(0.05);
    expect((opt2.paramGroups[0] as Record<string, unknown>).maxGradNorm).toBe(Infinity);
    expect(sched2.stateDict()).toEqual(sched.stateDict());
    expect(sched2.getLastLr()).toEqual([0.05]);
    const s1 = opt.stateDict().state[2];
    const s2 = opt2.stateDict().state[2];
    expect(s2.step).toBe(s1.step);
    expect(Array.from((s2.momentum_buffer as tf.Tensor).dataSync())).toEqual(Array.from((s1.momentum_buffer as tf.Tensor).dataSync()));
    [opt, opt2].forEach((o) => o.dispose());
    [net, net2].forEach((n) => n.dispose());
    ds.dispose();
  });

  it('resumes exactly: save at epoch 2 of 4, load into fresh objects, continue = uninterrupted run (bitwise)', async () => {
    const root = tmp();
    const ds = dataset();
    const loader = () => new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 5 });
    manualSeed(10);
    const a = new Net();
    const optA = new optim.Adam(a.parameters(), { lr: 0.05 });
    const schedA = new optim.lr.StepLR(optA, 3, { gamma: 0.5 });
    await train.fit(a, { train: loader(), loss: mse, optimizer: optA, scheduler: schedA, epochs: 4, verbose: false, callbacks: [new train.ModelCheckpoint(root, { every: 2 })] });
    expect(fs.readdirSync(root).sort()).toEqual(['epoch_0002', 'epoch_0004']);
    expect(await io.findLatestCheckpoint(root)).toBe(path.join(root, 'epoch_0004'));

    manualSeed(999); // different init and RNG stream: everything must come from the checkpoint
    const b = new Net();
    const optB = new optim.Adam(b.parameters(), { lr: 123 });
    const schedB = new optim.lr.StepLR(optB, 3, { gamma: 0.5 });
    const { epoch, step } = await io.loadCheckpoint(path.join(root, 'epoch_0002'), { model: b, optimizer: optB, scheduler: schedB });
    expect([epoch, step]).toEqual([2, 8]);
    await train.fit(b, { train: loader(), loss: mse, optimizer: optB, scheduler: schedB, epochs: 4, initialEpoch: epoch, initialStep: step, verbose: false });
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(optB.paramGroups[0].lr).toBe(optA.paramGroups[0].lr);
    expect(optA.paramGroups[0].lr).toBe(0.025);
    // and without restoring the RNG the dropout masks differ, so the result does too
    const c = new Net();
    const optC = new optim.Adam(c.parameters(), { lr: 1 });
    await io.loadCheckpoint(path.join(root, 'epoch_0002'), { model: c, optimizer: optC, restoreRng: false });
    await train.fit(c, { train: loader(), loss: mse, optimizer: optC, epochs: 4, initialEpoch: 2, verbose: false });
    expect(snapshot(c)).not.toEqual(snapshot(a));
    [optA, optB, optC].forEach((o) => o.dispose());
    [a, b, c].forEach((n) => n.dispose());
    ds.dispose();
  });

  it('resumes exactly mid-epoch in a hand-written loop: N steps straight = k steps, save, load into fresh objects, N - k steps', async () => {
    const dir = path.join(tmp(), 'mid');
    const ds = dataset();
    const loader = new data.DataLoader(ds, { batchSize: 3, shuffle: true, seed: 9 }); // 4 batches per epoch
    const N = 10;
    const k = 6; // saved after epoch 1's second batch
    const runSteps = async (net: Net, opt: optim.Optimizer, sched: optim.LRScheduler, from: number, to: number, save?: number) => {
      for (let s = from; s < to; s++) {
        const epoch = Math.floor(s / loader.length);
        const batch = s % loader.length;
        const [x, y] = loader.iterEpoch(epoch, batch).next().value as tf.Tensor[];
        backward(() => mse(net.forward(x), y), net);
        opt.step();
        opt.zeroGrad();
        sched.step();
        tf.dispose([x, y]);
        if (save === s + 1) await io.saveCheckpoint(dir, { model: net, optimizer: opt, scheduler: sched, epoch, step: s + 1, extra: { batch: batch + 1 } });
      }
    };
    manualSeed(21);
    const a = new Net();
    const optA = new optim.Adam(a.parameters(), { lr: 0.02, weightDecay: 0.01 });
    const schedA = new optim.lr.ExponentialLR(optA, 0.9);
    await runSteps(a, optA, schedA, 0, N, k);

    manualSeed(22);
    const b = new Net();
    const optB = new optim.Adam(b.parameters(), { lr: 5 });
    const schedB = new optim.lr.ExponentialLR(optB, 0.5);
    const { step, extra } = await io.loadCheckpoint(dir, { model: b, optimizer: optB, scheduler: schedB });
    expect([step, extra]).toEqual([k, { batch: 2 }]);
    await runSteps(b, optB, schedB, step, N);
    expect(snapshot(b)).toEqual(snapshot(a));
    expect(optB.stateDict().state[0].step).toBe(N);
    const ea = optA.stateDict().state[1].exp_avg_sq as tf.Tensor;
    const eb = optB.stateDict().state[1].exp_avg_sq as tf.Tensor;
    expect(Array.from(eb.dataSync())).toEqual(Array.from(ea.dataSync()));
    expect(schedB.getLastLr()).toEqual(schedA.getLastLr());
    [optA, optB].forEach((o) => o.dispose());
    [a, b].forEach((n) => n.dispose());
    ds.dispose();
  });

  it('rejects corrupt, truncated or mismatched checkpoints before loading anything', async () => {
    const root = tmp();
    const dir = path.join(root, 'ck');
    manualSeed(3);
    const net = new Net();
    const opt = new optim.SGD(net.parameters(), { lr: 0.1, momentum: 0.5 });
    const x = tf.ones([2, 3]);
    const y = tf.zeros([2, 1]);
    await train.fit(net, { train: [[x, y]], loss: mse, optimizer: opt, epochs: 1, verbose: false });
    await io.saveCheckpoint(dir, { model: net, optimizer: opt, epoch: 1, step: 1, rng: [1, 2, 3, 4] });

    manualSeed(4);
    const other = new (class extends nn.Module {
      fc1 = this.registerModule('fc1', new nn.Linear(3, 8));
      fc2 = this.registerModule('fc2', new nn.Linear(8, 2));
      forward(v: tf.Tensor) {
        return this.fc2.forward(this.fc1.forward(v));
      }
    })();
    const fresh = new Net();
    const freshOpt = new optim.SGD(fresh.parameters(), { lr: 0.7 });
    const initial = snapshot(fresh);
    const rng = getRngState();
    const count = tf.memory().numTensors;
    const unchanged = () => {
      expect(snapshot(fresh)).toEqual(initial);
      expect(freshOpt.paramGroups[0].lr).toBe(0.7);
      expect(Object.keys(freshOpt.stateDict().state)).toEqual([]);
      expect(getRngState()).toEqual(rng);
      expect(tf.memory().numTensors).toBe(count);
    };
    const copy = (name: string) => {
      const d = path.join(root, name);
      fs.cpSync(dir, d, { recursive: true });
      return d;
    };

    const flipped = copy('flipped');
    const mf = path.join(flipped, 'model.safetensors');
    const bytes = fs.readFileSync(mf);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(mf, bytes);
    await expect(io.loadCheckpoint(flipped, { model: fresh, optimizer: freshOpt })).rejects.toThrow(/flipped\/model\.safetensors: corrupt: SHA-256 [0-9a-f]{12}… does not match/);
    unchanged();

    const truncated = copy('truncated');
    const of = path.join(truncated, 'optimizer.safetensors');
    fs.writeFileSync(of, fs.readFileSync(of).subarray(0, 40));
    await expect(io.loadCheckpoint(truncated, { model: fresh, optimizer: freshOpt })).rejects.toThrow(/truncated\/optimizer\.safetensors: truncated or corrupt: 40 bytes, the manifest says \d+/);
    unchanged();

    const badJson = copy('badjson');
    const jf = path.join(badJson, 'checkpoint.json');
    fs.writeFileSync(jf, fs.readFileSync(jf, 'utf8').slice(0, 50));
    await expect(io.loadCheckpoint(badJson, { model: fresh })).rejects.toThrow(/badjson\/checkpoint\.json: corrupt or truncated \(not JSON/);
    await expect(io.loadCheckpoint(path.join(root, 'none'), { model: fresh })).rejects.toThrow(/none: no checkpoint here/);

    const otherInit = snapshot(other);
    await expect(io.loadCheckpoint(dir, { model: other })).rejects.toThrow(/ck\/model\.safetensors: does not match .*size mismatch: fc2\.weight: checkpoint \[1,8\] vs model \[2,8\]; fc2\.bias: checkpoint \[1\] vs model \[2\]/);
    expect(snapshot(other)).toEqual(otherInit);

    // an optimizer over a different parameter layout: rejected before the model is touched
    const optWrong = new optim.SGD(fresh.parameters().slice(0, 2), { lr: 0.7 });
    await expect(io.loadCheckpoint(dir, { model: fresh, optimizer: optWrong })).rejects.toThrow(/ck\/optimizer\.safetensors: parameter group 0 has 4 parameters in the checkpoint, 2 in the optimizer/);
    const swapped = new optim.SGD([...fresh.parameters()].reverse(), { lr: 0.7 });
    await expect(io.loadCheckpoint(dir, { model: fresh, optimizer: swapped })).rejects.toThrow(/state\.0\.momentum_buffer has shape \[8,3\], but parameter '\w+' has \[1\]/);
    unchanged();

    // a save interrupted between its two renames leaves only <dir>.prev: it is loaded
    fs.renameSync(dir, `${dir}.prev`);
    const loaded = await io.loadCheckpoint(dir, { model: fresh, restoreRng: false });
    expect(loaded.epoch).toBe(1);
    expect(snapshot(fresh)).toEqual(snapshot(net));
    [net, fresh, other].forEach((m) => m.dispose());
    [opt, freshOpt].forEach((o) => o.dispose());
    tf.dispose([x, y]);
  });

  it('replaces a checkpoint atomically, leaving no temporary directory', async () => {
    const root = tmp();
    const dir = path.join(root, 'ck');
    const m = new nn.Linear(2, 1);
    await io.saveCheckpoint(dir, { model: m, epoch: 1 });
    tf.tidy(() => m.weight.assign(tf.tensor2d([[5, 6]])));
    await io.saveCheckpoint(dir, { model: m, epoch: 2 });
    expect(fs.readdirSync(root)).toEqual(['ck']);
    expect(fs.readdirSync(dir).sort()).toEqual(['checkpoint.json', 'model.safetensors']);
    const m2 = new nn.Linear(2, 1);
    expect((await io.loadCheckpoint(dir, { model: m2 })).epoch).toBe(2);
    expect(Array.from(m2.weight.data.dataSync())).toEqual([5, 6]);
    await expect(io.loadCheckpoint(dir, { model: m2, optimizer: new optim.SGD(m2.parameters(), { lr: 1 }) })).rejects.toThrow(/holds no optimizer state/);
    const userDir = path.join(root, 'mine');
    fs.mkdirSync(userDir);
    fs.writeFileSync(path.join(userDir, 'notes.txt'), 'keep me');
    await expect(io.saveCheckpoint(userDir, { model: m })).rejects.toThrow(/mine exists and is not a checkpoint \(no checkpoint\.json\); refusing to replace it/);
    expect(fs.readdirSync(userDir)).toEqual(['notes.txt']);
    fs.mkdirSync(path.join(root, 'empty'));
    await io.saveCheckpoint(path.join(root, 'empty'), { model: m }); // an existing empty directory is fine
    expect(fs.readdirSync(path.join(root, 'empty')).sort()).toEqual(['checkpoint.json', 'model.safetensors']);
    m.dispose();
    m2.dispose();
  });
});

describe('file callbacks', () => {
  it('MetricsLogger writes JSONL; ModelCheckpoint(saveBestOnly) keeps the best epoch', async () => {
    const root = tmp();
    const ds = dataset();
    manualSeed(6);
    const net = new Net();
    const opt = new optim.SGD(net.parameters(), { lr: 0.05 });
    const log = path.join(root, 'logs', 'metrics.jsonl');
    const valLosses: number[] = [];
    const best = new train.ModelCheckpoint(path.join(root, 'ck'), { saveBestOnly: true });
    const h = await train.fit(net, {
      train: new data.DataLoader(ds, { batchSize: 5 }),
      val: new data.DataLoader(ds, { batchSize: 10 }),
      loss: mse,
      optimizer: opt,
      epochs: 3,
      metrics: ['mae'],
      verbose: false,
      callbacks: [new train.MetricsLogger(log, { everySteps: 1 }), best, new train.LambdaCallback({ onEpochEnd: (_e, l) => void valLosses.push(l.valLoss) })],
    });
    const lines = fs.readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['batch', 'batch', 'epoch', 'batch', 'batch', 'epoch', 'batch', 'batch', 'epoch']);
    const epochs = lines.filter((l) => l.type === 'epoch');
    expect(epochs.map((l) => l.epoch)).toEqual([0, 1, 2]);
    expect(epochs.map((l) => l.step)).toEqual([2, 4, 6]);
    epochs.forEach((l, i) => {
      expect(l.loss).toBeCloseTo(h.train.loss[i], 10);
      expect(l.valMae).toBeCloseTo(h.val.mae[i], 10);
      expect(l.lr).toBe(0.05);
    });
    const bestEpoch = valLosses.indexOf(Math.min(...valLosses));
    expect(fs.readdirSync(path.join(root, 'ck'))).toEqual(['best']);
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'ck', 'best', 'checkpoint.json'), 'utf8'));
    expect(manifest.epoch).toBe(bestEpoch + 1);
    expect(best.best).toBeCloseTo(valLosses[bestEpoch], 10);
    opt.dispose();
    net.dispose();
    ds.dispose();
  });
});
