/**
 * The cpu fallback: runs tfjs-backend-cpu's own kernel on copies of the inputs and copies the
 * outputs back into ATen. It serves the kernels that have no ATen mapping yet (string, ragged and
 * sparse ops, NMS, image transforms, random sampling with TF.js's seeded generators) and native
 * kernels that reject an input ATen cannot take, so every kernel of the cpu backend works on
 * `torch` with the cpu backend's results and error messages.
 */
import { tf } from '@neuralzoo/core';
import type { TorchBackend } from './backend';

type TensorInfo = tf.TensorInfo;
type KernelBackend = tf.KernelBackend;

function cpuBackend(): KernelBackend {
  const cpu = tf.findBackend('cpu');
  if (!cpu) throw new Error('torch backend: the cpu backend, which serves unmapped kernels, is not registered');
  return cpu;
}

/** A tensor info with the `rank` and `size` some cpu kernels read from their (Tensor) inputs. */
function withRank(info: TensorInfo): TensorInfo {
  return Object.assign(info, { rank: info.shape.length, size: tf.util.sizeFromShape(info.shape) });
}

/** Copies a torch tensor into the cpu backend. */
function toCpu(torch: TorchBackend, cpu: KernelBackend, info: TensorInfo): TensorInfo {
  const values = torch.readSync(info.dataId);
  if (info.dtype !== 'complex64') return withRank({ dataId: cpu.write(values, info.shape, info.dtype), shape: info.shape, dtype: info.dtype });
  const ri = values as Float32Array;
  const n = ri.length / 2;
  const re = new Float32Array(n);
  const im = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    re[i] = ri[2 * i];
    im[i] = ri[2 * i + 1];
  }
  const real = { dataId: cpu.write(re, info.shape, 'float32'), shape: info.shape, dtype: 'float32' as const };
  const imag = { dataId: cpu.write(im, info.shape, 'float32'), shape: info.shape, dtype: 'float32' as const };
  const complex = tf.getKernel('Complex', 'cpu')!.kernelFunc({ inputs: { real, imag }, backend: cpu, attrs: {} }) as TensorInfo;
  cpu.disposeData(real.dataId);
  cpu.disposeData(imag.dataId);
  return withRank(complex);
}

const calls = new Map<string, number>();

/** How often each kernel ran on the cpu fallback in this process (to find slow paths). */
export function fallbackCalls(): Record<string, number> {
  return Object.fromEntries([...calls.entries()].sort((a, b) => b[1] - a[1]));
}

/** A torch kernel that runs the cpu backend's implementation `config`. */
export function cpuFallback(config: tf.KernelConfig): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    calls.set(config.kernelName, (calls.get(config.kernelName) ?? 0) + 1);
    const torch = backend as unknown as TorchBackend;
    const cpu = cpuBackend();
    const made: TensorInfo[] = [];
    // Inputs are named tensors, a list (Concat, Pack, AddN), or names holding lists (ragged ops).
    const copy = (info: TensorInfo): TensorInfo => {
      const c = toCpu(torch, cpu, info);
      made.push(c);
      return c;
    };
    const convert = (v: unknown): unknown => (Array.isArray(v) ? v.map(convert) : v ? copy(v as TensorInfo) : v);
    try {
      const cpuInputs = (Array.isArray(inputs)
        ? inputs.map(convert)
        : Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, convert(v)]))) as unknown as tf.NamedTensorInfoMap;
      const result = config.kernelFunc({ inputs: cpuInputs, attrs: attrs ?? {}, backend: cpu });
      const outs = Array.isArray(result) ? result : [result];
      const copies = outs.map((o) => torch.makeTensorInfo(o.shape, o.dtype, cpu.readSync(o.dataId)));
      made.push(...outs);
      return Array.isArray(result) ? copies : copies[0];
    } finally {
      for (const t of made) cpu.disposeData(t.dataId);
    }
  };
}
