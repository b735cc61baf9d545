/**
 * Data-parallel scaling row of `pnpm bench`: LeNet-5 on MNIST (the 8,000-digit train split,
 * Adam) trained through `parallel.dataParallel({ transport: 'threads' })` with 1 and 2 worker
 * threads, each worker on wasm with one thread; samples/s and the speed-up of 2 workers over 1,
 * both at 64 samples per worker (weak scaling: global batch 64 × workers, how data parallelism
 * is used) and at a global batch of 64 (strong scaling: each of 2 workers gets 32, where TF.js's
 * per-op cost, independent of the batch, weighs more). Runs in its own Node process
 * (`--scaling-worker`), like the backends.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import * as core from '@neuralzoo/core';
import { parallel } from '@neuralzoo/core/node';
import { loadMnist, toDataset } from '@neuralzoo/datasets';
import '@neuralzoo/vision';

const { tf, data, optim, F } = core;
/** Samples per worker (weak scaling) and global batch of the strong-scaling rows. */
const BATCH = 64;
export const SCALING_MARK = '@@scaling ';

export interface ScalingRow {
  /** 0: the plain loop in one thread without a strategy (reference). */
  workers: number;
  /** Global batch. */
  batch: number;
  samplesPerSecond: number;
  steps: number;
  loss: number;
  /** Per optimizer step (ms): where a strategy's time went (see ThreadsTimings). */
  perStepMs?: Record<string, number>;
}

export interface ScalingResult {
  available: boolean;
  note?: string;
  backend?: string;
  rows: ScalingRow[];
  /** samples/s of 2 workers ÷ 1 worker at 64 samples per worker (goal ≥ 1.6 on 2 cores). */
  speedup?: number;
  /** The same at a global batch of 64 (32 per worker). */
  strongSpeedup?: number;
  loadavg?: number[];
}

/** Trains for about `seconds` after 3 warm-up steps; `step` runs one global batch. */
async function timed(seconds: number, batch: number, batches: () => Iterator<core.tf.Tensor[]>, step: (x: core.tf.Tensor, y: core.tf.Tensor) => Promise<number>): Promise<Omit<ScalingRow, 'workers' | 'batch'>> {
  let it = batches();
  const next = (): core.tf.Tensor[] => {
    let r = it.next();
    if (r.done) {
      it = batches();
      r = it.next();
    }
    return r.value;
  };
  const run = async () => {
    const [x, y] = next();
    try {
      return await step(x, y);
    } finally {
      tf.dispose([x, y]);
    }
  };
  for (let i = 0; i < 3; i++) await run();
  const start = process.hrtime.bigint();
  let steps = 0;
  let loss = NaN;
  let elapsed = 0;
  while (elapsed < seconds || steps < 10) {
    loss = await run();
    steps++;
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  }
  return { samplesPerSecond: (steps * batch) / elapsed, steps, loss };
}

export interface ScalingOptions {
  /** Directory of the MNIST digits (loadMnist's `dir`). Default: the installed npm package. */
  mnistDir?: string;
  /** Modules the workers import to register lenet5. Default: @neuralzoo/vision as resolved here. */
  imports?: string[];
  /** Worker counts to time. Default [1, 2]. */
  workers?: number[];
}

/** The measurement itself (in the `--scaling-worker` process). */
export async function runScaling(seconds: number, opts: ScalingOptions = {}): Promise<ScalingResult> {
  const info = await core.init({ backend: 'wasm', threads: 1 });
  const set = toDataset(loadMnist({ split: 'train', dir: opts.mnistDir }));
  const imports = opts.imports ?? [require.resolve('@neuralzoo/vision')];
  const loaderOf = (batchSize: number) => {
    const loader = new data.DataLoader(set, { batchSize, shuffle: true, seed: 0, dropLast: true });
    return () => loader[Symbol.iterator]() as Iterator<core.tf.Tensor[]>;
  };
  const rows: ScalingRow[] = [];
  {
    core.manualSeed(0);
    const model = core.registry.create('lenet5');
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const r = await timed(seconds, BATCH, loaderOf(BATCH), async (x, y) => {
      const loss = core.backward(() => F.crossEntropy(model.forward(x), y), model);
      opt.step();
      opt.zeroGrad();
      return loss;
    });
    rows.push({ workers: 0, batch: BATCH, ...r });
    model.dispose();
  }
  const configs = (opts.workers ?? [1, 2]).flatMap((w) => (w === 1 ? [[1, BATCH]] : [[w, BATCH * w], [w, BATCH]]));
  for (const [workers, batch] of configs) {
    core.manualSeed(0);
    const model = core.registry.create('lenet5');
    const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
    const strategy = parallel.dataParallel({ workers, transport: 'threads', model: 'lenet5', imports });
    await strategy.setup({ model, optimizer: opt, loss: 'crossEntropy' });
    try {
      const r = await timed(seconds, batch, loaderOf(batch), async (x, y) => {
        // As train.fit does: the optimizer step rides with the batch.
        const { loss } = await strategy.forwardBackward([x], y, { step: {} });
        return loss;
      });
      const t = strategy.timings;
      const perStepMs = Object.fromEntries(Object.entries(t).filter(([k]) => k !== 'batches' && k !== 'steps').map(([k, v]) => [k, +(v / t.steps).toFixed(2)]));
      rows.push({ workers, batch, ...r, perStepMs });
    } finally {
      await strategy.close();
      model.dispose();
    }
  }
  const one = rows.find((r) => r.workers === 1);
  const weak = rows.find((r) => r.workers === 2 && r.batch === 2 * BATCH);
  const strong = rows.find((r) => r.workers === 2 && r.batch === BATCH);
  const ratio = (r: ScalingRow | undefined) => (one && r ? r.samplesPerSecond / one.samplesPerSecond : undefined);
  return { available: true, backend: info.name, rows, speedup: ratio(weak), strongSpeedup: ratio(strong), loadavg: os.loadavg().map((l) => +l.toFixed(2)) };
}

/** Runs `runScaling` in a child process of `script` (bench's main.js) and returns its result. */
export function scalingChild(script: string, seconds: number, cwd: string): ScalingResult {
  const r = spawnSync(process.execPath, [script, '--scaling-worker', '--seconds', String(seconds)], { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 16 << 20 });
  const line = r.error ? undefined : r.stdout.split('\n').find((l) => l.startsWith(SCALING_MARK));
  if (!line) return { available: false, note: r.error ? r.error.message : `exited with ${r.status ?? r.signal} and no result`, rows: [] };
  return JSON.parse(line.slice(SCALING_MARK.length)) as ScalingResult;
}

/** The scaling table (Markdown). */
export function scalingTable(s: ScalingResult): string {
  if (!s.available) return `Data-parallel scaling: not available (${s.note})`;
  const base = s.rows.find((r) => r.workers === 1)?.samplesPerSecond;
  const lines = [
    `Data-parallel scaling: LeNet-5 on MNIST, Adam; \`parallel.dataParallel({ transport: 'threads' })\`, each worker on ${s.backend} with 1 thread (load average after: ${s.loadavg?.join(' ')}).`,
    '',
    '| workers | global batch | samples/s | × 1 worker |',
    '|:--------|-------------:|----------:|-----------:|',
    ...s.rows.map(
      (r) =>
        `| ${r.workers === 0 ? 'none (1 thread, no strategy)' : r.workers} | ${r.batch} | ${r.samplesPerSecond.toFixed(0)} | ${r.workers === 0 || !base ? '' : `${(r.samplesPerSecond / base).toFixed(2)}×`} |`,
    ),
    '',
    `Goal: 2 workers ≥ 1.6× 1 worker at ${BATCH} samples per worker, on 2 free cores. Timings on a shared machine are noisy; the main thread also takes every optimizer step to keep its model in sync.`,
  ];
  return lines.join('\n');
}

/** `readme` with the scaling table added at the end of the bench section (a no-op without one). */
export function withScaling(readme: string, s: ScalingResult | undefined): string {
  const end = '<!-- bench:end -->';
  const i = readme.indexOf(end);
  if (!s || i < 0) return readme;
  return `${readme.slice(0, i)}\n${scalingTable(s)}\n${readme.slice(i)}`;
}
