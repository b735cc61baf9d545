/**
 * Test support for the wasm kernels: run the same computation on the cpu backend (the
 * reference) and on wasm, and return both results as plain arrays.
 */
import { tf } from '../../tf';
import { registerWasmKernels } from './index';

export interface BackendResult {
  shape: number[];
  values: number[];
}

/** Deterministic uniform values in [-1, 1) (a tiny LCG, so tests need no global seed). */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/**
 * Runs `fn` under `backend` and returns its outputs' shapes and values; restores the previous
 * backend afterwards. Tensors created inside are disposed.
 */
export async function runOn(backend: 'cpu' | 'wasm', fn: () => tf.Tensor | tf.Tensor[]): Promise<BackendResult[]> {
  if (backend === 'wasm') registerWasmKernels();
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  // tfjs-backend-cpu prints an advert for tfjs-node on first use; init() silences it the same way.
  if (backend === 'cpu') (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  try {
    return tf.tidy(() => {
      const out = fn();
      return (Array.isArray(out) ? out : [out]).map((t) => ({ shape: t.shape.slice(), values: Array.from(t.dataSync()) }));
    });
  } finally {
    if (previous && previous !== backend) await tf.setBackend(previous);
  }
}

/** Runs `fn` on cpu and on wasm; returns [cpu, wasm] results. */
export async function onCpuAndWasm(fn: () => tf.Tensor | tf.Tensor[]): Promise<[BackendResult[], BackendResult[]]> {
  return [await runOn('cpu', fn), await runOn('wasm', fn)];
}

/** Data buffers the active backend holds (catches leaks of kernel intermediates). */
export function backendDataIds(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}
