/**
 * The native addon's interface (native/torch_addon.cc). Tensors live in a native table of ATen
 * tensors and are named by integer handles; every handle a call returns must be freed with `free`.
 */
export interface NativeAddon {
  /** libtorch's version, e.g. `1.13.1`. */
  version(): string;
  /** Number of CUDA devices libtorch sees (0 for a CPU-only libtorch). */
  cudaDeviceCount(): number;
  /** Sets ATen's intra-op thread count. */
  setThreads(n: number): void;
  /** ATen's intra-op thread count. */
  getThreads(): number;
  /** The device new tensors are created on: `cpu` or `cuda:N`. */
  setDevice(device: string): void;
  /** Copies a typed array into a new tensor; dtype: ATen ScalarType code. */
  fromBuffer(values: ArrayBufferView, shape: number[], dtype: number): number;
  /** Copies a tensor out to host memory (a new ArrayBuffer of its contiguous bytes). */
  read(handle: number): ArrayBuffer;
  /** Frees a handle. */
  free(handle: number): void;
  /** Number of live handles (leak checks). */
  liveHandles(): number;
  /** Shape of a tensor. */
  shape(handle: number): number[];
  /** `[dtype code, ...shape]` of a tensor in one call. */
  meta(handle: number): number[];
  /** ATen ScalarType code of a tensor. */
  dtype(handle: number): number;
  /** Looks up an ATen operator by schema name and overload (`aten::add`, `Tensor`); returns its index. */
  findOp(name: string, overload: string): number;
  /**
   * Calls an operator through the dispatcher's boxed path. Arguments follow the schema:
   * Tensor = handle, Tensor? = handle | null, int / float / bool = number / boolean, Scalar =
   * number (float) or [number] (integer) or boolean, int[] / Tensor[] = arrays, str = string,
   * Device = string, missing trailing arguments take the schema's defaults. Returns a handle, an
   * array of handles (tuples and lists), a number or a boolean.
   */
  call(op: number, args: unknown[]): unknown;
}
