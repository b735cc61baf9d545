/**
 * Einsum on wasm for one or two operands. Two operands reduce to one BatchMatMul on the wasm
 * backend: every label is a batch label (both inputs and the output), a free label of one
 * input (that input and the output), a contracted label (both inputs, not the output) or a
 * label summed out of one input beforehand.
 */
import { tf } from '../../tf';
import { WasmBackend, disposeAll, reshape, sizeOf, transpose, wasmKernel } from './kernel_util';

type TensorInfo = tf.TensorInfo;

function einsum(args: { inputs: tf.NamedTensorInfoMap; backend: object; attrs?: tf.NamedAttrMap }): TensorInfo {
  const backend = args.backend as WasmBackend;
  const tensors = Object.values(args.inputs) as TensorInfo[];
  const { equation } = args.attrs as unknown as { equation: string };
  const { allDims, summedDims, idDims } = tf.backend_util.decodeEinsumEquation(equation, tensors.length);
  tf.backend_util.checkEinsumDimSizes(allDims.length, idDims, tensors as unknown as tf.Tensor[]);
  const nOut = allDims.length - summedDims.length; // labels 0..nOut-1 are the output's, in order
  const size: number[] = new Array(allDims.length).fill(1);
  tensors.forEach((t, i) => idDims[i].forEach((label, axis) => (size[label] = t.shape[axis])));
  const dtype = tensors.map((t) => t.dtype).reduce((a, b) => tf.upcastType(a, b));
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  try {
    // BatchMatMul on wasm is float32 only: integer einsums go through float32 and back.
    const ops = tensors.map((t) => (t.dtype === 'float32' ? t : keep(wasmKernel(backend, 'Cast', { x: t }, { dtype: 'float32' }))));
    // Sum out labels that only one operand has and the output lacks.
    const labels = idDims.map((ids) => ids.slice());
    const summed = ops.map((t, i) => {
      const others = labels.filter((_, j) => j !== i).flat();
      const axes = labels[i].map((l, a) => (l >= nOut && !others.includes(l) ? a : -1)).filter((a) => a >= 0);
      if (axes.length === 0) return t;
      labels[i] = labels[i].filter((_, a) => !axes.includes(a));
      return keep(wasmKernel(backend, 'Sum', { x: t }, { axis: axes, keepDims: false }));
    });
    let result: TensorInfo;
    let order: number[]; // labels of result's axes
    if (summed.length === 1) {
      result = summed[0];
      order = labels[0];
    } else {
      const [la, lb] = labels;
      const batch = la.filter((l) => l < nOut && lb.includes(l));
      const freeA = la.filter((l) => l < nOut && !lb.includes(l));
      const freeB = lb.filter((l) => l < nOut && !la.includes(l));
      const contracted = la.filter((l) => l >= nOut && lb.includes(l));
      const dims = (ls: number[]) => sizeOf(ls.map((l) => size[l]));
      // [batch, freeA, contracted] @ [batch, contracted, freeB] -> [batch, freeA, freeB]
      const a = keep(transpose(backend, summed[0], [...batch, ...freeA, ...contracted].map((l) => la.indexOf(l))));
      const b = keep(transpose(backend, summed[1], [...batch, ...contracted, ...freeB].map((l) => lb.indexOf(l))));
      const a3 = keep(reshape(backend, a, [dims(batch), dims(freeA), dims(contracted)]));
      const b3 = keep(reshape(backend, b, [dims(batch), dims(contracted), dims(freeB)]));
      const c3 = keep(wasmKernel(backend, 'BatchMatMul', { a: a3, b: b3 }, { transposeA: false, transposeB: false }));
      order = [...batch, ...freeA, ...freeB];
      result = keep(reshape(backend, c3, order.map((l) => size[l])));
    }
    const outT = transpose(backend, result, Array.from({ length: nOut }, (_, l) => order.indexOf(l)));
    if (outT.dtype === dtype) return outT;
    temps.push(outT);
    return wasmKernel(backend, 'Cast', { x: outT }, { dtype });
  } finally {
    disposeAll(backend, temps);
  }
}

export const einsumConfig: tf.KernelConfig = {
  kernelName: 'Einsum',
  backendName: 'wasm',
  kernelFunc: einsum as unknown as tf.KernelFunc,
};
