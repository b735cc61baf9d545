import { nn, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { Detector, detect, evaluateDetector, SceneSet, sceneImages, sceneTargets, Targets, trainDetector } from './detector';
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
