import { backward, Generator, manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { encodeBox } from '../../detection/coder';
import { matchAnchors } from '../../detection/matching';
import { unflattenBoxes } from '../../detection/boxes';
import { FASTER_RCNN_DEFAULTS, FasterRcnn, fasterRcnn, groupingProposals, Rcnn, RCNN_DEFAULTS, rcnn, sampleBalanced } from './index';

/** Tiny Faster R-CNN: 32×32 images, stride 2 (16×16 cells), one 8-pixel anchor per cell. */
const TINY = { imageSize: 32, backboneChannels: [4, 8], rpnChannels: 8, anchorSizes: [8], aspectRatios: [1], roiOutputSize: 3, headChannels: 16, numClasses: 3 };
const TINY_RCNN = { imageSize: 32, cropSize: 8, channels: [4], hidden: 8, numClasses: 3 };

/** Two filled rectangles on a 32×32 canvas, [1, 32, 32, 1]. */
function scene(): tf.Tensor4D {
  const img = new Float32Array(32 * 32);
  for (const [x1, y1, x2, y2] of [[2, 2, 8, 10], [20, 18, 28, 30]]) for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) img[y * 32 + x] = 1;
  return tf.tensor4d(img, [1, 32, 32, 1]);
}
const TARGET = { boxes: [2, 2, 8, 10, 21, 18, 28, 30], labels: [0, 2] };

function zeroWeights(m: nn.Module): void {
  for (const p of m.parameters()) p.assign(tf.zerosLike(p.data));
}

/** torch's smooth L1 with beta 1/9, summed. */
const smoothL1 = (t: number[]) => t.reduce((s, v) => s + (Math.abs(v) < 1 / 9 ? (0.5 * v * v) / (1 / 9) : Math.abs(v) - 0.5 / 9), 0);

describe('FasterRcnn', () => {
  it('gives dense outputs of the documented shapes and detections', () => {
    manualSeed(0);
    const m = fasterRcnn(TINY);
    const x = tf.randomUniform([2, 32, 32, 1]);
    const out = m.forward(x);
    const N = 16 * 16;
    expect(out.objectness.shape).toEqual([2, N]);
    expect(out.rpnDeltas.shape).toEqual([2, N, 4]);
    const R = out.proposalBatch.length;
    expect(R).toBeGreaterThan(0);
    expect(R).toBeLessThanOrEqual(2 * FASTER_RCNN_DEFAULTS.rpnPostNmsTopNTest);
    expect(out.proposals.shape).toEqual([R, 4]);
    expect(out.classLogits.shape).toEqual([R, 4]);
    expect(out.boxDeltas.shape).toEqual([R, 3, 4]);
    const dets = m.detect(x);
    expect(dets).toHaveLength(2);
    for (const d of dets) {
      expect(d.boxes.length).toBe(d.labels.length);
      expect(d.labels.every((l) => l >= 0 && l < 3)).toBe(true);
      expect(d.boxes.every((b) => b[0] >= 0 && b[2] <= 32 && b[2] > b[0] && b[3] > b[1])).toBe(true);
    }
    tf.dispose([x, out.objectness, out.rpnDeltas, out.proposals, out.classLogits, out.boxDeltas]);
    m.dispose();
  });

  it('computes the losses of zero weights by hand: ln 2, RPN smooth L1 of the matched anchors, ln 4', () => {
    const cfg = { ...TINY, rpnBatchSizePerImage: 1000, rpnPositiveFraction: 1 }; // every positive and negative anchor is sampled
    const m = fasterRcnn(cfg);
    zeroWeights(m);
    const x = scene();
    const l = m.losses(x, [TARGET]);
    expectClose(l.rpnObjectness, Math.log(2), { atol: 1e-6, what: 'rpn objectness' });
    expectClose(l.classifier, Math.log(4), { atol: 1e-5, what: 'classifier' }); // 3 classes + background, uniform
    const gt = unflattenBoxes(TARGET.boxes);
    const match = matchAnchors(m.anchors, gt, { posIou: 0.6, negIou: 0.3 });
    let sampled = 0;
    let sum = 0;
    match.forEach((g, i) => {
      if (g === -2) return;
      sampled++;
      if (g >= 0) sum += smoothL1(encodeBox(gt[g], m.anchors.subarray(4 * i, 4 * i + 4), [1, 1, 1, 1]));
    });
    expectClose(l.rpnBox, sum / sampled, { rtol: 1e-5, what: 'rpn box' });
    expect(l.boxReg.dataSync()[0]).toBeGreaterThanOrEqual(0);
    expectClose(l.total, l.rpnObjectness.add(l.rpnBox).add(l.classifier).add(l.boxReg), { rtol: 1e-6 });
    tf.dispose([x, ...Object.values(l)]);
    m.dispose();
  });

  it('gives every parameter a finite gradient (RoI Pool variant) and leaks nothing', () => {
    manualSeed(1);
    const m = fasterRcnn({ ...TINY, roiOp: 'pool' });
    const x = scene();
    m.zeroGrad();
    expectNoLeak(() => backward(() => m.loss(x, [TARGET]), m), m.parameters().length);
    for (const [name, p] of m.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    m.zeroGrad();
    expectNoLeak(() => m.detect(x));
    const out = expectNoLeak(() => m.forward(x), 6);
    tf.dispose(Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
    tf.dispose(x);
    m.dispose();
  });

  it('rejects bad input and config with the values in the message', () => {
    const m = fasterRcnn(TINY);
    const nchw = tf.zeros([1, 1, 32, 32]);
    expect(() => m.forward(nchw)).toThrow('FasterRcnn: expected NHWC input [batch, 32, 32, 1], got shape [1,1,32,32]; this looks like NCHW');
    const x = tf.zeros([1, 32, 32, 1]);
    expect(() => m.losses(x, [])).toThrow('FasterRcnn: got 0 targets for a batch of 1 images');
    expect(() => m.losses(x, [{ boxes: [0, 0, 4, 4], labels: [3] }])).toThrow('FasterRcnn: target 0 label 0 (3) is outside [0, 2]');
    expect(() => m.losses(x, [{ boxes: [4, 0, 4, 4], labels: [1] }])).toThrow('FasterRcnn: target 0 box 0 [4,0,4,4] is empty');
    expect(() => fasterRcnn({ imageSize: 30, backboneChannels: [4, 8, 8] })).toThrow('FasterRcnn: imageSize (30) must be divisible by the backbone stride (4)');
    expect(() => fasterRcnn({ roiOp: 'warp' as 'align' })).toThrow("FasterRcnn: roiOp must be 'align' or 'pool', got 'warp'");
    tf.dispose([nchw, x]);
    m.dispose();
  });
});

describe('sampleBalanced', () => {
  it('caps positives at total·fraction and fills up with negatives, without repeats', () => {
    const gen = new Generator(0);
    const a = sampleBalanced([1, 2, 3], [10, 11, 12, 13, 14, 15], 4, 0.5, gen);
    expect([a.pos.length, a.neg.length]).toEqual([2, 2]);
    expect(a.pos.every((i) => [1, 2, 3].includes(i)) && new Set(a.pos).size === 2).toBe(true);
    expect(a.neg.every((i) => i >= 10) && new Set(a.neg).size === 2).toBe(true);
    const b = sampleBalanced([7], [10, 11, 12, 13, 14, 15], 4, 0.5, gen); // too few positives: negatives fill up
    expect([b.pos, b.neg.length]).toEqual([[7], 3]);
    const c = sampleBalanced([1, 2], [3], 8, 0.25, gen); // too few of both
    expect([c.pos.length, c.neg]).toEqual([2, [3]]);
  });
});

describe('groupingProposals', () => {
  it('proposes components and their merges, not across a wide gap', () => {
    // 12×12: a 2×3 blob at (1, 1), a 2×2 blob 2 px to its right, a 1-px speck (noise), a far blob.
    const img = new Float32Array(144);
    const fill = (x1: number, y1: number, x2: number, y2: number) => {
      for (let y = y1; y < y2; y++) for (let x = x1; x < x2; x++) img[y * 12 + x] = 1;
    };
    fill(1, 1, 3, 4);
    fill(5, 1, 7, 3);
    fill(10, 10, 12, 12);
    img[0 * 12 + 11] = 1;
    const p = groupingProposals(img, 12, 12, 1, { maxGap: 2, minPixels: 2 });
    expect(p).toEqual([
      [1, 1, 3, 4],
      [5, 1, 7, 3],
      [10, 10, 12, 12],
      [1, 1, 7, 4], // gap 2 merges the first two; the far blob is 3 + 6 away
    ]);
    expect(() => groupingProposals(img, 12, 11)).toThrow('groupingProposals: image has 144 values, expected 12·11·1 = 132');
  });
});

describe('Rcnn', () => {
  it('computes the losses of zero weights by hand: ln 4 and the box loss of one shifted proposal', () => {
    const m = rcnn({ ...TINY_RCNN, jitterPerBox: 0, batchSizePerImage: 8, positiveFraction: 1 });
    zeroWeights(m);
    const x = scene();
    // Candidates: proposals [2,2,8,10] and [20,18,28,30] plus both ground truth boxes, all foreground.
    // Only proposal 2 is off: tx = (24.5 - 24) / 8 / 0.1 = 0.625, tw = ln(7/8) / 0.2.
    const l = m.losses(x, [TARGET]);
    expectClose(l.classifier, Math.log(4), { atol: 1e-5, what: 'classifier' });
    expectClose(l.boxReg, smoothL1([0.625, 0, Math.log(7 / 8) / 0.2, 0]) / 4, { rtol: 1e-5, what: 'box' });
    tf.dispose([x, ...Object.values(l)]);
    m.dispose();
  });

  it('gives outputs of the documented shapes, finite gradients and no leak', () => {
    manualSeed(2);
    const m = rcnn(TINY_RCNN);
    const x = scene();
    const out = m.forward(x);
    expect(out.proposals.shape).toEqual([2, 4]);
    expectClose(out.proposals, [2, 2, 8, 10, 20, 18, 28, 30], { atol: 0 });
    expect(out.classLogits.shape).toEqual([2, 4]);
    expect(out.boxDeltas.shape).toEqual([2, 3, 4]);
    tf.dispose([out.proposals, out.classLogits, out.boxDeltas]);
    m.zeroGrad();
    expectNoLeak(() => backward(() => m.loss(x, [TARGET]), m), m.parameters().length);
    for (const [name, p] of m.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    m.zeroGrad();
    expectNoLeak(() => m.detect(x));
    const blank = tf.zeros([1, 32, 32, 1]);
    expect(m.detect(blank)).toEqual([{ boxes: [], labels: [], scores: [] }]);
    expect(() => rcnn({ cropSize: 10, channels: [4, 4] })).toThrow('Rcnn: cropSize (10) must be divisible by 2^2');
    tf.dispose([x, blank]);
    m.dispose();
  });
});

describe('registry', () => {
  it('registers faster_rcnn and rcnn with their digit-scene recipes', () => {
    for (const [name, cls, target] of [['faster_rcnn', FasterRcnn, 0.85], ['rcnn', Rcnn, 0.85]] as const) {
      const entry = registry.get(name);
      expect([entry.task, entry.domain]).toEqual(['object-detection', 'vision']);
      expect(entry.recipe!.metric).toBe('mAP@0.5');
      expect(entry.recipe!.target).toBeGreaterThanOrEqual(target);
      const m = registry.create(name, name === 'rcnn' ? TINY_RCNN : TINY);
      expect(m).toBeInstanceOf(cls);
      m.dispose();
    }
    expect(RCNN_DEFAULTS.imageSize).toBe(96);
  });
});
