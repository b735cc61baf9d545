import { expectClose } from '@neuralzoo/core/testing';
import { gridAnchors, ssdBoxesPerLocation, ssdDefaultBoxes } from './anchors';

describe('anchors', () => {
  it('gridAnchors: one box per (ratio, size) per cell centre, in (y, x, a) order', () => {
    // Ratio 4 (h/w) at size 4: w = 2, h = 8. Cell centres (4, 4) and (12, 4).
    const a = gridAnchors({ featureSize: [1, 2], stride: 8, sizes: [4], aspectRatios: [1, 4] });
    expectClose(a, [2, 2, 6, 6, 3, 0, 5, 8, 10, 2, 14, 6, 11, 0, 13, 8]);
    expect(gridAnchors({ featureSize: [3, 4], stride: 8, sizes: [8, 16], aspectRatios: [0.5, 1, 2] }).length).toBe(3 * 4 * 6 * 4);
    expect(() => gridAnchors({ featureSize: [0, 2], stride: 8, sizes: [4] })).toThrow('gridAnchors: featureSize must be 2 positive integers, got [0,2]');
  });

  it('ssdDefaultBoxes follows the paper: scales, the extra square, ratio boxes', () => {
    // Maps 2×2 (s = 0.2, next 0.6) and 1×1 (s = 0.6, next 1), image 100 px.
    const b = ssdDefaultBoxes({ imageSize: 100, featureSizes: [2, 1], minScale: 0.2, maxScale: 0.6, aspectRatios: [[2], []] });
    expect(ssdBoxesPerLocation([2])).toBe(4);
    expect(b.length).toBe((2 * 2 * 4 + 1 * 2) * 4);
    const s2 = Math.sqrt(0.2 * 0.6) * 50; // half side of the extra square, px
    const rw = 0.2 * Math.SQRT2 * 50; // half width of the ratio-2 box
    const rh = (0.2 / Math.SQRT2) * 50;
    // First cell, centre (25, 25).
    expectClose(b.subarray(0, 16), [15, 15, 35, 35, 25 - s2, 25 - s2, 25 + s2, 25 + s2, 25 - rw, 25 - rh, 25 + rw, 25 + rh, 25 - rh, 25 - rw, 25 + rh, 25 + rw], { atol: 1e-4 });
    // Last map, centre (50, 50): side 60 and sqrt(0.6) · 100.
    const s3 = Math.sqrt(0.6) * 50;
    expectClose(b.subarray(64), [20, 20, 80, 80, 50 - s3, 50 - s3, 50 + s3, 50 + s3], { atol: 1e-4 });
    expect(() => ssdDefaultBoxes({ imageSize: 100, featureSizes: [2, 1], minScale: 0.2, maxScale: 0.6, aspectRatios: [[2]] })).toThrow(
      'ssdDefaultBoxes: aspectRatios needs one list per feature map (2), got 1',
    );
  });

  it('clips default boxes to the image', () => {
    const b = ssdDefaultBoxes({ imageSize: 10, featureSizes: [1], minScale: 0.9, maxScale: 0.9, aspectRatios: [[3]] });
    expect(Math.min(...b)).toBe(0);
    expect(Math.max(...b)).toBe(10);
  });
});
