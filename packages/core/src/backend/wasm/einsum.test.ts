import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { onCpuAndWasm, randomValues } from './compare_backends';

const CASES: [string, number[][]][] = [
  ['ij,jk->ik', [[3, 4], [4, 5]]],
  ['bij,bjk->bik', [[2, 3, 4], [2, 4, 5]]],
  ['bhtd,bhsd->bhts', [[2, 2, 3, 4], [2, 2, 5, 4]]], // attention scores
  ['i,i->', [[6], [6]]],
  ['i,j->ij', [[3], [4]]],
  ['ij->ji', [[3, 4]]],
  ['ijk->ki', [[2, 3, 4]]],
  ['ij->', [[3, 4]]],
  ['ijk,k->ij', [[2, 3, 4], [4]]],
  ['abc,cd->dba', [[2, 3, 4], [4, 5]]],
];

describe('wasm Einsum', () => {
  it.each(CASES)('matches cpu for %s', async (eq, shapes) => {
    const vals = shapes.map((s, i) => randomValues(s.reduce((a, b) => a * b, 1), 21 + i));
    const [cpu, wasm] = await onCpuAndWasm(() => tf.einsum(eq, ...vals.map((v, i) => tf.tensor(v, shapes[i]))));
    expect(wasm[0].shape).toEqual(cpu[0].shape);
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-4, atol: 1e-5 });
  });

  it('sums labels that only one operand has before the product (cpu returns shape [4] here)', async () => {
    const av = randomValues(6, 1);
    const bv = randomValues(12, 2);
    const [, wasm] = await onCpuAndWasm(() => {
      const [a, b] = [tf.tensor2d(av, [2, 3]), tf.tensor2d(bv, [4, 3])];
      return [tf.einsum('ij,kj->', a, b), tf.dot(a.sum(0), b.sum(0))];
    });
    expect(wasm[0].shape).toEqual([]);
    expectClose(wasm[0].values, wasm[1].values, { rtol: 1e-5, atol: 1e-6 });
  });

  it('keeps int32 results int32 and rejects the equations cpu rejects', async () => {
    const [, wasm] = await onCpuAndWasm(() => {
      const r = tf.einsum('ij,jk->ik', tf.tensor2d([[1, 2], [3, 4]], [2, 2], 'int32'), tf.tensor2d([[5], [6]], [2, 1], 'int32'));
      return [r, tf.scalar(r.dtype === 'int32' ? 1 : 0)];
    });
    expect(wasm[0].values).toEqual([17, 39]);
    expect(wasm[1].values).toEqual([1]);
    await onCpuAndWasm(() => {
      expect(() => tf.einsum('ii->i', tf.ones([2, 2]))).toThrow(/duplicate axes/);
      expect(() => tf.einsum('ij,jk', tf.ones([2, 2]), tf.ones([2, 2]))).toThrow(/without an arrow/);
      return tf.scalar(0);
    });
  });
});
