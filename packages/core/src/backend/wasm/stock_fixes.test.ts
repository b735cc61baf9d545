import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { backendDataIds, onCpuAndWasm, runOn } from './compare_backends';

describe('wasm stock kernel fixes', () => {
  it('casts to bool as cpu does: any non-zero or NaN is true', async () => {
    const v = [1, 3, 0, -1, NaN, 0.5, -0];
    const [cpu, wasm] = await onCpuAndWasm(() => [tf.tensor1d(v).cast('bool'), tf.tensor1d([0, 7, -2], 'int32').cast('bool')]);
    expect(wasm[0].values).toEqual([1, 1, 0, 1, 1, 1, 0]);
    expect(wasm[0].values).toEqual(cpu[0].values);
    expect(wasm[1].values).toEqual([0, 1, 1]);
  });

  it('propagates NaN through clipByValue and clips like cpu', async () => {
    const v = [-5, -1, 0, 0.25, 2, NaN, Infinity, -Infinity];
    const [cpu, wasm] = await onCpuAndWasm(() => tf.clipByValue(tf.tensor1d(v), -1, 1));
    expect(wasm[0].values.map(String)).toEqual(['-1', '-1', '0', '0.25', '1', 'NaN', '1', '-1']);
    expect(wasm[0].values.map(String)).toEqual(cpu[0].values.map(String));
  });

  it('rejects an out-of-bounds slice as cpu does', async () => {
    const [, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
      expect(() => tf.slice(x, [1, 1], [2, 2])).toThrow(/slice/i);
      return tf.slice(x, [1, 1], [1, 2]);
    });
    expect(wasm[0].values).toEqual([5, 6]);
  });

  it('shares data for Identity and same-dtype Cast instead of copying', async () => {
    const wasm = await runOn('wasm', () => {
      const x = tf.tensor2d([[1, 2], [3, 4]]);
      const ids = backendDataIds();
      const y = tf.clone(x);
      const z = x.cast('float32');
      const grew = backendDataIds() - ids;
      x.dispose();
      return [y.add(z), tf.scalar(grew)]; // y and z still readable after x is gone
    });
    expect(wasm[0].values).toEqual([2, 4, 6, 8]);
    expect(wasm[1].values).toEqual([0]);
  });

  it('gives logSoftmax and logSigmoid the same gradients as cpu', async () => {
    const v = [0.5, -1, 2, 0.1, -0.3, 1.5];
    const [cpu, wasm] = await onCpuAndWasm(() => [
      tf.grad((x: tf.Tensor) => tf.logSoftmax(x).mul(tf.range(0, 6)).sum())(tf.tensor1d(v)),
      tf.grad((x: tf.Tensor) => tf.logSigmoid(x.clone()).sum())(tf.tensor1d(v)),
    ]);
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-5, atol: 1e-6 });
    expectClose(wasm[1].values, cpu[1].values, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('wasm int32 BatchMatMul', () => {
  it('multiplies int32 and mixed operands like cpu, keeping the upcast dtype', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const a = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3], 'int32');
      const b = tf.tensor3d([1, 0, 2, 1, -1, 3, 0, 1, 4, 2, 2, -2], [2, 3, 2], 'int32');
      const ii = tf.matMul(a, b);
      const fi = tf.matMul(a.toFloat().mul(0.5), b);
      const conf = tf.math.confusionMatrix(tf.tensor1d([0, 1, 2, 2, 1], 'int32'), tf.tensor1d([0, 2, 2, 1, 1], 'int32'), 3);
      return [ii, fi, conf, tf.tensor1d([ii.dtype === 'int32' ? 1 : 0, fi.dtype === 'float32' ? 1 : 0, conf.dtype === 'int32' ? 1 : 0])];
    });
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expect(wasm[i].values).toEqual(cpu[i].values);
    }
    expect(wasm[2].values).toEqual([1, 0, 0, 0, 1, 1, 0, 1, 1]);
    expect(wasm[3].values).toEqual([1, 1, 1]);
  });
});
