/**
 * Helpers for neuralzoo's extra wasm kernels: call the wasm backend's own kernels on
 * backend-level tensors (TensorInfo), and read/write their data in the wasm heap.
 */
import { tf } from '../../tf';

type TensorInfo = tf.TensorInfo;
type NamedAttrMap = tf.NamedAttrMap;

/** The parts of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
  readSync(dataId: object): unknown;
}

/** Runs the wasm backend's kernel `name`; the caller disposes the result. */
export function wasmKernel(
  backend: WasmBackend,
  name: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`wasm kernel ${name} is not registered`);
  const out = config.kernelFunc({ inputs, backend: backend as unknown as object, attrs });
  if (Array.isArray(out)) throw new Error(`wasm kernel ${name} returned ${out.length} outputs, expected 1`);
  return out;
}

/** Frees intermediate results (the wasm backend ref-counts data shared by Reshape). */
export function disposeAll(backend: WasmBackend, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** x transposed by `perm` (a fresh reference even when perm is the identity). */
export function transpose(backend: WasmBackend, x: TensorInfo, perm: number[]): TensorInfo {
  if (perm.every((p, i) => p === i)) return reshape(backend, x, x.shape);
  return wasmKernel(backend, 'Transpose', { x }, { perm });
}

/** x with a new shape; shares x's data. */
export function reshape(backend: WasmBackend, x: TensorInfo, shape: number[]): TensorInfo {
  return wasmKernel(backend, 'Reshape', { x }, { shape });
}

/** Product of a shape's dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** [h, w] from a number or a pair (strides, dilations). */
export function pair(v: number | [number, number] | number[]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}
