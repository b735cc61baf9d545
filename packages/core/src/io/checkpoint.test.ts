import { tf, nn, optim, io, manualSeed, getRngState, backward } from '../index';

describe('in-memory checkpoints (browser-safe io)', () => {
  it('pack/unpack round-trips model, optimizer, scheduler and RNG without files', () => {
    manualSeed(1);
    const a = new nn.Linear(3, 2);
    const opt = new optim.Adam(a.parameters(), { lr: 0.1 });
    const sched = new optim.lr.StepLR(opt, 1, { gamma: 0.5 });
    const x = tf.tensor2d([[1, 2, 3]]);
    backward(() => a.forward(x).square().sum() as tf.Scalar, a);
    opt.step();
    opt.zeroGrad();
    sched.step();
    const { files, manifest } = io.packCheckpoint({ model: a, optimizer: opt, scheduler: sched, epoch: 1, step: 1, rng: [5, 6, 7, 8], extra: { note: 'x' } });
    expect(Object.keys(files).sort()).toEqual([io.MODEL_FILE, io.OPTIMIZER_FILE]);
    expect(manifest.optimizer!.scalars).toEqual({ 0: { step: 1 }, 1: { step: 1 } });
    expect(Object.keys(io.parseSafetensors(files[io.OPTIMIZER_FILE]).tensors).sort()).toEqual(['state.0.exp_avg', 'state.0.exp_avg_sq', 'state.1.exp_avg', 'state.1.exp_avg_sq']);

    manualSeed(2);
    const b = new nn.Linear(3, 2);
    const optB = new optim.Adam(b.parameters(), { lr: 3 });
    const schedB = new optim.lr.StepLR(optB, 1, { gamma: 0.5 });
    const before = tf.memory().numTensors;
    const loaded = io.unpackCheckpoint(files, JSON.parse(JSON.stringify(manifest)), { model: b, optimizer: optB, scheduler: schedB });
    expect(tf.memory().numTensors).toBe(before + 4); // Adam's two moments per parameter
    expect(loaded).toEqual({ epoch: 1, step: 1, extra: { note: 'x' }, rng: [5, 6, 7, 8] });
    expect(getRngState()).toEqual([5, 6, 7, 8]);
    expect(Array.from(b.weight.data.dataSync())).toEqual(Array.from(a.weight.data.dataSync()));
    expect(optB.paramGroups[0].lr).toBe(0.05);
    expect(schedB.getLastLr()).toEqual([0.05]);
    const ea = opt.stateDict().state[0].exp_avg as tf.Tensor;
    const eb = optB.stateDict().state[0].exp_avg as tf.Tensor;
    expect(Array.from(eb.dataSync())).toEqual(Array.from(ea.dataSync()));

    // a model of another shape is rejected before anything is loaded
    const c = new nn.Linear(4, 2);
    const cInit = Array.from(c.weight.data.dataSync());
    expect(() => io.unpackCheckpoint(files, manifest, { model: c })).toThrow(/checkpoint\/model\.safetensors: does not match Linear: size mismatch: weight: checkpoint \[2,3\] vs model \[2,4\]/);
    expect(Array.from(c.weight.data.dataSync())).toEqual(cInit);
    expect(() => io.checkManifest({ ...manifest, version: 99 }, 'm.json')).toThrow(/m\.json: .*version 99 is not supported/);
    [opt, optB].forEach((o) => o.dispose());
    [a, b, c].forEach((m) => m.dispose());
    x.dispose();
  });
});
