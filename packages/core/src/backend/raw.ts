/**
 * Direct access to the active backend for core's fused ops (LSTM/GRU sequences, Adam): read a
 * tensor's values, make tensors from values, and run one of the backend's kernels on
 * backend-level tensors without the engine (no tape, no tidy scope, no Tensor objects). Each fused
 * op replaces dozens of small engine ops, whose bookkeeping dominated small-tensor training steps.
 *
 * Only backends whose values live in CPU memory get the fused paths (a GPU backend would copy
 * to the host at every step); the others run the ops the fused ones replace.
 */
import { tf } from '../tf';

type TensorInfo = tf.TensorInfo;

/** The KernelBackend methods the fused ops use (every TF.js backend has them). */
interface KernelStorage {
  write(values: Float32Array, shape: number[], dtype: tf.DataType): object;
  readSync(dataId: object): unknown;
  disposeData(dataId: object, force?: boolean): boolean;
  /** wasm only: a view of a tensor's values in the wasm heap (no copy). */
  typedArrayFromHeap?: (info: TensorInfo) => Float32Array;
}

/** Backends with host-memory tensors, where the fused ops run. */
const HOST_BACKENDS = new Set(['cpu', 'wasm', 'torch']);

/**
 * Whether the active backend keeps tensors in host memory, where core's JS fused ops run (the
 * torch backend only on its `cpu` device: on a GPU every step would copy to the host).
 */
export function fusedOpsAvailable(): boolean {
  const name = tf.getBackend();
  if (!HOST_BACKENDS.has(name)) return false;
  const device = (tf.backend() as unknown as { device?: unknown }).device;
  return name !== 'torch' || device === undefined || device === 'cpu';
}

/** Whether the active backend registers the native kernel `name` of one of core's fused ops. */
export function hasFusedKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

/** Kernel calls and value access on the active backend. */
export class RawBackend {
  readonly name: string;
  private readonly storage: KernelStorage;
  private readonly kernels = new Map<string, tf.KernelFunc>();

  constructor() {
    this.name = tf.getBackend();
    this.storage = tf.backend() as unknown as KernelStorage;
  }

  /**
   * The float32 values of t. Never write to the result: on the cpu backend it is the tensor's own
   * array; on wasm it is a heap view, valid until the next allocation on the backend.
   */
  values(t: TensorInfo): Float32Array {
    if (t.dtype !== 'float32') throw new Error(`fused op: expected a float32 tensor, got ${t.dtype}`);
    if (this.storage.typedArrayFromHeap) return this.storage.typedArrayFromHeap(t);
    return this.storage.readSync(t.dataId) as Float32Array;
  }

  /** A backend tensor holding a copy of `values` (free it with `free`). */
  upload(values: Float32Array, shape: number[]): TensorInfo {
    // The cpu backend keeps the array it is given: hand it a private copy.
    const v = this.name === 'cpu' ? values.slice() : values;
    return { dataId: this.storage.write(v, shape, 'float32'), shape, dtype: 'float32' };
  }

  /**
   * Output buffers to compute into: `views()` gives each buffer's array (call it after the last
   * `outputs`/allocation and before any other: on wasm the arrays are heap views, written in
   * place; elsewhere JS arrays), `finish()` makes the Tensors (the caller owns them).
   */
  outputs(shapes: number[][]): { views: () => Float32Array[]; finish: () => tf.Tensor[] } {
    const heap = this.storage.typedArrayFromHeap;
    if (heap) {
      const infos = shapes.map((shape) => (this.storage as unknown as { makeOutput(s: number[], d: string): TensorInfo }).makeOutput(shape, 'float32'));
      return {
        views: () => infos.map((info) => heap.call(this.storage, info)),
        finish: () => infos.map((info) => tf.engine().makeTensorFromTensorInfo(info)),
      };
    }
    const arrays = shapes.map((shape) => new Float32Array(sizeOf(shape)));
    return { views: () => arrays, finish: () => arrays.map((a, i) => tensorFrom(a, shapes[i])) };
  }

  free(t: TensorInfo): void {
    this.storage.disposeData(t.dataId);
  }

  /** a·b (2-D, optionally transposed) with the backend's BatchMatMul; the caller frees it. */
  matMul(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
    const out = this.kernel('BatchMatMul')({
      inputs: { a, b },
      backend: this.storage as unknown as tf.KernelBackend,
      attrs: { transposeA, transposeB } as unknown as tf.NamedAttrMap,
    });
    if (Array.isArray(out)) throw new Error('BatchMatMul returned several outputs');
    return out;
  }

  /** a·b as a fresh copy of its values (the backend tensor is freed). */
  matMulValues(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Float32Array {
    const out = this.matMul(a, b, transposeA, transposeB);
    try {
      return this.values(out).slice();
    } finally {
      this.free(out);
    }
  }

  /** σ(values) elementwise with the backend's Sigmoid kernel (SIMD XNNPACK on wasm), as a fresh array. */
  sigmoid(values: Float32Array): Float32Array {
    const x = this.upload(values, [values.length]);
    const out = this.kernel('Sigmoid')({ inputs: { x }, backend: this.storage as unknown as tf.KernelBackend, attrs: {} }) as TensorInfo;
    try {
      return this.values(out).slice();
    } finally {
      this.free(x);
      this.free(out);
    }
  }

  private kernel(name: string): tf.KernelFunc {
    let k = this.kernels.get(name);
    if (!k) {
      const config = tf.getKernel(name, this.name);
      if (!config) throw new Error(`fused op: backend ${this.name} has no ${name} kernel`);
      k = config.kernelFunc;
      this.kernels.set(name, k);
    }
    return k;
  }
}

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A Tensor (owned by the caller) holding `values`. */
export function tensorFrom(values: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(values, shape, 'float32');
}

interface EngineRunKernelFunc {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor[];
    backwardsFunc: (dys: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor | tf.Tensor[];
}

/**
 * Runs `forward` as one node of the autodiff tape with several outputs (tf.customGrad allows
 * only one): `backward(dys, saved)` gets one gradient per output (zeros for unused outputs) and
 * the tensors `forward` passed to `save` (kept only while a gradient is being recorded, and freed
 * by the engine after backprop), and returns one gradient per input, in input order.
 */
export function multiOutputOp(
  inputs: tf.Tensor[],
  forward: (save: (tensors: tf.Tensor[]) => void) => tf.Tensor[],
  backward: (dys: tf.Tensor[], saved: tf.Tensor[]) => tf.Tensor[],
): tf.Tensor[] {
  const inputMap: Record<string, tf.Tensor> = {};
  inputs.forEach((t, i) => (inputMap[i] = t));
  let nOut = 0;
  const out = (tf.engine() as unknown as EngineRunKernelFunc).runKernelFunc({
    forwardFunc: (_backend, save) => {
      const outs = forward(save);
      nOut = outs.length;
      return outs;
    },
    backwardsFunc: (dy, saved) => {
      const dys = nOut > 1 ? (dy as tf.Tensor[]) : [dy as tf.Tensor];
      const grads = backward(dys, saved ?? []);
      if (grads.length !== inputs.length) throw new Error(`fused op: ${grads.length} gradients for ${inputs.length} inputs`);
      const map: Record<string, () => tf.Tensor> = {};
      grads.forEach((g, i) => (map[i] = () => g));
      return map;
    },
    inputs: inputMap,
  });
  return Array.isArray(out) ? out : [out];
}
