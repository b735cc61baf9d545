/**
 * A private single-threaded instance of TF.js's SIMD wasm module, for the small sequential ops of
 * the fused recurrent loops when the wasm backend runs several threads. XNNPACK's thread pool
 * hands every op to its workers and spin-waits for them: an LSTM step's [32, 128]·[128, 512]
 * matmul and its sigmoids took several times longer with 2 threads than with 1, and far longer
 * still on cores that other processes keep busy. This instance has no pool; its heap is separate
 * from the backend's, so operands are copied in (a [B, 4H] block per step, the weights once per
 * sequence), which costs microseconds.
 *
 * Node-only (loaded by core's wasm backend factory when it starts the threaded binary); absent in
 * browsers and with one thread, where the fused loops use the backend's own kernels.
 */
import { isNode } from './threaded';

/** The parts of the Emscripten module (single-threaded build) used here. */
interface SerialModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: unknown[]) => unknown;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  HEAPF32: Float32Array;
}

type NodeRequire = ((id: string) => unknown) & { resolve(id: string): string };
interface NodePath {
  join(...parts: string[]): string;
  dirname(p: string): string;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/** A float buffer in the serial module's heap, registered as a tensor id its kernels accept. */
export interface SerialBuffer {
  readonly id: number;
  readonly ptr: number;
  readonly size: number;
}

/** Matmuls and sigmoids on the private single-threaded module. */
export class SerialWasm {
  private nextId = 1;
  private readonly registerTensor: (id: number, size: number, ptr: number) => void;
  private readonly disposeData: (id: number) => void;
  private readonly gemm: (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number,
    tA: boolean, tB: boolean, outId: number) => void;
  private readonly sigmoidFn: (xId: number, outId: number) => void;

  constructor(private readonly m: SerialModule) {
    (m.cwrap('init', null, []) as () => void)();
    this.registerTensor = m.cwrap('register_tensor', null, ['number', 'number', 'number']) as SerialWasm['registerTensor'];
    this.disposeData = m.cwrap('dispose_data', null, ['number']) as SerialWasm['disposeData'];
    this.gemm = m.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as SerialWasm['gemm'];
    this.sigmoidFn = m.cwrap('Sigmoid', null, ['number', 'number']) as SerialWasm['sigmoidFn'];
  }

  /** A fresh buffer of `size` floats (contents undefined); free it with `free`. */
  alloc(size: number): SerialBuffer {
    const ptr = this.m._malloc(Math.max(1, size) * 4) >>> 0;
    const id = this.nextId++;
    this.registerTensor(id, size, ptr);
    return { id, ptr, size };
  }

  /** Frees the buffer (and XNNPACK's operator packed for it as a right operand). */
  free(b: SerialBuffer): void {
    this.disposeData(b.id);
    this.m._free(b.ptr);
  }

  /** The buffer's floats (a heap view: valid until the next `alloc`). */
  view(b: SerialBuffer): Float32Array {
    return this.m.HEAPF32.subarray(b.ptr >>> 2, (b.ptr >>> 2) + b.size);
  }

  write(b: SerialBuffer, values: Float32Array): void {
    this.m.HEAPF32.set(values, b.ptr >>> 2);
  }

  /** out [M, N] = a [M, K] · w [K, N]. */
  matMul(a: SerialBuffer, w: SerialBuffer, out: SerialBuffer, M: number, K: number, N: number): void {
    this.gemm(a.id, shapeBytes([1, M, K]), 3, w.id, shapeBytes([1, K, N]), 3, false, false, out.id);
  }

  /** out = σ(x), elementwise over the first x.size floats. */
  sigmoid(x: SerialBuffer, out: SerialBuffer): void {
    this.sigmoidFn(x.id, out.id);
  }
}

let instance: SerialWasm | null = null;
let loading: Promise<SerialWasm | null> | null = null;
let failure: string | null = null;

/** The loaded serial module, or null (not loaded, not Node, or it failed to load). */
export function serialWasm(): SerialWasm | null {
  return instance;
}

/** Why the serial module did not load, or null. */
export function serialWasmFailure(): string | null {
  return failure;
}

/**
 * Loads the serial module once (later calls return the same promise); resolves to null where it
 * cannot load (the fused loops then use the backend's kernels).
 */
export function loadSerialWasm(): Promise<SerialWasm | null> {
  if (loading) return loading;
  loading = (async () => {
    if (!isNode()) return null;
    try {
      const req = eval('typeof require === "function" ? require : undefined') as NodeRequire | undefined;
      if (!req) return null;
      const path = req('path') as NodePath;
      const outDir = path.join(path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out');
      const factory = req(path.join(outDir, 'tfjs-backend-wasm.js')) as (cfg: object) => Promise<SerialModule>;
      const wasmPath = path.join(outDir, 'tfjs-backend-wasm-simd.wasm');
      const m = await factory({ locateFile: (file: string, prefix: string) => (file.endsWith('.wasm') ? wasmPath : prefix + file) });
      instance = new SerialWasm(m);
      return instance;
    } catch (e) {
      failure = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      return null;
    }
  })();
  return loading;
}
