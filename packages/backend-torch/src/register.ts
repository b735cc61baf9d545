/**
 * Registers the `torch` backend with TF.js and every kernel tfjs-backend-cpu has: natively mapped
 * ones (kernels.ts) with the cpu fallback behind them, the others through the fallback alone.
 */
import { tf } from '@neuralzoo/core';
import { TorchBackend } from './backend';
import { cpuFallback } from './fallback';
import { FUSED } from './fused';
import { NATIVE } from './kernels';
import type { NativeAddon } from './native';

export const BACKEND_NAME = 'torch';

let strict = false;

/**
 * With `true`, a native kernel that throws is not retried on the cpu fallback (the conformance
 * test sets it so that each native kernel is checked on its own). Default false.
 */
export function setStrictNative(on: boolean): void {
  strict = on;
}

/** Names of the kernels that run as ATen ops (the others run the cpu fallback). */
export function nativeKernelNames(): string[] {
  return tf.getKernelsForBackend(BACKEND_NAME).map((k) => k.kernelName).filter((n) => n in NATIVE).sort();
}

function hasString(inputs: tf.NamedTensorInfoMap): boolean {
  for (const k in inputs) if (inputs[k]?.dtype === 'string') return true;
  return false;
}

function registerKernels(): void {
  if (tf.getKernelsForBackend(BACKEND_NAME).length > 0) return;
  for (const config of tf.getKernelsForBackend('cpu')) {
    const fallback = cpuFallback(config);
    const native = NATIVE[config.kernelName];
    const kernelFunc: tf.KernelFunc = native
      ? (args) => {
          const b = args.backend as unknown as TorchBackend;
          if (hasString(args.inputs)) return fallback(args);
          try {
            return native(b, args.inputs as Record<string, tf.TensorInfo>, args.attrs ?? {});
          } catch (e) {
            if (strict) throw e;
            b.freeTemps();
            return fallback(args);
          } finally {
            b.freeTemps();
          }
        }
      : fallback;
    tf.registerKernel({ kernelName: config.kernelName, backendName: BACKEND_NAME, kernelFunc });
  }
  // core's fused ops (no cpu fallback: core runs its own JS version where these are missing).
  for (const [kernelName, native] of Object.entries(FUSED)) {
    const kernelFunc: tf.KernelFunc = (args) => {
      const b = args.backend as unknown as TorchBackend;
      try {
        return native(b, args.inputs as Record<string, tf.TensorInfo>, args.attrs ?? {});
      } finally {
        b.freeTemps();
      }
    };
    tf.registerKernel({ kernelName, backendName: BACKEND_NAME, kernelFunc });
  }
}

/** Registers (or re-registers, for another device) the backend `torch`. */
export function registerTorchBackend(addon: NativeAddon, device: string): void {
  if (tf.findBackendFactory(BACKEND_NAME)) {
    const current = tf.engine().registry[BACKEND_NAME] as TorchBackend | undefined;
    if (current && current.device === device) {
      registerKernels();
      return;
    }
    tf.removeBackend(BACKEND_NAME);
  }
  tf.registerBackend(BACKEND_NAME, () => new TorchBackend(addon, device), 3);
  registerKernels();
}
