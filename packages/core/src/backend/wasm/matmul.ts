/**
 * BatchMatMul for the wasm backend that always reaches XNNPACK's SIMD GEMM.
 *
 * TF.js 4.22's wasm kernel calls XNNPACK (a fully-connected operator) only when neither operand
 * is transposed and both have batch size 1; every other case (each backward matmul, Linear's
 * x·Wᵀ, every attention matmul) runs a scalar C++ loop 20–50× slower. This kernel rearranges
 * those cases into calls of the fast one:
 *
 * - a transposed operand is transposed in the wasm heap (cache-blocked JS copy) first; the
 *   transpose of a 2-D right operand (a weight, as in x·Wᵀ) is cached while that tensor lives,
 *   together with XNNPACK's packed operator for it;
 * - a right operand without batch (or broadcast over it) meets all of the left operand's rows
 *   in one call: [batch·M, K] × [K, N];
 * - batched pairs run one call per batch on views of the operands (tensor ids registered on
 *   slices of the heap, no copies).
 *
 * The stock kernel still runs the cases it is fast for, and non-float32 inputs (it raises).
 */
import { tf } from '../../tf';

type TensorInfo = tf.TensorInfo;

interface TensorData {
  id: number;
  memoryOffset: number;
}

/** The parts of tfjs-backend-wasm's BackendWasm (and its Emscripten module) this kernel uses. */
interface WasmBackend {
  wasm: {
    cwrap(name: string, ret: null, args: string[]): (...args: unknown[]) => void;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
    HEAPF32: Float32Array;
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  /** `get` of an id this backend lacks tries to move the data from another backend: test `has` first. */
  dataIdMap: { get(dataId: object): TensorData | undefined; has(dataId: object): boolean };
  /** Private in BackendWasm; the id source for every tensor it registers. */
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
}

type WasmGemm = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  transposeA: boolean,
  transposeB: boolean,
  outId: number,
) => void;

/** A transposed copy of a live 2-D right operand, owned by this module (not a TF.js tensor). */
interface CachedTranspose {
  srcDataId: object;
  srcId: number;
  id: number;
  ptr: number;
  floats: number;
  lastUse: number;
}

interface BackendState {
  gemm: WasmGemm;
  cache: Map<number, CachedTranspose>;
  cachedFloats: number;
  clock: number;
}

/** At most this many cached transposed weights, and this many floats (64 MiB) in all. */
const CACHE_ENTRIES = 64;
const CACHE_FLOATS = 16 * 1024 * 1024;
/** Below this many multiply-adds the stock kernel's loop beats transposing and XNNPACK setup. */
const MIN_MACS = 4096;

let stockKernel: tf.KernelConfig | null = null;
const states = new WeakMap<object, BackendState>();

function stateOf(backend: WasmBackend): BackendState {
  let s = states.get(backend);
  if (!s) {
    const gemm = backend.wasm.cwrap('BatchMatMul', null, [
      'number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number',
    ]) as unknown as WasmGemm;
    s = { gemm, cache: new Map(), cachedFloats: 0, clock: 0 };
    states.set(backend, s);
  }
  return s;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Registers `floats` floats at byte offset `ptr` as a tensor the C++ side can read; returns its id. */
function view(backend: WasmBackend, ptr: number, floats: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, floats, ptr);
  return id;
}

/**
 * heap[dst + b·R·C + c·R + r] = heap[src + b·R·C + r·C + c]: `batch` [R, C] matrices (float
 * offsets) transposed to [C, R], in 32×32 tiles so that both sides stay in cache, four source
 * rows at a time so that each step writes four adjacent floats. Measured here 2–4× faster than
 * the wasm backend's Transpose kernel on 2-D weights and activations (e.g. [1024, 512]: 1.1 vs
 * 4.2 ms), on par for batches of small blocks.
 */
export function transposeBlocks(heap: Float32Array, src: number, dst: number, batch: number, rows: number, cols: number): void {
  const T = 32;
  const n = rows * cols;
  for (let b = 0; b < batch; b++) {
    const s0 = src + b * n;
    const d0 = dst + b * n;
    for (let r0 = 0; r0 < rows; r0 += T) {
      const r1 = Math.min(r0 + T, rows);
      for (let c0 = 0; c0 < cols; c0 += T) {
        const c1 = Math.min(c0 + T, cols);
        let r = r0;
        for (; r + 3 < r1; r += 4) {
          let s = s0 + r * cols + c0;
          let d = d0 + c0 * rows + r;
          for (let c = c0; c < c1; c++, s++, d += rows) {
            heap[d] = heap[s];
            heap[d + 1] = heap[s + cols];
            heap[d + 2] = heap[s + 2 * cols];
            heap[d + 3] = heap[s + 3 * cols];
          }
        }
        for (; r < r1; r++) {
          let s = s0 + r * cols + c0;
          let d = d0 + c0 * rows + r;
          for (let c = c0; c < c1; c++, s++, d += rows) heap[d] = heap[s];
        }
      }
    }
  }
}

/** Scratch memory in the wasm heap, freed by `release`. */
class Scratch {
  private readonly ptrs: number[] = [];
  private readonly ids: number[] = [];
  constructor(private readonly backend: WasmBackend) {}

  /** A transposed copy of `batch` [R, C] matrices at byte offset `src`; returns its byte offset. */
  transposed(src: number, batch: number, rows: number, cols: number): number {
    const floats = batch * rows * cols;
    const ptr = this.backend.wasm._malloc(floats * 4) >>> 0;
    this.ptrs.push(ptr);
    // _malloc may grow the memory and replace HEAPF32, so read it afterwards.
    transposeBlocks(this.backend.wasm.HEAPF32, src >>> 2, ptr >>> 2, batch, rows, cols);
    return ptr;
  }

  view(ptr: number, floats: number): number {
    const id = view(this.backend, ptr, floats);
    this.ids.push(id);
    return id;
  }

  release(): void {
    for (const id of this.ids) this.backend.wasm.tfjs.disposeData(id);
    for (const ptr of this.ptrs) this.backend.wasm._free(ptr);
  }
}

/** Drops cached transposes whose source tensor is gone, then the least recently used over budget. */
function evict(backend: WasmBackend, s: BackendState, keepFloats: number): void {
  for (const [key, e] of s.cache) {
    if (!backend.dataIdMap.has(e.srcDataId) || backend.dataIdMap.get(e.srcDataId)!.id !== e.srcId) dropEntry(backend, s, key, e);
  }
  while (s.cache.size > 0 && (s.cache.size >= CACHE_ENTRIES || s.cachedFloats + keepFloats > CACHE_FLOATS)) {
    let oldest: [number, CachedTranspose] | null = null;
    for (const kv of s.cache) if (!oldest || kv[1].lastUse < oldest[1].lastUse) oldest = kv;
    if (!oldest) break;
    dropEntry(backend, s, oldest[0], oldest[1]);
  }
}

function dropEntry(backend: WasmBackend, s: BackendState, key: number, e: CachedTranspose): void {
  backend.wasm.tfjs.disposeData(e.id); // also deletes XNNPACK's operator packed for it
  backend.wasm._free(e.ptr);
  s.cachedFloats -= e.floats;
  s.cache.delete(key);
}

/** The id of bᵀ ([K, N] from b = [N, K]), transposed once per live tensor b. */
function cachedTranspose(backend: WasmBackend, s: BackendState, b: TensorInfo, n: number, k: number): number {
  const data = backend.dataIdMap.get(b.dataId)!;
  s.clock++;
  const hit = s.cache.get(data.id);
  if (hit) {
    hit.lastUse = s.clock;
    return hit.id;
  }
  const floats = n * k;
  evict(backend, s, floats);
  if (floats > CACHE_FLOATS) return -1;
  const ptr = backend.wasm._malloc(floats * 4) >>> 0;
  transposeBlocks(backend.wasm.HEAPF32, data.memoryOffset >>> 2, ptr >>> 2, 1, n, k);
  const id = view(backend, ptr, floats);
  s.cache.set(data.id, { srcDataId: b.dataId, srcId: data.id, id, ptr, floats, lastUse: s.clock });
  s.cachedFloats += floats;
  return id;
}

/** For each output batch index, the batch index into a and into b (NumPy broadcasting). */
function batchIndices(aBatch: number[], bBatch: number[], outBatch: number[]): [Int32Array, Int32Array] {
  const rank = outBatch.length;
  const pad = (s: number[]) => [...new Array<number>(rank - s.length).fill(1), ...s];
  const as = pad(aBatch);
  const bs = pad(bBatch);
  const total = sizeOf(outBatch);
  const ia = new Int32Array(total);
  const ib = new Int32Array(total);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    let fa = 0;
    let fb = 0;
    for (let d = 0; d < rank; d++) {
      fa = fa * as[d] + (as[d] === 1 ? 0 : idx[d]);
      fb = fb * bs[d] + (bs[d] === 1 ? 0 : idx[d]);
    }
    ia[i] = fa;
    ib[i] = fb;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < outBatch[d]) break;
      idx[d] = 0;
    }
  }
  return [ia, ib];
}

function batchMatMul(args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): TensorInfo {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  const tA = !!transposeA;
  const tB = !!transposeB;
  const stock = stockKernel!.kernelFunc as (x: typeof args) => TensorInfo;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);

  const ra = a.shape.length;
  const rb = b.shape.length;
  const M = tA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = tA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = tB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = tB ? b.shape[rb - 2] : b.shape[rb - 1];
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchA = sizeOf(aBatch);
  const batchB = sizeOf(bBatch);
  if (K !== Kb)
    throw new Error(
      `Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${a.shape} and ${b.shape} and ` +
        `transposeA=${tA} and transposeB=${tB} must match.`,
    );
  const outBatch = tf.broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  const batch = sizeOf(outBatch);
  const backend = args.backend as WasmBackend;
  if (batch * M * N === 0 || K === 0) {
    const empty = backend.makeOutput([...outBatch, M, N], 'float32');
    const ptr = backend.dataIdMap.get(empty.dataId)!.memoryOffset >>> 2;
    backend.wasm.HEAPF32.fill(0, ptr, ptr + batch * M * N);
    return empty;
  }
  if ((!tA && !tB && batchA === 1 && batchB === 1) || batch * M * N * K < MIN_MACS) return stock(args);

  const s = stateOf(backend);
  const out = backend.makeOutput([...outBatch, M, N], 'float32');
  const outPtr = backend.dataIdMap.get(out.dataId)!.memoryOffset;
  const aData = backend.dataIdMap.get(a.dataId)!;
  const bData = backend.dataIdMap.get(b.dataId)!;
  const scratch = new Scratch(backend);
  try {
    // Left operand as [batchA, M, K]. A [K, 1] or [1, M] matrix is its own transpose in memory.
    let aPtr = aData.memoryOffset;
    let aId = aData.id;
    if (tA && M > 1 && K > 1) {
      aPtr = scratch.transposed(aPtr, batchA, K, M);
      aId = -1;
    }
    // Right operand as [batchB, K, N]. XNNPACK's operator (the packed right operand) is cached by
    // tensor id on the C++ side, for the shape it was first packed with: b's own id may go there
    // only as its own [K, N]. A [1, K] or [N, 1] b read as [K, 1] / [1, N] gets a fresh view id, or
    // a later plain matMul of the same b hits the operator packed for the other shape (garbage or
    // NaN: this broke every AdaptiveAvgPool2d(1) gradient, whose [H, 1] pooling matrix is both).
    let bPtr = bData.memoryOffset;
    let bId = bData.id;
    if (tB && N > 1 && K > 1) {
      bId = batchB === 1 ? cachedTranspose(backend, s, b, N, K) : -1;
      if (bId < 0) bPtr = scratch.transposed(bPtr, batchB, N, K);
    } else if (tB) {
      bId = -1;
    }
    const kn = shapeBytes([1, K, N]);
    if (batchB === 1) {
      // One call: every row of every batch of a against the same [K, N].
      const rows = batch * M;
      if (batchA !== batch) throw new Error(`matMul: internal error, batch ${batch} of a ≠ ${batchA}`);
      if (aId < 0) aId = scratch.view(aPtr, rows * K);
      if (bId < 0) bId = scratch.view(bPtr, K * N);
      s.gemm(aId, shapeBytes([1, rows, K]), 3, bId, kn, 3, false, false, backend.dataIdMap.get(out.dataId)!.id);
      return out;
    }
    const [ia, ib] = batchIndices(aBatch, bBatch, outBatch);
    const mk = shapeBytes([1, M, K]);
    const aViews = new Map<number, number>();
    for (let i = 0; i < batch; i++) {
      let av = aViews.get(ia[i]);
      if (av === undefined) {
        av = batchA === 1 && aId >= 0 ? aId : scratch.view(aPtr + ia[i] * M * K * 4, M * K);
        aViews.set(ia[i], av);
      }
      const bv = scratch.view(bPtr + ib[i] * K * N * 4, K * N);
      const ov = scratch.view(outPtr + i * M * N * 4, M * N);
      s.gemm(av, mk, 3, bv, kn, 3, false, false, ov);
    }
    return out;
  } finally {
    scratch.release();
  }
}

/**
 * Replaces the wasm backend's BatchMatMul kernel with the fast one above (idempotent). Call
 * before or after the wasm backend initialises.
 */
export function registerWasmMatMul(): void {
  if (stockKernel) return;
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  if (!stock) throw new Error('registerWasmMatMul: the wasm backend has no BatchMatMul kernel to replace');
  stockKernel = stock;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    kernelName: 'BatchMatMul',
    backendName: 'wasm',
    // The stock kernel binds its wasm function in its setup; keep that running on (re)initialisation.
    setupFunc: stock.setupFunc,
    disposeFunc: stock.disposeFunc,
    kernelFunc: batchMatMul as unknown as tf.KernelFunc,
  });
}

/** Frees every cached transposed weight of the active wasm backend. */
export function releaseWasmMatMulCache(): void {
  const backend = tf.backend() as unknown as WasmBackend;
  const s = states.get(backend);
  if (s) for (const [key, e] of s.cache) dropEntry(backend, s, key, e);
}

/** Transposed weights held for the fast path on the active wasm backend (for tests and profiling). */
export function wasmMatMulCacheStats(): { entries: number; bytes: number } {
  const s = states.get(tf.backend() as unknown as object);
  return { entries: s?.cache.size ?? 0, bytes: (s?.cachedFloats ?? 0) * 4 };
}
