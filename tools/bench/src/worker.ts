/**
 * Runs every case on one TF.js backend in this process (main.ts starts one process per backend,
 * so backends never share a heap or thread pool) and prints its results as one JSON line.
 */
import * as os from 'os';
import * as path from 'path';
import * as core from '@neuralzoo/core';
import { lenet5, TRAIN_CASES, trainer, Trainer, Unavailable, Workload } from './cases';
import type { BackendResult, CaseResult, KernelShare } from './types';

const { tf } = core;

export interface WorkerOptions {
  backend: core.BackendName;
  cases: string[];
  /** Seconds of timed steps per case (after warm-up). */
  seconds: number;
  /** Wall-clock cap of the MNIST epoch; a slower backend's epoch time is extrapolated. */
  epochLimit: number;
  threads?: number;
  profile: boolean;
  /**
   * wasm only: put TF.js's own BatchMatMul kernel back in place of core's (the 'wasm-tfjs-matmul'
   * column shows what core's matmul gains).
   */
  stockMatMul?: boolean;
  /** The MNIST train split (images NHWC, labels) for the epoch case, or why it is missing. */
  mnist: { images: Float32Array; labels: Int32Array } | string;
}

function log(msg: string): void {
  process.stderr.write(`  ${msg}\n`);
}

function reason(e: unknown): string {
  return e instanceof Unavailable ? e.message : `failed: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`;
}

/**
 * Steps per second over at least `seconds` and 3 steps, after 2 warm-up steps; a backend whose
 * first step alone takes longer than `seconds` gets 1 warm-up and 1 timed step (keeps the cpu
 * backend's LeNet, 20 s a step, within the run's time budget).
 */
function timeSteps(w: Workload, seconds: number): { rate: number; steps: number; loss: number; cpuMs: number } {
  const first = performance.now();
  let loss = w.trainer.step(w.x, w.y);
  const slow = performance.now() - first > seconds * 1000;
  if (!slow) loss = w.trainer.step(w.x, w.y);
  const minSteps = slow ? 1 : 3;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let steps = 0;
  let now = t0;
  while (steps < minSteps || (now - t0 < seconds * 1000 && steps < 2000)) {
    loss = w.trainer.step(w.x, w.y);
    steps++;
    now = performance.now();
  }
  const cpu = process.cpuUsage(cpu0);
  if (!Number.isFinite(loss)) throw new Error(`loss is ${loss}`);
  return { rate: (steps * 1000) / (now - t0), steps, loss, cpuMs: (cpu.user + cpu.system) / 1000 / steps };
}

/**
 * CPU time of each kernel over `steps` steps, as a share of their CPU time, the largest first;
 * '(outside kernels)' is the rest (TF.js engine and autograd bookkeeping, JS glue, GC). Kernels
 * are wrapped only while profiling; a kernel called from another kernel counts in its caller.
 */
function profileSteps(w: Workload, backend: string, steps: number): KernelShare[] {
  const originals = tf.getKernelsForBackend(backend);
  const cpu = new Map<string, number>();
  let depth = 0;
  const swap = (configs: core.tf.KernelConfig[]) =>
    configs.forEach((k) => {
      tf.unregisterKernel(k.kernelName, backend);
      tf.registerKernel(k);
    });
  swap(
    originals.map((k) => ({
      ...k,
      kernelFunc: (args: Parameters<core.tf.KernelFunc>[0]) => {
        if (depth++ > 0) {
          try {
            return k.kernelFunc(args);
          } finally {
            depth--;
          }
        }
        const c0 = process.cpuUsage();
        try {
          return k.kernelFunc(args);
        } finally {
          depth--;
          const c = process.cpuUsage(c0);
          cpu.set(k.kernelName, (cpu.get(k.kernelName) ?? 0) + c.user + c.system);
        }
      },
    })),
  );
  const c0 = process.cpuUsage();
  try {
    for (let i = 0; i < steps; i++) w.trainer.step(w.x, w.y);
  } finally {
    swap(originals);
  }
  const c = process.cpuUsage(c0);
  const total = c.user + c.system;
  const inKernels = [...cpu.values()].reduce((a, b) => a + b, 0);
  cpu.set('(outside kernels)', Math.max(0, total - inKernels));
  return [...cpu]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([kernel, us]) => ({ kernel, ms: +(us / 1000 / steps).toFixed(2), share: +(us / total).toFixed(3) }));
}

async function trainCase(id: string, o: WorkerOptions): Promise<CaseResult> {
  const c = TRAIN_CASES.find((k) => k.id === id);
  if (!c) throw new Error(`unknown case '${id}'`);
  let w: Workload | null = null;
  try {
    w = c.build();
    const { rate, steps, loss, cpuMs } = timeSteps(w, o.seconds);
    const result: CaseResult = { id, value: +rate.toFixed(3), unit: 'steps/s', steps, loss: +loss.toFixed(4), cpuMsPerStep: +cpuMs.toFixed(2) };
    if (o.profile) result.profile = profileSteps(w, tf.getBackend(), rate < 1 ? 1 : 3); // 1 step for a backend at seconds per step
    log(`${o.backend} ${id}: ${rate.toFixed(2)} steps/s (${steps} steps)`);
    return result;
  } catch (e) {
    log(`${o.backend} ${id}: n/a (${reason(e)})`);
    return { id, value: null, unit: 'steps/s', note: reason(e) };
  } finally {
    if (w) {
      w.trainer.dispose();
      w.x.dispose();
      w.y.dispose();
    }
  }
}

/** GFLOP/s of one 1024×1024 by 1024×1024 float32 matMul. */
function sgemm(o: WorkerOptions): CaseResult {
  const n = 1024;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 11);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 12);
  try {
    // Returns nothing from tidy: it would walk a returned 1M-element array looking for tensors.
    const run = () =>
      tf.tidy(() => {
        tf.matMul(a, b).dataSync();
      });
    const first = performance.now();
    run();
    const minReps = performance.now() - first > o.seconds * 1000 ? 1 : 2;
    const t0 = performance.now();
    let reps = 0;
    let now = t0;
    while (reps < minReps || (now - t0 < o.seconds * 1000 && reps < 200)) {
      run();
      reps++;
      now = performance.now();
    }
    const gflops = (2 * n ** 3 * reps) / ((now - t0) / 1000) / 1e9;
    log(`${o.backend} sgemm: ${gflops.toFixed(2)} GFLOP/s`);
    return { id: 'sgemm', value: +gflops.toFixed(3), unit: 'GFLOP/s', steps: reps };
  } finally {
    a.dispose();
    b.dispose();
  }
}

/** A deterministic permutation (the epoch's shuffle; the timing does not depend on it). */
function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/**
 * One epoch of LeNet-5 on the MNIST train split, batch 64, shuffled: batching from typed arrays,
 * forward, backward, Adam. Stops at `epochLimit` seconds and extrapolates from the steps done.
 */
function lenetEpoch(o: WorkerOptions): CaseResult {
  const id = 'lenet_epoch';
  if (typeof o.mnist === 'string') return { id, value: null, unit: 's', note: o.mnist };
  const { images, labels } = o.mnist;
  const px = 28 * 28;
  const n = labels.length;
  const batch = 64;
  const steps = Math.floor(n / batch);
  let t: Trainer | null = null;
  try {
    t = trainer(lenet5());
    const x = new Float32Array(batch * px);
    const y = new Int32Array(batch);
    const order = permutation(n, 2024);
    const t0 = performance.now();
    let done = 0;
    let loss = NaN;
    while (done < steps) {
      for (let i = 0; i < batch; i++) {
        const k = order[done * batch + i];
        x.set(images.subarray(k * px, (k + 1) * px), i * px);
        y[i] = labels[k];
      }
      const xb = tf.tensor4d(x, [batch, 28, 28, 1]);
      const yb = tf.tensor1d(y, 'int32');
      loss = t.step(xb, yb);
      xb.dispose();
      yb.dispose();
      done++;
      if ((performance.now() - t0) / 1000 > o.epochLimit) break;
    }
    const elapsed = (performance.now() - t0) / 1000;
    const epoch = (elapsed * steps) / done;
    const note = done < steps ? `extrapolated from ${done} of ${steps} steps` : undefined;
    log(`${o.backend} lenet epoch: ${epoch.toFixed(1)} s${note ? ` (${note})` : ''}, loss ${loss.toFixed(3)}`);
    return { id, value: +epoch.toFixed(3), unit: 's', steps: done, loss: +loss.toFixed(4), ...(note ? { note } : {}) };
  } catch (e) {
    log(`${o.backend} lenet epoch: n/a (${reason(e)})`);
    return { id, value: null, unit: 's', note: reason(e) };
  } finally {
    t?.dispose();
  }
}

/**
 * @neuralzoo/backend-torch from this repository (built by `pnpm build`; the bench is not one of
 * its dependents): importing it registers the provider `init` uses. When it cannot load, `init`
 * reports why.
 */
function loadTorchPackage(): void {
  try {
    require(path.resolve(__dirname, '../../../packages/backend-torch'));
  } catch {
    // init({ backend: 'torch' }) then says the package is not installed
  }
}

export async function runWorker(opts: WorkerOptions): Promise<BackendResult> {
  let o = opts;
  const started = new Date().toISOString();
  const label = o.stockMatMul ? `${o.backend}-tfjs-matmul` : o.backend;
  // TF.js's own kernel, before init lets core replace it.
  const stock = tf.getKernel('BatchMatMul', o.backend);
  let info: core.BackendInfo;
  try {
    if (o.backend === 'torch') loadTorchPackage();
    info = await core.init({ backend: o.backend, ...(o.threads ? { threads: o.threads } : {}) });
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    log(`${label}: not available (${msg})`);
    return { backend: label, available: false, note: msg, cases: [] };
  }
  if (o.stockMatMul) {
    if (!stock) throw new Error(`--stock-matmul: ${o.backend} has no BatchMatMul kernel`);
    tf.unregisterKernel('BatchMatMul', o.backend);
    tf.registerKernel(stock);
    o = { ...o, backend: label as core.BackendName };
  }
  const cases: CaseResult[] = [];
  for (const id of o.cases) {
    if (id === 'sgemm') cases.push(sgemm(o));
    else if (id === 'lenet_epoch') cases.push(lenetEpoch(o));
    else cases.push(await trainCase(id, o));
  }
  return {
    backend: label,
    available: true,
    info: { name: info.name, device: info.device, threads: info.threads },
    started,
    loadavg: os.loadavg().map((l) => +l.toFixed(2)),
    leakedTensors: tf.memory().numTensors,
    cases,
  };
}
