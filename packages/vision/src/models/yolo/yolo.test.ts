import { backward, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { YOLO_V1_DEFAULTS, YOLO_V1_SCENES_RECIPE, YOLO_V3_SCENES_RECIPE, YoloV1, yoloV1, yoloV1Loss, YoloV3, yoloV3, yoloV3Layout, yoloV3Loss } from './index';

const LN2 = Math.log(2);

describe('yoloV1Loss', () => {
  // S = 2, one box per cell, 2 classes, 4×4 image (2-px cells); all-zero outputs: every sigmoid is
  // 0.5, so each cell predicts a box centred in it of relative size 0.25 and confidence 0.5.
  const cfg = { gridSize: 2, boxesPerCell: 1, numClasses: 2, imageSize: 4, lambdaCoord: 5, lambdaNoobj: 0.5 };

  it('matches the hand-computed paper loss', () => {
    const out = tf.zeros([1, 2, 2, 7]);
    // Object [0,0,2,2] in cell (0,0): offset (0.5, 0.5), √w = √h = √0.5; predicted box [.125,.125,.375,.375]
    // vs. target [0,0,.5,.5]: IoU 0.25, the confidence target.
    const targets = [{ boxes: [[0, 0, 2, 2]] as [number, number, number, number][], labels: [1] }];
    const coord = 5 * 2 * (0.5 - Math.SQRT1_2) ** 2;
    const confObj = (0.5 - 0.25) ** 2;
    const confNoobj = 0.5 * 3 * 0.25;
    const cls = 0.25 + 0.25; // softmax (0.5, 0.5) vs one-hot (0, 1)
    const loss = expectNoLeak(() => yoloV1Loss(out, targets, cfg), 1);
    expectClose(loss, coord + confObj + confNoobj + cls, { rtol: 1e-5 });
    // The batch mean: a second, empty image adds 4 · 0.5 · 0.25 to the sum and halves it.
    const out2 = tf.zeros([2, 2, 2, 7]);
    const loss2 = yoloV1Loss(out2, [...targets, { boxes: [], labels: [] }], cfg);
    expectClose(loss2, (coord + confObj + confNoobj + cls + 0.5) / 2, { rtol: 1e-5 });
    tf.dispose([out, out2, loss, loss2]);
  });

  it('names wrong outputs, targets and labels', () => {
    const out = tf.zeros([1, 2, 2, 6]);
    expect(() => yoloV1Loss(out, [{ boxes: [], labels: [] }], cfg)).toThrow('yoloV1Loss: expected output [batch, 2, 2, 7], got shape [1,2,2,6]');
    const ok = tf.zeros([1, 2, 2, 7]);
    expect(() => yoloV1Loss(ok, [], cfg)).toThrow('yoloV1Loss: 0 targets for a batch of 1');
    expect(() => yoloV1Loss(ok, [{ boxes: [[0, 0, 1, 1]], labels: [2] }], cfg)).toThrow('yoloV1Loss: label 2 is outside [0, 2)');
    tf.dispose([out, ok]);
  });
});

describe('yoloV3Loss', () => {
  // One head: 2×2 grid of stride 4 on an 8×8 image, one 4×4 anchor, 2 classes: N = 4 predictions.
  const layout = yoloV3Layout([{ side: 2, stride: 4, anchors: [[4, 4]] }]);

  it('lays out predictions by (row, column, anchor)', () => {
    expect(layout.n).toBe(4);
    expect(Array.from(layout.grid)).toEqual([0, 0, 1, 0, 0, 1, 1, 1]);
    expect(Array.from(layout.strides)).toEqual([4, 4, 4, 4]);
  });

  it('matches the hand-computed loss, with and without the ignore rule', () => {
    // Object [2,0,6,4] (class 0), centre (4, 2): cell column 1, row 0 -> prediction 1; targets
    // x* = 0, y* = 0.5, log(w/a) = 0; σ(0) = 0.5 gives a box error of 0.25, weighted by
    // 2 - 16/64 = 1.75. Prediction 0's box [0,0,4,4] overlaps the object by 1/3.
    const out = tf.zeros([1, 4, 7]);
    const targets = [{ boxes: [[2, 0, 6, 4]] as [number, number, number, number][], labels: [0] }];
    const box = 1.75 * 0.25;
    const l5 = expectNoLeak(() => yoloV3Loss(out, targets, layout, { numClasses: 2, imageSize: 8, ignoreIou: 0.5, assignIou: 1 }), 1);
    expectClose(l5, box + 4 * LN2 + 2 * LN2, { rtol: 1e-5 }); // 4 objectness BCEs + 2 class BCEs
    const l3 = yoloV3Loss(out, targets, layout, { numClasses: 2, imageSize: 8, ignoreIou: 0.3, assignIou: 1 });
    expectClose(l3, box + 3 * LN2 + 2 * LN2, { rtol: 1e-5 }); // prediction 0 is ignored
    tf.dispose([out, l5, l3]);
  });

  it('assigns an object to every anchor whose shape fits it with IoU >= assignIou', () => {
    // Two anchors per cell, 4×4 and 2×4: N = 8. The 4×4 object [2,0,6,4] fits them with IoU 1 and
    // 8/16 = 0.5. Predictions 2 and 3 (row 0, column 1). All-zero outputs: anchor 0's box error is
    // 0.25 as above; anchor 1's adds (0 - log(4/2))² for the width, each weighted by 1.75. No
    // prediction overlaps the object by more than 1/3, so nothing is ignored: 8 objectness BCEs.
    const two = yoloV3Layout([{ side: 2, stride: 4, anchors: [[4, 4], [2, 4]] }]);
    const out = tf.zeros([1, 8, 7]);
    const targets = [{ boxes: [[2, 0, 6, 4]] as [number, number, number, number][], labels: [1] }];
    const cfg = { numClasses: 2, imageSize: 8, ignoreIou: 0.5 };
    const single = yoloV3Loss(out, targets, two, { ...cfg, assignIou: 1 });
    expectClose(single, 1.75 * 0.25 + 8 * LN2 + 2 * LN2, { rtol: 1e-5 });
    const both = expectNoLeak(() => yoloV3Loss(out, targets, two, { ...cfg, assignIou: 0.5 }), 1);
    expectClose(both, 1.75 * (0.25 + 0.25 + LN2 ** 2) + 8 * LN2 + 4 * LN2, { rtol: 1e-5 });
    // Just above the second anchor's fit: back to one positive.
    const one = yoloV3Loss(out, targets, two, { ...cfg, assignIou: 0.51 });
    expectClose(one, 1.75 * 0.25 + 8 * LN2 + 2 * LN2, { rtol: 1e-5 });
    // The gradient reaches the second anchor's width logit: d/dtw 1.75·(tw - ln 2)² at 0 = -3.5·ln 2.
    const g = tf.grad((o: tf.Tensor) => yoloV3Loss(o, targets, two, { ...cfg, assignIou: 0.5 }))(out);
    expectClose(g.slice([0, 3, 2], [1, 1, 1]), [-3.5 * LN2], { rtol: 1e-5 });
    tf.dispose([out, single, both, one, g]);
  });
});

describe('YoloV1', () => {
  let model: YoloV1;
  beforeAll(() => (model = yoloV1({ imageSize: 32, widths: [4, 8], neckWidths: [8], gridSize: 8 })));
  afterAll(() => model.dispose());

  it('maps [B, 32, 32, 1] to [B, S, S, 5B + C] and decodes to detections', () => {
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 1);
    const y = expectNoLeak(() => model.forward(x), 1);
    expect(y.shape).toEqual([2, 8, 8, 20]);
    const dets = expectNoLeak(() => model.decode(y, { scoreThreshold: 0 }));
    expect(dets.length).toBe(2);
    expect(dets[0].boxes.length).toBeGreaterThan(0);
    for (const s of dets[0].scores) expect(s).toBeLessThanOrEqual(1);
    tf.dispose([x, y]);
  });

  it('gives every parameter a finite gradient without leaking', () => {
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 2);
    const targets = [{ boxes: [[2, 3, 12, 15]] as [number, number, number, number][], labels: [3] }, { boxes: [], labels: [] }];
    model.zeroGrad();
    const loss = expectNoLeak(() => backward(() => model.loss(model.forward(x), targets), model), model.parameters().length);
    expect(Number.isFinite(loss)).toBe(true);
    for (const [name, p] of model.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    model.zeroGrad();
    x.dispose();
  });

  it('validates its config and input', () => {
    expect(() => yoloV1({ gridSize: 7 })).toThrow('YoloV1: imageSize (96) must equal gridSize (7) · 2^3 (56) for 3 stride-2 stages');
    const cfg = { boxesPerCell: 3 };
    const m = yoloV1(cfg);
    expect(cfg).toEqual({ boxesPerCell: 3 });
    expect(m.config).toEqual({ ...YOLO_V1_DEFAULTS, boxesPerCell: 3 });
    const x = tf.zeros([1, 1, 96, 96]);
    expect(() => m.forward(x)).toThrow('YoloV1: expected NHWC input [batch, 96, 96, 1], got shape [1,1,96,96]');
    tf.dispose(x);
    m.dispose();
  });
});

describe('YoloV3', () => {
  it('concatenates both heads into [B, N, 5 + C] and decodes boxes around the anchors', () => {
    const model = yoloV3({ imageSize: 32, widths: [4, 8, 8] });
    expect(model.layout.n).toBe(8 * 8 * 3 + 4 * 4 * 3);
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 3);
    const y = expectNoLeak(() => model.forward(x), 1);
    expect(y.shape).toEqual([2, 240, 15]);
    // All-zero raw outputs decode to anchor-sized boxes centred in their cells: score σ(0)² = 0.25.
    const zeros = tf.zeros([1, 240, 15]);
    const det = model.decode(zeros, { scoreThreshold: 0.2, iouThreshold: 1, topK: 1000 });
    expect(det[0].scores.every((s) => Math.abs(s - 0.25) < 1e-6)).toBe(true);
    expect(det[0].boxes).toContainEqual([2 - 3.5, 2 - 6, 2 + 3.5, 2 + 6]); // fine cell (0, 0), stride 4: centre (2, 2), anchor 7×12
    tf.dispose([x, y, zeros]);
    model.dispose();
  });
});

describe('YOLO registry entries', () => {
  it('registers yolo_v1 and yolo_v3 with their scenes recipes', () => {
    expect(registry.get('yolo_v1').recipe).toBe(YOLO_V1_SCENES_RECIPE);
    expect(registry.get('yolo_v3').recipe).toBe(YOLO_V3_SCENES_RECIPE);
    expect([registry.get('yolo_v3').task, YOLO_V3_SCENES_RECIPE.metric, YOLO_V3_SCENES_RECIPE.target]).toEqual(['object-detection', 'mAP@0.5', 0.85]);
    const m = registry.create<YoloV3>('yolo_v3', { numClasses: 3 });
    expect(m).toBeInstanceOf(YoloV3);
    expect(m.layout.n).toBe(12 * 12 * 3 + 6 * 6 * 3);
    m.dispose();
    expect(() => yoloV3({ anchors: [[[4, 4]], []] })).toThrow('YoloV3: anchors must hold 2 lists (fine, coarse) of the same length, got lengths [1,0]');
  });
});
