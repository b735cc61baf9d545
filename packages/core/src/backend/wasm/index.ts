/**
 * Kernels and settings for the embedded wasm backend, so that every layer trains on wasm.
 * TF.js 4.22's wasm backend lacks several gradient kernels and gets a few cases wrong; core
 * registers (see each file, all tested against the cpu backend):
 * - missing kernels: Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter/Input,
 *   UnsortedSegmentSum (gather's gradient: Embedding), Einsum;
 * - faster versions of stock ones: BatchMatMul (matmul.ts), Conv2DBackpropInput, MaxPoolGrad,
 *   AvgPoolGrad, Identity/Cast sharing data;
 * - fixes wrapping stock ones: NCHW convolutions, fused ops with a non-rank-1 bias, numeric
 *   padding with unequal strides (stock overran the heap), int32 matmul, Cast to bool, NaN in
 *   ClipByValue, Slice bounds.
 * tools/tfjs-op-tests runs TF.js's own op suite against this configuration in CI.
 */
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf';
import { conv2DBackpropFilterConfig } from './conv2d_backprop_filter';
import { CONV2D_BACKPROP_INPUT_FIX } from './conv2d_backprop_input';
import { depthwiseConv2dNativeBackpropFilterConfig, depthwiseConv2dNativeBackpropInputConfig } from './depthwise_conv2d_backprop';
import { einsumConfig } from './einsum';
import { FUSED_FIXES } from './fused';
import { INT_MATMUL_FIX } from './int_matmul';
import { registerWasmMatMul } from './matmul';
import { POOL_GRAD_FIXES } from './pool_grad';
import { STOCK_FIXES } from './stock_fixes';
import { unsortedSegmentSumConfig } from './unsorted_segment_sum';

const KERNELS: tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  unsortedSegmentSumConfig,
  einsumConfig,
];

let registered = false;

/** Registers neuralzoo's extra wasm kernels (idempotent). */
export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  registerWasmMatMul();
  for (const config of KERNELS) {
    if (tf.getKernel(config.kernelName, 'wasm')) continue; // a later TF.js may ship its own
    tf.registerKernel(config);
  }
  // After registerWasmMatMul: INT_MATMUL_FIX wraps whichever BatchMatMul is registered then.
  const fixes = { ...STOCK_FIXES, ...FUSED_FIXES, ...CONV2D_BACKPROP_INPUT_FIX, ...INT_MATMUL_FIX, ...POOL_GRAD_FIXES };
  for (const [name, wrap] of Object.entries(fixes)) wrapStockKernel(name, wrap);
}

/** Replaces a registered wasm kernel by `wrap(its kernelFunc)`, keeping its setup and dispose. */
function wrapStockKernel(name: string, wrap: (stock: tf.KernelFunc) => unknown): void {
  const stock = tf.getKernel(name, 'wasm');
  if (!stock) return;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: wrap(stock.kernelFunc) as tf.KernelFunc });
}

/** Sets the wasm thread pool size; must run before the wasm backend first initialises. */
export function setWasmThreads(threads: number): void {
  setThreadsCount(threads);
}

/**
 * Threads XNNPACK actually computes with, once the wasm backend is initialised. In Node TF.js
 * loads the single-threaded SIMD binary (the threaded one needs Workers from blob: URLs), so
 * this is 1 there whatever `setWasmThreads` asked for.
 */
export function wasmThreadsInUse(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}
