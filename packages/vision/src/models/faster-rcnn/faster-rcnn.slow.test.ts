import { manualSeed, tf } from '@neuralzoo/core';
import { digitScenes, loadMnist } from '@neuralzoo/datasets';
import { iou, unflattenBoxes } from '../../detection/boxes';
import { evaluateTwoStage, FasterRcnn, fasterRcnn, rcnn, trainTwoStage } from './index';

// Short runs on SYNTHETIC digit scenes (real MNIST digits, 96×96; about 35 s of CPU in all); the
// recipes (README) reach mAP@0.5 >= 0.85 on 300 held-out scenes.
const spec = { size: 96, minDigits: 1, maxDigits: 4 };

/** RPN objectness loss and proposal recall@0.5 on 16 held-out scenes. */
function rpnQuality(m: FasterRcnn, scenes: ReturnType<typeof digitScenes>): { objectness: number; recall: number } {
  const x = tf.tensor4d(scenes.images.subarray(0, 16 * 96 * 96), [16, 96, 96, 1]);
  const l = m.losses(x, Array.from({ length: 16 }, (_, i) => ({ boxes: scenes.boxes[i], labels: scenes.labels[i] })));
  const objectness = l.rpnObjectness.dataSync()[0];
  const out = m.forward(x);
  const props = out.proposals.dataSync();
  let found = 0;
  let total = 0;
  for (let b = 0; b < 16; b++)
    for (const g of unflattenBoxes(scenes.boxes[b])) {
      total++;
      let best = 0;
      out.proposalBatch.forEach((bb, r) => bb === b && (best = Math.max(best, iou(props.subarray(4 * r, 4 * r + 4), g))));
      if (best >= 0.5) found++;
    }
  tf.dispose([x, ...Object.values(l), out.objectness, out.rpnDeltas, out.proposals, out.classLogits, out.boxDeltas]);
  return { objectness, recall: found / total };
}

describe('two-stage detectors learn digit scenes', () => {
  const train = digitScenes({ digits: loadMnist({ split: 'train' }), count: 192, seed: 1, ...spec });
  const test = digitScenes({ digits: loadMnist({ split: 'test' }), count: 64, seed: 2, ...spec });

  it('Faster R-CNN: after 96 steps the RPN separates digits from background and proposes them', () => {
    manualSeed(0);
    const m = fasterRcnn();
    const before = rpnQuality(m, test);
    expect(before.objectness).toBeGreaterThan(0.6); // ≈ ln 2 at init
    trainTwoStage(m, train, { epochs: 4, batchSize: 8, lr: 4e-3 });
    const after = rpnQuality(m, test);
    expect(after.objectness).toBeLessThan(0.4);
    expect(after.recall).toBeGreaterThan(0.6);
    m.dispose();
  });

  it('R-CNN: mAP@0.5 > 0.6 on held-out scenes after 96 steps', () => {
    manualSeed(0);
    const m = rcnn();
    const losses = trainTwoStage(m, train, { epochs: 4, batchSize: 8, lr: 3e-3 });
    expect(losses[3]).toBeLessThan(0.7 * losses[0]);
    expect(evaluateTwoStage(m, test, { numClasses: 10 }).map).toBeGreaterThan(0.6);
    m.dispose();
  });
});
