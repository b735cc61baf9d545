import { tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { boxArea, boxIou, cxcywhToXyxy, elementwiseIou, iou, pairwiseIou, toCxcywh, toXyxy, unflattenBoxes, xyxyToCxcywh } from './boxes';

describe('box formats', () => {
  it('converts xyxy <-> cxcywh, plain and tensor', () => {
    expect(toCxcywh([1, 2, 5, 8])).toEqual([3, 5, 4, 6]);
    expect(toXyxy([3, 5, 4, 6])).toEqual([1, 2, 5, 8]);
    const x = tf.tensor3d([[[1, 2, 5, 8], [0, 0, 2, 2]]]); // [1, 2, 4]
    const c = expectNoLeak(() => xyxyToCxcywh(x), 1);
    expect(c.shape).toEqual([1, 2, 4]);
    expectClose(c, [3, 5, 4, 6, 1, 1, 2, 2]);
    const back = cxcywhToXyxy(c);
    expectClose(back, x);
    tf.dispose([x, c, back]);
    expect(() => xyxyToCxcywh(tf.zeros([2, 3]))).toThrow('xyxyToCxcywh: boxes must have shape [..., 4], got [2,3]');
  });

  it('splits flat box arrays', () => {
    expect(unflattenBoxes(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(() => unflattenBoxes([1, 2, 3])).toThrow('unflattenBoxes: length (3) must be a multiple of 4');
  });
});

describe('IoU', () => {
  // [0,0,2,2] and [1,1,3,3]: intersection 1, union 4 + 4 - 1 = 7.
  const a = [[0, 0, 2, 2], [0, 0, 10, 10]];
  const b = [[1, 1, 3, 3], [0, 0, 2, 2], [20, 20, 30, 30], [0, 0, 10, 5]];
  const expected = [
    [1 / 7, 1, 0, 4 / 50],
    [4 / 100, 4 / 100, 0, 50 / 100], // [1,1,3,3] lies inside [0,0,10,10]
  ];

  it('matches hand-computed values on plain boxes', () => {
    expect(iou(a[0], b[0])).toBeCloseTo(1 / 7, 12);
    expect(iou([0, 0, 1, 1], [1, 0, 2, 1])).toBe(0); // touching edges
    expect(iou([0, 0, 0, 0], [0, 0, 0, 0])).toBe(0); // empty union
    expect(boxArea([0, 0, 2, 3])).toBe(6);
    expect(boxArea([2, 0, 0, 3])).toBe(0);
    const m = pairwiseIou(a, b);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) expect(m[i][j]).toBeCloseTo(expected[i][j], 10);
  });

  it('boxIou gives the same [N, M] matrix as tensors, without leaks', () => {
    const ta = tf.tensor2d(a);
    const tb = tf.tensor2d(b);
    const out = expectNoLeak(() => boxIou(ta, tb), 1);
    expect(out.shape).toEqual([2, 4]);
    expectClose(out, expected.flat(), { atol: 1e-6 });
    const z = tf.zeros([1, 4]);
    expectClose(boxIou(z, z), [0]);
    expect(() => boxIou(tf.zeros([2, 5]), tb)).toThrow('boxIou: a must have shape [N, 4], got [2,5]');
    tf.dispose([ta, tb, out, z]);
  });

  it('elementwiseIou pairs boxes along [..., 4]', () => {
    const p = tf.tensor3d([[[0, 0, 2, 2], [0, 0, 10, 10]]]);
    const q = tf.tensor3d([[[1, 1, 3, 3], [0, 0, 10, 5]]]);
    const out = expectNoLeak(() => elementwiseIou(p, q), 1);
    expect(out.shape).toEqual([1, 2]);
    expectClose(out, [1 / 7, 0.5]);
    expect(() => elementwiseIou(p, tf.zeros([2, 4]))).toThrow('elementwiseIou: a [1,2,4] and b [2,4] must have the same shape');
    tf.dispose([p, q, out]);
  });
});
