import { backward, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { SSD_DEFAULTS, SSD_SCENES_RECIPE, Ssd, ssd, ssdLoss } from './index';

const LN2 = Math.log(2);
type Box4 = [number, number, number, number];

describe('ssdLoss', () => {
  // Three default boxes, one class (+ background): d0 matches the object exactly.
  const defaults = Float32Array.from([0, 0, 4, 4, 4, 4, 8, 8, 0, 4, 4, 8]);
  const targets = [{ boxes: [[0, 0, 4, 4]] as Box4[], labels: [0] }];
  const cfg = { numClasses: 1, posIou: 0.5, negPosRatio: 3, variances: [0.1, 0.1, 0.2, 0.2] as Box4 };
  // Raw outputs [1, 3, 6]: d0 offsets (1, 0, 0, 0) against a zero target -> smooth-L1 0.5;
  // d1 scores (bg 2, class 0) -> CE log(1 + e^-2); d2 scores (bg 0, class 2) -> CE log(1 + e^2).
  const out = () =>
    tf.tensor3d([
      [
        [1, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 2, 0],
        [0, 0, 0, 0, 0, 2],
      ],
    ]);
  const ce1 = Math.log(1 + Math.exp(-2));
  const ce2 = Math.log(1 + Math.exp(2));

  it('sums smooth-L1 on positives and CE on positives + hard negatives, per positive', () => {
    const o = out();
    const all = expectNoLeak(() => ssdLoss(o, targets, defaults, cfg), 1);
    expectClose(all, 0.5 + LN2 + ce1 + ce2, { rtol: 1e-5 }); // 3 negatives allowed, 2 exist
    const one = ssdLoss(o, targets, defaults, { ...cfg, negPosRatio: 1 });
    expectClose(one, 0.5 + LN2 + ce2, { rtol: 1e-5 }); // the hardest negative is d2
    const none = ssdLoss(o, targets, defaults, { ...cfg, negPosRatio: 0 });
    expectClose(none, 0.5 + LN2, { rtol: 1e-5 });
    tf.dispose([o, all, one, none]);
  });

  it('divides by the positives of the whole batch and is 0 without objects', () => {
    const o = tf.concat([out(), out()]);
    const two = ssdLoss(o, [targets[0], { boxes: [], labels: [] }], defaults, cfg);
    expectClose(two, 0.5 + LN2 + ce1 + ce2, { rtol: 1e-5 }); // the empty image mines no negatives
    const empty = ssdLoss(o, [{ boxes: [], labels: [] }, { boxes: [], labels: [] }], defaults, cfg);
    expectClose(empty, 0);
    expect(() => ssdLoss(o, targets, defaults, cfg)).toThrow('ssdLoss: 1 targets for a batch of 2');
    expect(() => ssdLoss(tf.zeros([1, 3, 5]), targets, defaults, cfg)).toThrow('ssdLoss: expected output [batch, 3, 6] (default boxes, 4 offsets + 2 class scores), got shape [1,3,5]');
    tf.dispose([o, two, empty]);
  });
});

describe('Ssd', () => {
  let model: Ssd;
  beforeAll(() => (model = ssd({ imageSize: 32, widths: [4, 8], neckWidths: [8], extraWidths: [8, 8] })));
  afterAll(() => model.dispose());

  it('has default boxes on 3 maps and outputs [B, N, 5 + C]', () => {
    expect(model.numBoxes).toBe(8 * 8 * 6 + 4 * 4 * 6 + 2 * 2 * 4);
    const full = ssd();
    expect(full.numBoxes).toBe(12 * 12 * 6 + 6 * 6 * 6 + 3 * 3 * 4);
    full.dispose();
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 4);
    const y = expectNoLeak(() => model.forward(x), 1);
    expect(y.shape).toEqual([2, model.numBoxes, 15]);
    // Zero outputs decode to the default boxes with uniform class probabilities 1/11.
    const zeros = tf.zeros([1, model.numBoxes, 15]);
    const det = expectNoLeak(() => model.decode(zeros, { scoreThreshold: 0.05, iouThreshold: 1, topK: 10000, preNmsTopK: 10000 }));
    expect(det[0].boxes.length).toBe(model.numBoxes * 10);
    expect(det[0].scores[0]).toBeCloseTo(1 / 11, 5);
    expectClose(det[0].boxes[0], model.defaultBoxes.subarray(0, 4), { atol: 1e-4 });
    tf.dispose([x, y, zeros]);
  });

  it('puts the neck convs between the backbone and the first source map', () => {
    // One 8 -> 8 neck conv: 8·8·3·3 weights + BatchNorm weight and bias (8 each) = 592 parameters;
    // every other layer keeps its shape, since the neck keeps the backbone's 8 channels.
    const bare = ssd({ imageSize: 32, widths: [4, 8], neckWidths: [], extraWidths: [8, 8] });
    expect(model.numParameters() - bare.numParameters()).toBe(8 * 8 * 9 + 2 * 8);
    expect(model.namedParameters().find(([k]) => k === 'neck.0.conv.weight')![1].data.shape).toEqual([8, 8, 3, 3]);
    expect(bare.namedParameters().some(([k]) => k.startsWith('neck.'))).toBe(false);
    const x = tf.randomUniform([1, 32, 32, 1], 0, 1, 'float32', 6);
    const [a, b] = [bare.forward(x), model.forward(x)];
    expect(a.shape).toEqual(b.shape);
    expect(() => ssd({ neckWidths: [0] })).toThrow('Ssd: neckWidths must be positive integers, got [0]');
    tf.dispose([x, a, b]);
    bare.dispose();
  });

  it('gives every parameter a finite gradient without leaking', () => {
    const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 5);
    const targets = [{ boxes: [[3, 4, 10, 16]] as Box4[], labels: [7] }, { boxes: [[20, 2, 30, 12]] as Box4[], labels: [1] }];
    model.zeroGrad();
    const loss = expectNoLeak(() => backward(() => model.loss(model.forward(x), targets), model), model.parameters().length);
    expect(loss).toBeGreaterThan(0);
    for (const [name, p] of model.namedParameters()) expect([name, Array.from(p.grad!.dataSync()).every(Number.isFinite)]).toEqual([name, true]);
    model.zeroGrad();
    x.dispose();
  });

  it('validates its config and input, and is registered with its recipe', () => {
    expect(() => ssd({ aspectRatios: [[2]] })).toThrow('Ssd: aspectRatios needs one list per source map (3), got 1');
    expect(() => ssd({ imageSize: 100 })).toThrow('Ssd: imageSize (100) must be divisible by 2^5 (32) for 5 stride-2 layers');
    const x = tf.zeros([1, 32, 32, 3]);
    expect(() => model.forward(x)).toThrow('Ssd: expected NHWC input [batch, 32, 32, 1], got shape [1,32,32,3]');
    x.dispose();
    expect(registry.get('ssd').recipe).toBe(SSD_SCENES_RECIPE);
    expect(SSD_SCENES_RECIPE.target).toBeGreaterThanOrEqual(0.85);
    const m = registry.create<Ssd>('ssd', { numClasses: 3 });
    expect(m.config).toEqual({ ...SSD_DEFAULTS, numClasses: 3 });
    m.dispose();
  });
});
