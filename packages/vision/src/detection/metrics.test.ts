import { averagePrecision, cocoMeanAveragePrecision, meanAveragePrecision } from './metrics';

describe('averagePrecision', () => {
  it('integrates the precision envelope (all-point) and samples it at 101 recalls (COCO)', () => {
    // recall 1/3, 1/3, 1/3, 2/3 with precision 1, 1/2, 1/3, 1/2: envelope 1, 1/2, 1/2, 1/2.
    const r = [1 / 3, 1 / 3, 1 / 3, 2 / 3];
    const p = [1, 1 / 2, 1 / 3, 1 / 2];
    expect(averagePrecision(r, p)).toBeCloseTo(1 / 3 + 1 / 6, 12);
    // 101-point: recalls 0..0.33 (34 points) -> 1, 0.34..0.66 (33 points) -> 1/2, rest 0.
    expect(averagePrecision(r, p, '101-point')).toBeCloseTo((34 + 16.5) / 101, 12);
    // A later, higher precision lifts earlier points: recall .5, 1 with precision .5, 1 -> 1.
    expect(averagePrecision([0.5, 1], [0.5, 1])).toBeCloseTo(1, 12);
    expect(averagePrecision([], [])).toBe(0);
  });
});

describe('meanAveragePrecision (VOC, IoU 0.5)', () => {
  const gt = [
    { boxes: [[0, 0, 10, 10], [20, 20, 30, 30]], labels: [0, 0] },
    { boxes: [[0, 0, 10, 10], [40, 40, 50, 50]], labels: [0, 1] },
  ];

  it('scores a hand-worked example', () => {
    const preds = [
      // TP (IoU 1); duplicate of the same box (IoU .81, already claimed) -> FP; nothing there -> FP.
      { boxes: [[0, 0, 10, 10], [1, 1, 10, 10], [50, 50, 60, 60]], labels: [0, 0, 0], scores: [0.9, 0.8, 0.7] },
      // TP (IoU .9) for class 0; class 1 found exactly; a class-2 box where there is no class 2.
      { boxes: [[0, 0, 10, 9], [40, 40, 50, 50], [0, 0, 5, 5]], labels: [0, 1, 2], scores: [0.6, 0.5, 0.9] },
    ];
    // Class 0: TP FP FP TP over 3 boxes -> AP 1/3·1 + 1/3·1/2 = 0.5. Class 1: AP 1. Class 2: no ground truth.
    const res = meanAveragePrecision(preds, gt);
    expect(res.ap[0]).toBeCloseTo(0.5, 12);
    expect(res.ap[1]).toBeCloseTo(1, 12);
    expect(res.ap[2]).toBeNaN();
    expect(res.numGt).toEqual([3, 1, 0]);
    expect(res.map).toBeCloseTo(0.75, 12);
  });

  it('gives AP 0 to a class that is never predicted, and 1 to perfect predictions', () => {
    const none = meanAveragePrecision([{ boxes: [], labels: [], scores: [] }, { boxes: [], labels: [], scores: [] }], gt);
    expect(none.map).toBe(0);
    const perfect = gt.map((g) => ({ ...g, scores: g.labels.map(() => 1) }));
    expect(meanAveragePrecision(perfect, gt).map).toBeCloseTo(1, 12);
  });

  it('VOC matching makes a detection whose best box is claimed a FP; COCO matching tries the next box', () => {
    // Boxes A and B (IoU 1/3). det2 overlaps A by 0.667 (claimed by det1) and B by 0.538.
    const g = [{ boxes: [[0, 0, 10, 10], [0, 5, 10, 15]], labels: [0, 0] }];
    const p = [{ boxes: [[0, 0, 10, 10], [0, 2, 10, 12]], labels: [0, 0], scores: [0.9, 0.8] }];
    expect(meanAveragePrecision(p, g).map).toBeCloseTo(0.5, 12);
    expect(meanAveragePrecision(p, g, { matching: 'coco' }).map).toBeCloseTo(1, 12);
  });

  it('ignores difficult boxes', () => {
    const g = [{ boxes: [[0, 0, 10, 10], [20, 20, 30, 30]], labels: [0, 0], difficult: [false, true] }];
    const p = [{ boxes: [[20, 20, 30, 30], [0, 0, 10, 10]], labels: [0, 0], scores: [0.9, 0.8] }];
    expect(meanAveragePrecision(p, g).map).toBeCloseTo(1, 12);
    expect(meanAveragePrecision(p, g).numGt).toEqual([1]);
  });

  it('names mismatched inputs', () => {
    expect(() => meanAveragePrecision([], gt)).toThrow('meanAveragePrecision: 0 prediction sets but 2 ground truth sets (one per image)');
    expect(() => meanAveragePrecision([{ boxes: [[0, 0, 1, 1]], labels: [0], scores: [] }], [gt[0]])).toThrow(
      'meanAveragePrecision: image 0 has 1 predicted boxes, 1 labels and 0 scores',
    );
  });
});

describe('cocoMeanAveragePrecision', () => {
  it('averages over IoU 0.50:0.05:0.95', () => {
    // IoU 0.81: a TP at thresholds 0.50 … 0.80 (7 of 10), a miss above.
    const g = [{ boxes: [[0, 0, 10, 10]], labels: [0] }];
    const p = [{ boxes: [[0, 0, 10, 8.1]], labels: [0], scores: [0.9] }];
    const res = cocoMeanAveragePrecision(p, g);
    expect(res.map).toBeCloseTo(0.7, 12);
    expect(res.map50).toBe(1);
    expect(res.map75).toBe(1);
    expect(res.perThreshold).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
  });
});
