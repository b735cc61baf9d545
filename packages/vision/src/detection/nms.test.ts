import { batchedNms, nms, postprocess } from './nms';

// A and B overlap with IoU 81/119 ≈ 0.68; C is apart; D equals A.
const A = [0, 0, 10, 10];
const B = [1, 1, 11, 11];
const C = [20, 20, 30, 30];
const D = [0, 0, 10, 10];

describe('nms', () => {
  it('keeps the best of overlapping boxes, highest score first', () => {
    expect(nms([A, B, C], [0.9, 0.8, 0.7], 0.5)).toEqual([0, 2]);
    expect(nms([A, B, C], [0.7, 0.8, 0.9], 0.5)).toEqual([2, 1]);
    expect(nms([A, B, C], [0.9, 0.8, 0.7], 0.7)).toEqual([0, 1, 2]); // 0.68 <= 0.7 survives
    expect(nms([], [], 0.5)).toEqual([]);
    expect(() => nms([A], [0.1, 0.2], 0.5)).toThrow('nms: 1 boxes but 2 scores');
    expect(() => nms([A], [0.1], 1.5)).toThrow('nms: iouThreshold must be in [0, 1], got 1.5');
  });

  it('batchedNms suppresses only within a label', () => {
    expect(batchedNms([A, B, C, D], [0.9, 0.8, 0.7, 0.95], [0, 0, 0, 1], 0.5)).toEqual([3, 0, 2]);
    expect(batchedNms([A, B, C, D], [0.9, 0.8, 0.7, 0.95], [0, 0, 0, 0], 0.5)).toEqual([3, 2]);
  });

  it('postprocess thresholds scores, runs per-class NMS and keeps top-k', () => {
    // 3 candidates × 2 classes, row-major [N, C].
    const scores = [
      0.9, 0.6, // A: class 0 strong, class 1 medium
      0.8, 0.01, // B: suppressed by A in class 0
      0.02, 0.7, // C: class 1 only
    ];
    const det = postprocess([A, B, C], scores, 2, { scoreThreshold: 0.05, iouThreshold: 0.5 });
    expect(det.labels).toEqual([0, 1, 1]);
    expect(det.scores).toEqual([0.9, 0.7, 0.6]);
    expect(det.boxes).toEqual([A, C, A]);
    const top1 = postprocess([A, B, C], scores, 2, { topK: 1 });
    expect(top1).toEqual({ boxes: [A], labels: [0], scores: [0.9] });
    expect(() => postprocess([A, B], scores, 2)).toThrow('postprocess: scores must be [N, C] = [2, 2] (4 values), got 6 values');
  });
});
