/**
 * What the kernel tables of the `torch` backend (kernels.ts, kernels-extra.ts, kernels-image.ts,
 * fused.ts) share: their types and the small helpers every family of kernels calls.
 */
import { tf } from '@neuralzoo/core';
import type { Arg, TorchBackend } from './backend';
import { ATEN_DTYPE } from './backend';

export type TensorInfo = tf.TensorInfo;
export type NamedAttrMap = tf.NamedAttrMap;
export type NumDType = Exclude<tf.DataType, 'string'>;
export type Inputs = Record<string, TensorInfo>;
/** A native kernel: inputs and attrs in, one or several outputs. */
export type NativeKernel = (b: TorchBackend, inputs: Inputs, attrs: NamedAttrMap) => TensorInfo | TensorInfo[];

export const NEG_INF = -Infinity;
/** ATen's ScalarType code of float64 (kernels that reproduce the cpu kernels' double arithmetic). */
export const ATEN_DOUBLE = 7;

/** An input as a float32 handle (a copy only when its dtype differs). */
export const f32 = (b: TorchBackend, info: TensorInfo): number => b.cast(b.handle(info), 'float32');

/** An ATen Scalar argument for a value of `dtype` (integers as [n], see NativeAddon.call). */
export function scalarArg(value: number, dtype: tf.DataType): Arg {
  return dtype === 'int32' || dtype === 'bool' ? [Math.trunc(value)] : value;
}

/** Throws when an ATen result's shape is not the one TF.js computed for the kernel's output. */
export function checkShape(b: TorchBackend, h: number, expected: number[], kernel: string): void {
  const got = b.addon.shape(h);
  if (got.length !== expected.length || got.some((d, i) => d !== expected[i]))
    throw new Error(`torch backend: ${kernel} produced shape [${got}] where TF.js expects [${expected}]`);
}

/** TF.js's arg/max kernels skip NaN where ATen propagates it: NaN -> `fill` (-inf for max). */
export function ignoreNaNHandle(b: TorchBackend, h: number, fill: number): number {
  return b.t('aten::where.ScalarSelf', b.t('aten::isnan', h), fill, h);
}

/** `ignoreNaNHandle` of a float32 input; other dtypes hold no NaN and pass as they are. */
export function ignoreNaN(b: TorchBackend, x: TensorInfo, fill: number): number {
  const h = b.handle(x);
  return x.dtype === 'float32' ? ignoreNaNHandle(b, h, fill) : h;
}

/** A temporary of the running kernel holding JS values (copied in, then owned by the kernel). */
export function fromJS(b: TorchBackend, values: Float64Array | Int32Array | Uint8Array, shape: number[]): number {
  const code = values instanceof Float64Array ? ATEN_DOUBLE : values instanceof Int32Array ? ATEN_DTYPE.int32 : ATEN_DTYPE.bool;
  const h = b.addon.fromBuffer(values, shape, code);
  try {
    return b.t('aten::clone', h, null);
  } finally {
    b.addon.free(h);
  }
}
