import { nn, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { Generator } from '@neuralzoo/core';
import { Box } from './boxes';
import { Detector, detect, evaluateDetector, SceneSet, sceneImages, sceneTargets, shiftScene, Targets, trainDetector } from './detector';
import { Detections, PostprocessOptions } from './nms';

/**
 * A stand-in detector: one learnable scalar `s`; it predicts a fixed box [2,2,6,6] of class 0
 * with score sigmoid(s) per image whose first pixel is > 0.5, nothing otherwise. Its loss pulls s up.
 */
class BlobDetector extends nn.Module implements Detector {
  readonly numClasses = 2;
  readonly imageSize = 8;
  readonly s = this.registerParameter('s', new nn.Parameter(tf.scalar(0)));
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => x.slice([0, 0, 0, 0], [-1, 1, 1, 1]).reshape([-1, 1]).mul(this.s.data.sigmoid())); // [B, 1]
  }
  loss(output: tf.Tensor, targets: Targets[]): tf.Scalar {
    return tf.tidy(() => tf.sub(1, output.sum().div(targets.length)) as tf.Scalar);
  }
  decode(output: tf.Tensor, opts: PostprocessOptions = {}): Detections[] {
    const v = output.dataSync();
    return Array.from(v, (score) => (score > (opts.scoreThreshold ?? 0) ? { boxes: [[2, 2, 6, 6]], labels: [0], scores: [score] } : { boxes: [], labels: [], scores: [] }));
  }
}

/** 4 scenes 8×8: scenes 0 and 2 are "on" (first pixel 1) with an object [2,2,6,6] of class 0; scene 3 has an object of class 1. */
function scenes(): SceneSet {
  const images = new Float32Array(4 * 64);
  images[0] = 1;
  images[2 * 64] = 1;
  return {
    images,
    shape: [4, 8, 8, 1],
    boxes: [Float32Array.from([2, 2, 6, 6]), new Float32Array(0), Float32Array.from([2, 2, 6, 6]), Float32Array.from([0, 0, 3, 3])],
    labels: [Int32Array.from([0]), new Int32Array(0), Int32Array.from([0]), Int32Array.from([1])],
  };
}

describe('detector helpers', () => {
  it('slices scene images and targets', () => {
    const s = scenes();
    const x = sceneImages(s, [2, 0]);
    expect(x.shape).toEqual([2, 8, 8, 1]);
    expect(x.dataSync()[0]).toBe(1);
    x.dispose();
    expect(sceneTargets(s, 3)).toEqual({ boxes: [[0, 0, 3, 3]], labels: [1] });
  });

  it('detect runs in eval mode without gradients, restores the mode, accepts one image', () => {
    const m = new BlobDetector();
    m.train();
    const s = scenes();
    const x = sceneImages(s, [0, 1]);
    const det = expectNoLeak(() => detect(m, x, { scoreThreshold: 0.3 }));
    expect(det).toEqual([{ boxes: [[2, 2, 6, 6]], labels: [0], scores: [0.5] }, { boxes: [], labels: [], scores: [] }]);
    expect(m.training).toBe(true);
    const one = x.slice([0, 0, 0, 0], [1, 8, 8, 1]).reshape([8, 8, 1]);
    expect(detect(m, one).length).toBe(1);
    expect(() => detect(m, tf.zeros([8, 8]))).toThrow('detect: images must be [B, H, W, C] or [H, W, C], got shape [8,8]');
    tf.dispose([x, one]);
    m.dispose();
  });

  it('evaluateDetector gives VOC mAP over the classes that have objects', () => {
    const m = new BlobDetector();
    // Class 0: both objects found (AP 1); class 1: missed (AP 0); mean 0.5.
    const res = evaluateDetector(m, scenes(), { batchSize: 3, coco: true });
    expect(res.ap).toEqual([1, 0]);
    expect(res.map).toBe(0.5);
    expect(res.coco).toBe(0.5);
    m.dispose();
  });

  it('trainDetector takes Adam steps on shuffled batches and reports the mean loss per epoch', async () => {
    const m = new BlobDetector();
    const seen: number[] = [];
    const history = await trainDetector(m, scenes(), { epochs: 3, batchSize: 2, lr: 0.1, onEpoch: (e) => seen.push(e) });
    expect(seen).toEqual([0, 1, 2]);
    expect(history.length).toBe(3);
    expect(history[2]).toBeLessThan(history[0]);
    expect(m.s.data.dataSync()[0]).toBeGreaterThan(0.1);
    await expect(trainDetector(m, scenes(), { epochs: 1, batchSize: 5, lr: 0.1 })).rejects.toThrow('trainDetector: 4 scenes are fewer than one batch of 5');
    m.dispose();
  });
});

describe('shiftScene', () => {
  // 4×4 grey image with pixels 1…16 row by row; a stand-in generator picks the last (or first) offset allowed.
  const img = Float32Array.from({ length: 16 }, (_, i) => i + 1);
  const last = { randint: (n: number) => n - 1 } as unknown as Generator;
  const first = { randint: () => 0 } as unknown as Generator;

  it('moves pixels and boxes by the largest offset that keeps the box inside', () => {
    // Box [0,0,2,3]: dx in [0, min(5, 4 - 2)] = [0, 2], dy in [0, min(5, 4 - 3)] = [0, 1] -> (2, 1).
    const r = shiftScene(img, [4, 4, 1], [[0, 0, 2, 3]], 5, last);
    expect([r.dx, r.dy]).toEqual([2, 1]);
    expect(Array.from(r.pixels)).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 5, 6, 0, 0, 9, 10]);
    expect(r.boxes).toEqual([[2, 1, 4, 4]]);
  });

  it('shifts up and left within maxShift, zero-filling the right and bottom edges', () => {
    // Box [2,1,4,3], maxShift 1: dx in [max(-1, -2), 0] -> -1, dy in [max(-1, -1), 1] -> -1.
    const r = shiftScene(img, [4, 4, 1], [[2, 1, 4, 3]], 1, first);
    expect([r.dx, r.dy]).toEqual([-1, -1]);
    expect(Array.from(r.pixels)).toEqual([6, 7, 8, 0, 10, 11, 12, 0, 14, 15, 16, 0, 0, 0, 0, 0]);
    expect(r.boxes).toEqual([[1, 0, 3, 2]]);
    expect(Array.from(img.subarray(0, 4))).toEqual([1, 2, 3, 4]); // the input is not touched
  });

  it('keeps channels together and leaves an image whose boxes fill it in place', () => {
    const rgb = Float32Array.from({ length: 2 * 2 * 2 }, (_, i) => i); // 2×2, 2 channels
    const r = shiftScene(rgb, [2, 2, 2], [[0, 0, 1, 1]], 1, last); // dx = dy = 1
    expect(Array.from(r.pixels)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    const full = shiftScene(img, [4, 4, 1], [[0, 0, 4, 4]] as Box[], 3, last);
    expect([full.dx, full.dy, Array.from(full.pixels)]).toEqual([0, 0, Array.from(img)]);
  });

  it('trainDetector with maxShift trains on shifted copies and leaves the scenes untouched', async () => {
    // The blob detector only sees pixel (0, 0): shifted scenes mostly move the "on" pixel away, so
    // its mean loss over the 4 scenes stays above the unshifted 0.5 · (1 - σ(s)) floor.
    const m = new BlobDetector();
    const s = scenes();
    const before = Array.from(s.images);
    const history = await trainDetector(m, s, { epochs: 2, batchSize: 2, lr: 0.1, maxShift: 2 });
    expect(history.length).toBe(2);
    expect(history.every((l) => l > 0.5 && l <= 1)).toBe(true);
    expect(Array.from(s.images)).toEqual(before);
    m.dispose();
  });
});
