import { tf } from '@neuralzoo/core';
import { digitScenes, loadMnist } from '@neuralzoo/datasets';
import { DIGIT_SCENES } from '../detection/recipe';
import { iou, unflattenBoxes } from '../detection/boxes';
import { defaultDetectorWeights, detectImage, loadDetector } from './detect';

/** Share of ground-truth digits found by a detection of the same class with IoU > 0.5 (each detection used once). */
function recall(found: { boxes: number[][]; labels: number[] }, boxes: number[][], labels: number[]): number {
  const used = new Set<number>();
  let hit = 0;
  boxes.forEach((gt, k) => {
    const j = found.boxes.findIndex((b, d) => !used.has(d) && found.labels[d] === labels[k] && iou(b, gt) > 0.5);
    if (j >= 0) {
      used.add(j);
      hit++;
    }
  });
  return hit / boxes.length;
}

describe('detection on images with the committed YOLO v1 digit weights', () => {
  it('finds most digits (score >= 0.1, IoU > 0.5, right class) of held-out MNIST-test scenes, also from a 2× RGB copy with boxes mapped back', async () => {
    const weights = defaultDetectorWeights('yolo_v1');
    expect(weights).toMatch(/weights[/\\]yolo_v1_digits\.safetensors$/);
    const { model, name, metadata } = await loadDetector(weights!, 'yolo_v1');
    expect(name).toBe('yolo_v1');
    expect([model.numClasses, model.imageSize, JSON.parse(metadata.config).inChannels]).toEqual([10, 96, 1]);
    const scenes = digitScenes({ digits: loadMnist({ split: 'test' }), ...DIGIT_SCENES.test, count: 8 });
    let hits = 0;
    let total = 0;
    for (let i = 0; i < 8; i++) {
      const img = tf.tensor4d(scenes.images.subarray(i * 96 * 96, (i + 1) * 96 * 96), [1, 96, 96, 1]);
      const gt = unflattenBoxes(scenes.boxes[i]);
      const labels = Array.from(scenes.labels[i]);
      const found = detectImage(model, img, { scoreThreshold: 0.1 });
      const r = recall(found, gt, labels);
      hits += r * gt.length;
      total += gt.length;
      if (i === 0) {
        // The same scene at 192×192 in RGB: resized back to 96 and grey-converted; boxes in the big image's pixels.
        const big = tf.tidy(() => tf.image.resizeBilinear(img, [192, 192], false, true).tile([1, 1, 1, 3]));
        const before = tf.memory().numTensors;
        const foundBig = detectImage(model, big, { scoreThreshold: 0.1 });
        expect(tf.memory().numTensors).toBe(before);
        expect(recall(foundBig, gt.map((b) => b.map((v) => 2 * v)), labels)).toBeGreaterThanOrEqual(r - 0.34);
        big.dispose();
      }
      img.dispose();
    }
    // Measured on the committed weights (mAP@0.5 0.866 on the 500 test scenes): 89% of 200 digits
    // found at score 0.1 (78% at 0.3); the earlier 0.62 weights found 72%. > 50% leaves room for others.
    expect(hits / total).toBeGreaterThan(0.5);
    model.dispose();
  });

  it('names a missing weights file, a file of another model and a non-detector', async () => {
    await expect(loadDetector('/nonexistent/w.safetensors')).rejects.toThrow('loadDetector: /nonexistent/w.safetensors: no such weights file');
    const weights = defaultDetectorWeights('yolo_v1')!;
    await expect(loadDetector(weights, 'ssd')).rejects.toThrow(`loadDetector: ${weights} holds weights of 'yolo_v1', not 'ssd'`);
    expect(defaultDetectorWeights('faster_rcnn')).toBeNull();
    const { model } = await loadDetector(weights);
    expect(() => detectImage(model, tf.zeros([2, 96, 96, 1]))).toThrow('detectImage: expected one image [H, W, C] or [1, H, W, C], got shape [2,96,96,1]');
    model.dispose();
  });
});
