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
import { BackendWasm, getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
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
import { loadSerialWasm } from './serial';
import { isNode, loadThreadedWasm, MAX_WASM_THREADS, ThreadedWasmModule, unrefWorkers } from './threaded';
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

/** Engine fields TF.js keeps public in JS but not in its typings. */
interface EngineInternals {
  registry: Record<string, tf.KernelBackend | undefined>;
  registryFactory: Record<string, { factory: () => tf.KernelBackend | Promise<tf.KernelBackend>; priority: number } | undefined>;
}

let requestedThreads = 1;
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | null = null;
/** Why the threaded binary did not load (sticky: a process does not retry). */
let threadedFailure: string | null = null;
/** Why the live wasm backend does not run the threads last asked for, if it does not. */
let threadsNote: string | null = null;

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/**
 * Sets the wasm thread count for the wasm backend's next initialisation (TF.js's XNNPACK pool
 * takes at most 8). In Node, counts above 1 load TF.js's threaded SIMD binary with
 * worker_threads (see threaded.ts), falling back to the single-threaded binary with a reason
 * (`wasmThreadsNote()`); in browsers TF.js picks the binary itself. A wasm backend that is
 * already initialised is rebuilt when it holds no tensors, and kept (with a note) otherwise.
 */
export function setWasmThreads(threads: number): void {
  if (!(Number.isInteger(threads) && threads > 0)) throw new Error(`setWasmThreads: threads must be a positive integer, got ${threads}`);
  requestedThreads = threads;
  threadsNote = null;
  setThreadsCount(threads);
  if (!isNode()) return;
  const engine = tf.engine() as unknown as EngineInternals;
  const live = engine.registry.wasm;
  if (live) {
    if (wasmThreadsInUse() === expectedThreads()) return;
    if (live.numDataIds() > 0) {
      threadsNote = `the wasm backend already runs with ${wasmThreadsInUse()} thread(s) and holds tensors; the ${threads} asked for apply only to a new wasm backend`;
      return;
    }
  }
  const entry = engine.registryFactory.wasm;
  if (!entry) return; // tfjs-backend-wasm not registered: nothing to configure
  if (entry.factory === createWasmBackend && !live) return;
  if (entry.factory !== createWasmBackend) stockFactory = entry.factory;
  tf.removeBackend('wasm'); // disposes a live, empty backend (and its pthread workers)
  tf.registerBackend('wasm', createWasmBackend, entry.priority);
}

/** Threads the next wasm backend should get in Node: what was asked, capped, 1 after a failure. */
function expectedThreads(): number {
  return threadedFailure ? 1 : Math.min(requestedThreads, MAX_WASM_THREADS);
}

/** Core's factory for the wasm backend in Node: the threaded binary when threads > 1, else TF.js's. */
async function createWasmBackend(): Promise<tf.KernelBackend> {
  const threads = expectedThreads();
  if (threads > 1) {
    let module: ThreadedWasmModule | null = null;
    try {
      module = await loadThreadedWasm(threads);
      const m = module;
      // The API TF.js's own loader attaches before building its backend.
      m.tfjs = {
        init: m.cwrap('init', null, []),
        initWithThreadsCount: m.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: m.cwrap('get_threads_count', 'number', []),
        registerTensor: m.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: m.cwrap('dispose_data', null, ['number']),
        dispose: m.cwrap('dispose', null, []),
      };
      setThreadsCount(threads);
      const backend = new BackendWasm(m as unknown as ConstructorParameters<typeof BackendWasm>[0]);
      unrefWorkers(m); // XNNPACK's pool threads started in the constructor
      const dispose = backend.dispose.bind(backend);
      backend.dispose = () => {
        dispose();
        m.PThread.terminateAllThreads();
      };
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
      await loadSerialWasm(); // for the fused recurrent loops' small ops (see serial.ts)
      return backend;
    } catch (e) {
      module?.PThread.terminateAllThreads();
      threadedFailure = `the threaded wasm binary did not load in Node (${errorText(e)}); using the single-threaded one`;
    }
  }
  if (!stockFactory) throw new Error('tfjs-backend-wasm registered no backend factory');
  // TF.js's loader: in Node it must pick the single-threaded SIMD binary.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  return stockFactory();
}

/**
 * Threads XNNPACK actually computes with, once the wasm backend is initialised (1 before). In
 * Node this is min(requested, 8) when the threaded binary loaded, else 1.
 */
export function wasmThreadsInUse(): number {
  try {
    return getThreadsCount();
  } catch {
    return 1;
  }
}

/** Why the wasm backend computes with fewer threads than asked for, or null. */
export function wasmThreadsNote(): string | null {
  return threadsNote ?? (requestedThreads > 1 ? threadedFailure : null);
}
