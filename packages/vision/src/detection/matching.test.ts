import { tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { BACKGROUND, hardNegativeMask, IGNORE, matchAnchors } from './matching';

describe('matchAnchors', () => {
  // IoUs: a0·g0 = 1; a1·g0 = 50/150 = 0.33; a2·g1 = 81/119 = 0.68; a3·g0 = 16/100 = 0.16.
  const anchors = Float32Array.from([0, 0, 10, 10, 5, 0, 15, 10, 20, 20, 30, 30, 0, 0, 4, 4]);
  const gt = [[0, 0, 10, 10], [21, 21, 31, 31]];

  it('applies the IoU thresholds', () => {
    expect(Array.from(matchAnchors(anchors, gt, { posIou: 0.5, negIou: 0.3 }))).toEqual([0, IGNORE, 1, BACKGROUND]);
    expect(Array.from(matchAnchors(anchors, gt, { posIou: 0.5 }))).toEqual([0, BACKGROUND, 1, BACKGROUND]);
  });

  it('forces each ground truth box onto its best anchor', () => {
    expect(Array.from(matchAnchors(anchors, gt, { posIou: 0.7, negIou: 0.3 }))).toEqual([0, IGNORE, 1, BACKGROUND]);
    expect(Array.from(matchAnchors(anchors, gt, { posIou: 0.7, negIou: 0.3, forceBest: false }))).toEqual([0, IGNORE, IGNORE, BACKGROUND]);
    // A box overlapping no anchor stays unmatched; no boxes: all background.
    expect(Array.from(matchAnchors(anchors, [[50, 50, 60, 60]]))).toEqual([-1, -1, -1, -1]);
    expect(Array.from(matchAnchors(anchors, []))).toEqual([-1, -1, -1, -1]);
    expect(() => matchAnchors(anchors, gt, { posIou: 0.4, negIou: 0.5 })).toThrow('matchAnchors: negIou (0.5) must be <= posIou (0.4)');
  });
});

describe('hardNegativeMask', () => {
  it('keeps the 3 hardest negatives per positive, per image', () => {
    const loss = tf.tensor2d([
      [0.1, 0.9, 0.5, 0.3, 0.8, 0.2],
      [0.1, 0.9, 0.5, 0.3, 0.8, 0.2],
      [5.0, 0.9, 0.5, 0.3, 0.8, 0.2],
    ]);
    const pos = tf.tensor2d([
      [1, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0],
      [1, 1, 0, 0, 0, 0],
    ]);
    const mask = expectNoLeak(() => hardNegativeMask(loss, pos), 1);
    // Row 0: 1 positive -> 3 negatives (0.9, 0.8, 0.5). Row 1: none. Row 2: 2 positives -> all 4 negatives.
    expectClose(mask, [0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const m1 = hardNegativeMask(loss, pos, { ratio: 1, minNegatives: 2 });
    // ratio 1: row 0 keeps 0.9; row 1 (no positive) keeps minNegatives = 2: 0.9, 0.8; row 2 keeps 0.8, 0.5.
    expectClose(m1, [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]);
    expect(() => hardNegativeMask(loss, tf.zeros([3, 5]))).toThrow('hardNegativeMask: positive [3,5] must have the shape of loss [3,6]');
    tf.dispose([loss, pos, mask, m1]);
  });
});
