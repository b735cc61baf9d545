import { tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { decodeBox, decodeBoxes, encodeBox, encodeBoxes } from './coder';

// Anchor [0,0,10,10] (centre 5,5, size 10×10); box [2,2,12,14] (centre 7,8, size 10×12):
// raw deltas (0.2, 0.3, 0, ln 1.2); with variances (0.1, 0.1, 0.2, 0.2): (2, 3, 0, ln(1.2)/0.2).
const anchor = [0, 0, 10, 10];
const box = [2, 2, 12, 14];
const expected = [2, 3, 0, Math.log(1.2) / 0.2];

describe('box coding', () => {
  it('encodes and decodes one box by hand', () => {
    expectClose(encodeBox(box, anchor), expected, { atol: 1e-12 });
    expectClose(encodeBox(box, anchor, [1, 1, 1, 1]), [0.2, 0.3, 0, Math.log(1.2)], { atol: 1e-12 });
    expectClose(decodeBox(expected, anchor), box, { atol: 1e-9 });
    expect(() => encodeBox([0, 0, 0, 5], anchor)).toThrow('encodeBox: box [0,0,0,5] and anchor [0,0,10,10] must be non-empty xyxy boxes');
    expect(() => encodeBox(box, anchor, [0.1, 0.1, 0.2])).toThrow('encodeBox: variances must be 4 positive numbers, got [0.1,0.1,0.2]');
  });

  it('clamps huge size deltas when decoding', () => {
    const d = decodeBox([0, 0, 1e6, 0], [0, 0, 16, 16], [1, 1, 1, 1]);
    expect(d[2] - d[0]).toBeCloseTo(1000, 6); // 16 · 1000/16
  });

  it('tensor encode/decode match the plain ones and broadcast over a batch, without leaks', () => {
    const anchors = tf.tensor2d([anchor, [4, 4, 8, 12]]); // [2, 4]
    const boxes = tf.tensor3d([[box, [5, 6, 7, 10]], [anchor, [4, 4, 8, 12]]]); // [2, 2, 4]
    const deltas = expectNoLeak(() => encodeBoxes(boxes, anchors), 1);
    expect(deltas.shape).toEqual([2, 2, 4]);
    expectClose(deltas, [...expected, ...encodeBox([5, 6, 7, 10], [4, 4, 8, 12]), 0, 0, 0, 0, 0, 0, 0, 0], { atol: 1e-5 });
    const back = expectNoLeak(() => decodeBoxes(deltas, anchors), 1);
    expectClose(back, boxes, { atol: 1e-4 });
    expect(() => encodeBoxes(boxes, tf.zeros([3, 4]))).toThrow('encodeBoxes: anchors must have shape [N, 4] = [2, 4] to match boxes [2,2,4], got [3,4]');
    tf.dispose([anchors, boxes, deltas, back]);
  });
});
