/**
 * The TF.js backend `torch`: every tensor's data is an ATen tensor in the native addon's table
 * (dataId -> handle); string tensors, which ATen lacks, stay in JS. Kernels (./kernels) call ATen
 * operators by schema name; `readSync` copies out, `disposeData` frees the handle.
 */
import { tf } from '@neuralzoo/core';
import type { NativeAddon } from './native';

type DataType = tf.DataType;
type TensorInfo = tf.TensorInfo;
type DataId = object;
type BackendValues = tf.BackendValues;

/** ATen ScalarType codes of the TF.js dtypes (c10/core/ScalarType.h). */
export const ATEN_DTYPE: Record<Exclude<DataType, 'string'>, number> = {
  float32: 6,
  int32: 3,
  bool: 11,
  complex64: 9,
};
const ATEN_LONG = 4;
const FROM_ATEN: Record<number, DataType> = { 6: 'float32', 3: 'int32', 11: 'bool', 9: 'complex64' };

interface Entry {
  /** Native handle; -1 for string tensors. */
  handle: number;
  shape: number[];
  dtype: DataType;
  refCount: number;
  /** Values of a string tensor (encoded bytes). */
  strings?: Uint8Array[];
  /**
   * A tensor a kernel kept beside this output for a later kernel (max pooling's argmax indices
   * for MaxPoolGrad); freed with the output.
   */
  aux?: Aux;
}

/** See Entry.aux. `key` names what made it (kernel, attrs, shapes); `from` is the input's data id. */
interface Aux {
  key: string;
  from: DataId;
  handle: number;
}

/** An ATen argument: see NativeAddon.call. */
export type Arg = number | boolean | string | null | number[] | boolean[] | (number | null)[];

function sameShape(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class TorchBackend extends tf.KernelBackend {
  readonly data: tf.DataStorage<Entry>;
  /** Handles made while the current kernel runs; freed when it returns unless made outputs. */
  private temps: number[] = [];
  private readonly ops = new Map<string, number>();
  private disposed = false;

  constructor(
    readonly addon: NativeAddon,
    /** `cpu` or `cuda:N`. */
    readonly device: string,
  ) {
    super();
    this.data = new tf.DataStorage<Entry>(this, tf.engine());
  }

  // ------------------------------------------------------------------------------ storage
  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const dataId = {};
    this.move(dataId, values, shape, dtype, 1);
    return dataId;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    if (dtype === 'string') {
      const strings = ((values ?? []) as unknown[]).map((v) => (typeof v === 'string' ? tf.util.encodeString(v) : (v as Uint8Array)));
      this.data.set(dataId, { handle: -1, shape, dtype, refCount, strings });
      return;
    }
    const size = tf.util.sizeFromShape(shape) * (dtype === 'complex64' ? 2 : 1);
    const buffer = this.toBuffer(values, size, dtype);
    const handle = this.addon.fromBuffer(buffer, shape, ATEN_DTYPE[dtype]);
    this.data.set(dataId, { handle, shape, dtype, refCount });
  }

  /** The typed array ATen copies from: Float32Array, Int32Array or (bool) Uint8Array of `size`. */
  private toBuffer(values: BackendValues | null, size: number, dtype: DataType): ArrayBufferView {
    if (dtype === 'bool') {
      if (values instanceof Uint8Array && values.length === size) return values;
      const out = new Uint8Array(size);
      if (values) for (let i = 0; i < size; i++) out[i] = (values as ArrayLike<number>)[i] ? 1 : 0;
      return out;
    }
    const Ctor = dtype === 'int32' ? Int32Array : Float32Array;
    if (values instanceof Ctor && values.length === size) return values;
    const out = new Ctor(size);
    if (values) out.set(values as ArrayLike<number>);
    return out;
  }

  /** Makes a tensor info from values (used by kernels and the cpu fallback). */
  makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues | string[]): TensorInfo {
    const dataId = this.write((values ?? null) as BackendValues, shape, dtype);
    return { dataId, shape, dtype };
  }

  override readSync(dataId: DataId): BackendValues {
    const e = this.data.get(dataId);
    if (e.dtype === 'string') return e.strings ?? [];
    const buf = this.addon.read(e.handle);
    switch (e.dtype) {
      case 'int32':
        return new Int32Array(buf);
      case 'bool':
        return new Uint8Array(buf);
      default:
        return new Float32Array(buf); // float32, and complex64 as interleaved (re, im) pairs
    }
  }

  override async read(dataId: DataId): Promise<BackendValues> {
    return this.readSync(dataId);
  }

  override refCount(dataId: DataId): number {
    return this.data.has(dataId) ? this.data.get(dataId).refCount : 0;
  }

  override incRef(dataId: DataId): void {
    this.data.get(dataId).refCount++;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.data.has(dataId)) return true;
    const e = this.data.get(dataId);
    if (!force && e.refCount > 1) {
      e.refCount--;
      return false;
    }
    if (e.handle >= 0) this.addon.free(e.handle);
    if (e.aux) this.addon.free(e.aux.handle);
    this.data.delete(dataId);
    return true;
  }

  disposeIntermediateTensorInfo(info: TensorInfo): void {
    this.disposeData(info.dataId);
  }

  override numDataIds(): number {
    return this.data.numDataIds();
  }

  override memory(): { unreliable: boolean; reasons?: string[] } {
    return { unreliable: true, reasons: ['ATen allocates tensor memory natively; numTensors and numDataIds are exact'] };
  }

  override timerAvailable(): boolean {
    return true;
  }

  override async time(f: () => void): Promise<tf.BackendTimingInfo> {
    const start = tf.util.now();
    f();
    return { kernelMs: tf.util.now() - start };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.freeTemps();
  }

  // ------------------------------------------------------------------------------ kernel helpers
  /** The native handle of an input, viewed with the shape TF.js gives it. */
  handle(info: TensorInfo): number {
    const e = this.data.get(info.dataId);
    if (e.handle < 0) throw new Error(`torch backend: dtype ${e.dtype} has no ATen tensor`);
    if (sameShape(e.shape, info.shape)) return e.handle;
    return this.call('aten::reshape', [e.handle, info.shape]) as number;
  }

  /** Whether a tensor info holds a string tensor (kernels hand those to the cpu fallback). */
  isString(info: TensorInfo): boolean {
    return this.data.get(info.dataId).dtype === 'string';
  }

  /** Calls an ATen operator (`aten::name.overload`); tensors it returns are temporaries of this kernel. */
  call(qualified: string, args: Arg[]): number | number[] {
    let index = this.ops.get(qualified);
    if (index === undefined) {
      const dot = qualified.indexOf('.');
      const name = dot < 0 ? qualified : qualified.slice(0, dot);
      const overload = dot < 0 ? '' : qualified.slice(dot + 1);
      index = this.addon.findOp(name, overload);
      this.ops.set(qualified, index);
    }
    const out = this.addon.call(index, args) as number | number[];
    if (typeof out === 'number') this.temps.push(out);
    else if (Array.isArray(out)) for (const h of out.flat() as (number | null)[]) if (typeof h === 'number') this.temps.push(h);
    return out;
  }

  /** `call` for operators that return one tensor. */
  t(qualified: string, ...args: Arg[]): number {
    return this.call(qualified, args) as number;
  }

  /** `call` for operators that return a tuple or list of tensors. */
  ts(qualified: string, ...args: Arg[]): number[] {
    return this.call(qualified, args) as number[];
  }

  /** A scalar tensor (float32 unless dtype says otherwise), as a temporary. */
  scalar(value: number, dtype: Exclude<DataType, 'string'> = 'float32'): number {
    return this.t('aten::scalar_tensor', dtype === 'float32' || dtype === 'complex64' ? value : [value], ATEN_DTYPE[dtype], null, this.device);
  }

  /** Casts a handle to a TF.js dtype (a no-op copy-free view when it already has it). */
  cast(handle: number, dtype: Exclude<DataType, 'string'>): number {
    if (this.addon.dtype(handle) === ATEN_DTYPE[dtype]) return handle;
    return this.t('aten::_to_copy', handle, ATEN_DTYPE[dtype]);
  }

  /** An index tensor as int64, which ATen's indexing ops need. */
  long(handle: number): number {
    if (this.addon.dtype(handle) === ATEN_LONG) return handle;
    return this.t('aten::_to_copy', handle, ATEN_LONG);
  }

  /** Turns a handle into a kernel output of `dtype` (cast when ATen's dtype differs). */
  out(handle: number, dtype: Exclude<DataType, 'string'>): TensorInfo {
    const i = this.temps.lastIndexOf(handle);
    if (i < 0) return this.out(this.t('aten::alias', handle), dtype); // an input's handle: a new reference
    const meta = this.addon.meta(handle);
    if (meta[0] !== ATEN_DTYPE[dtype]) return this.out(this.t('aten::_to_copy', handle, ATEN_DTYPE[dtype]), dtype);
    this.temps.splice(i, 1);
    const shape = meta.slice(1);
    const dataId = {};
    this.data.set(dataId, { handle, shape, dtype, refCount: 1 });
    return { dataId, shape, dtype };
  }

  /**
   * Keeps the temporary `handle` alive beside the output `out` (made by `out()` in this kernel)
   * until `out` is disposed; `attached(out, key, from)` gives it back to a later kernel.
   */
  attach(out: TensorInfo, key: string, from: TensorInfo, handle: number): void {
    const i = this.temps.lastIndexOf(handle);
    if (i < 0) throw new Error('torch backend: attach takes a temporary of the running kernel');
    this.temps.splice(i, 1);
    const e = this.data.get(out.dataId);
    if (e.aux) this.addon.free(e.aux.handle);
    e.aux = { key, from: from.dataId, handle };
  }

  /** The handle attached to `out` under `key` from the input `from`, if any. */
  attached(out: TensorInfo, key: string, from: TensorInfo): number | undefined {
    const aux = this.data.has(out.dataId) ? this.data.get(out.dataId).aux : undefined;
    return aux && aux.key === key && aux.from === from.dataId ? aux.handle : undefined;
  }

  /** Whether TF.js is recording a gradient tape (so a kernel's by-products may be worth keeping). */
  recording(): boolean {
    return tf.engine().state.gradientDepth > 0;
  }

  /** The TF.js dtype of an ATen dtype code. */
  static dtypeOf(code: number): DataType {
    return FROM_ATEN[code] ?? 'float32';
  }

  /** An output that shares `x`'s data (one more reference), seen with `shape`. */
  share(x: TensorInfo, shape: number[]): TensorInfo {
    this.incRef(x.dataId);
    return { dataId: x.dataId, shape, dtype: x.dtype };
  }

  /** Frees the temporaries of the kernel that just ran. */
  freeTemps(): void {
    const temps = this.temps;
    this.temps = [];
    for (const h of temps) this.addon.free(h);
  }
}
