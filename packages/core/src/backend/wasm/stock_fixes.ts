/**
 * Fixes to TF.js 4.22's own wasm kernels, each wrapping the stock kernel and falling back to it:
 * - Identity and same-dtype Cast share the input's data (as cpu does) instead of copying it;
 * - Cast to bool gives 1 for every non-zero (and NaN) value; stock keeps the value (3 -> 3);
 * - ClipByValue propagates NaN; stock maps it to the lower bound;
 * - Slice rejects a begin/size outside the input (as cpu does) instead of reading past it.
 */
import { tf } from '../../tf';
import { WasmBackend } from './kernel_util';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

/** Wasm backend with the ref-counting the stock Reshape uses to share data. */
interface SharingBackend extends WasmBackend {
  incRef(dataId: object): void;
}

function share(backend: SharingBackend, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

const identity = (stock: tf.KernelFunc) => (args: KernelArgs) => {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return stock(args);
  return share(args.backend as SharingBackend, x);
};

const cast = (stock: tf.KernelFunc) => (args: KernelArgs) => {
  const backend = args.backend as SharingBackend;
  const { x } = args.inputs as { x: TensorInfo };
  const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
  if (dtype === x.dtype && dtype !== 'string') return share(backend, x);
  if (dtype !== 'bool' || x.dtype === 'string' || x.dtype === 'complex64') return stock(args);
  const out = backend.makeOutput(x.shape, 'bool');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  return out;
};

const clipByValue = (stock: tf.KernelFunc) => (args: KernelArgs) => {
  const backend = args.backend as WasmBackend;
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype !== 'float32') return stock(args);
  const { clipValueMin: lo, clipValueMax: hi } = args.attrs as unknown as { clipValueMin: number; clipValueMax: number };
  const out = backend.makeOutput(x.shape, 'float32');
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  // NaN fails both comparisons and passes through.
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    dst[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return out;
};

const slice = (stock: tf.KernelFunc) => (args: KernelArgs) => {
  const { x } = args.inputs as { x: TensorInfo };
  const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
  tf.slice_util.assertParamsValid(x, b, s);
  return stock(args);
};

/** Stock kernel name -> wrapper around the stock kernelFunc. */
export const STOCK_FIXES: Record<string, (stock: tf.KernelFunc) => (args: KernelArgs) => TensorInfo | TensorInfo[]> = {
  Identity: identity,
  Cast: cast,
  ClipByValue: clipByValue,
  Slice: slice,
};
