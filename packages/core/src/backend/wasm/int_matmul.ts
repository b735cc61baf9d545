/**
 * BatchMatMul for int32 (and mixed int32/float32) operands on wasm, whose kernels multiply float32
 * only: the operands go through float32 and the product back to the upcast dtype. Exact while
 * every partial sum stays below 2^24 (counts, one-hot products, confusionMatrix).
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, wasmKernel } from './kernel_util';

type TensorInfo = tf.TensorInfo;
type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap };

const batchMatMul = (inner: tf.KernelFunc) => (args: KernelArgs): TensorInfo => {
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  if (a.dtype === 'float32' && b.dtype === 'float32') return inner(args) as TensorInfo;
  const backend = args.backend as WasmBackend;
  const temps: TensorInfo[] = [];
  const asFloat = (t: TensorInfo) => {
    if (t.dtype === 'float32') return t;
    const c = wasmKernel(backend, 'Cast', { x: t }, { dtype: 'float32' });
    temps.push(c);
    return c;
  };
  try {
    const product = inner({ ...args, inputs: { a: asFloat(a), b: asFloat(b) } }) as TensorInfo;
    const dtype = tf.upcastType(a.dtype, b.dtype);
    if (dtype === 'float32') return product;
    temps.push(product);
    return wasmKernel(backend, 'Cast', { x: product }, { dtype });
  } finally {
    disposeAll(backend, temps);
  }
};

export const INT_MATMUL_FIX = { BatchMatMul: batchMatMul };
