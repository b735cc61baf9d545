/**
 * Shared helpers of the torchvision parity tests (test-only; not part of the package build):
 * deterministic "formula" weights that tools/fixtures/vision_models.py writes too, error measures,
 * and building full-size models without drawing their random initial values.
 */
import { Worker } from 'worker_threads';
import { defaultGenerator, nn, tf } from '@neuralzoo/core';

// ---- formula weights: the same values as formula_state_dict in tools/fixtures/vision_models.py ----
// Computed in a worker thread: loops over ~10^8 numbers run ~100× slower inside Jest's VM context.
const FORMULA_WORKER = `
const { parentPort, workerData } = require('worker_threads');
function fnv1a32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
function formula(name, shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const h = fnv1a32(name);
  const scale = Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1));
  const kind = name.endsWith('running_var') ? 0 : name.endsWith('running_mean') ? 1 : name.endsWith('bias') ? 2 : shape.length === 1 ? 3 : 4;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = (Math.imul(i, 0x9e3779b1) + h) >>> 0; // murmur3 fmix32 of a counter
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x = (x ^ (x >>> 16)) >>> 0;
    const u = x / 4294967296;
    const v = 2 * u - 1;
    out[i] = kind === 0 ? 0.75 + 0.5 * u : kind === 1 ? 0.1 * v : kind === 2 ? 0.05 * v : kind === 3 ? 1 + 0.2 * v : v * scale;
  }
  return out;
}
const out = workerData.map(([name, shape]) => formula(name, shape));
parentPort.postMessage(out, out.map((a) => a.buffer));
`;

/** Loads formula values into every parameter and buffer of `m` (num_batches_tracked kept). */
export async function loadFormulaWeights(m: nn.Module): Promise<void> {
  const own = m.stateDict();
  const entries = Object.entries(own)
    .filter(([k]) => !k.endsWith('num_batches_tracked'))
    .map(([k, t]) => [k, t.shape] as [string, number[]]);
  const values = await new Promise<Float32Array[]>((resolve, reject) => {
    const worker = new Worker(FORMULA_WORKER, { eval: true, workerData: entries });
    worker.once('message', (v: Float32Array[]) => {
      resolve(v);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  // One tensor at a time into the module's own variables: keeps the peak (wasm heap) near one model.
  entries.forEach(([k, shape], i) => {
    const t = tf.tensor(new Float32Array(values[i]), shape, 'float32');
    (own[k] as tf.Variable).assign(t);
    t.dispose();
  });
}

/** max |a - e| and max |e|. */
export function errors(a: tf.Tensor, e: tf.Tensor): { maxErr: number; maxRef: number } {
  const av = a.dataSync();
  const ev = e.dataSync();
  let maxErr = 0;
  let maxRef = 0;
  for (let i = 0; i < ev.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(av[i] - ev[i]));
    maxRef = Math.max(maxRef, Math.abs(ev[i]));
  }
  return { maxErr, maxRef };
}

/**
 * Builds a model with zero-filled instead of random initial values: drawing ~10^8 numbers from the
 * JS generator takes minutes under Jest, and structure and formula-weight tests overwrite them.
 */
export function buildUninitialised<M>(build: () => M): M {
  const uniform = jest.spyOn(defaultGenerator, 'uniformArray').mockImplementation((n: number) => new Float32Array(n));
  const normal = jest.spyOn(defaultGenerator, 'normalArray').mockImplementation((n: number) => new Float32Array(n));
  try {
    return build();
  } finally {
    uniform.mockRestore();
    normal.mockRestore();
  }
}

export type Structure = Record<string, { count: number; keys: Array<[string, number[]]> }>;
