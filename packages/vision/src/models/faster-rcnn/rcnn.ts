/**
 * R-CNN (Girshick, Donahue, Darrell & Malik, 2014, "Rich feature hierarchies for accurate object
 * detection and semantic segmentation"), the simpler ancestor of Faster R-CNN: class-agnostic
 * region proposals from bottom-up grouping (`groupingProposals`, selective-search style), each
 * proposal warped with some context to a fixed square crop, and every crop classified on its own
 * by a small CNN (softmax over classes + background, in place of the paper's per-class SVMs) with
 * per-class box regression. Images NHWC [B, S, S, C]; boxes xyxy in pixels.
 */
import { defaultGenerator, F, Generator, nn, noGrad, tf } from '@neuralzoo/core';
import { Box } from '../../detection/boxes';
import type { Detections } from '../../detection/nms';
import { RcnnConfig, resolveRcnnConfig } from './config';
import { checkTarget, DetectionTarget, ownClassBoxLoss, regionDetections, sampleRoiTargets } from './faster-rcnn';
import { groupingProposals } from './proposals';

/** Dense outputs of one forward pass. */
export interface RcnnOutput {
  /** Proposals of all images [R, 4], xyxy pixels. */
  proposals: tf.Tensor2D;
  /** Image index of each proposal [R]. */
  proposalBatch: Int32Array;
  /** Class logits [R, numClasses + 1]; column 0 is background. */
  classLogits: tf.Tensor2D;
  /** Per-class deltas [R, numClasses, 4] (variances 0.1, 0.1, 0.2, 0.2) against the proposals. */
  boxDeltas: tf.Tensor3D;
}

/** The crop classifier: conv 3×3 + ReLU + 2×2 max pool stages, fc + ReLU, class logits and per-class deltas. */
export class CropCnn extends nn.Module {
  readonly convs: nn.Conv2d[];
  readonly fc: nn.Linear;
  readonly clsScore: nn.Linear;
  readonly bboxPred: nn.Linear;
  private readonly pool = new nn.MaxPool2d(2);
  constructor(inChannels: number, widths: number[], cropSize: number, hidden: number, readonly numClasses: number) {
    super();
    this.convs = widths.map((w, i) => this.registerModule(`conv${i + 1}`, new nn.Conv2d(i === 0 ? inChannels : widths[i - 1], w, 3, { padding: 1 })));
    const side = cropSize / 2 ** widths.length;
    this.fc = this.registerModule('fc', new nn.Linear(side * side * widths[widths.length - 1], hidden));
    this.clsScore = this.registerModule('cls_score', new nn.Linear(hidden, numClasses + 1));
    this.bboxPred = this.registerModule('bbox_pred', new nn.Linear(hidden, 4 * numClasses));
  }
  /** crops [R, P, P, C] -> logits [R, K + 1], deltas [R, K, 4]. */
  forward(crops: tf.Tensor4D): [tf.Tensor2D, tf.Tensor3D] {
    return tf.tidy(() => {
      const R = crops.shape[0];
      let h: tf.Tensor = crops;
      for (const conv of this.convs) h = this.pool.forward(tf.relu(conv.forward(h)) as tf.Tensor4D); // halve P
      h = tf.relu(this.fc.forward(h.reshape([R, h.size / Math.max(R, 1)]))); // [R, hidden]
      return [this.clsScore.forward(h) as tf.Tensor2D, this.bboxPred.forward(h).reshape([R, this.numClasses, 4]) as tf.Tensor3D];
    });
  }
}

export class Rcnn extends nn.Module {
  readonly config: Readonly<RcnnConfig>;
  readonly cnn: CropCnn;
  /** Generator of the training sampler and box jitter; `manualSeed` seeds the default one. */
  generator: Generator = defaultGenerator;

  constructor(config: Partial<RcnnConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveRcnnConfig(config)));
    this.cnn = this.registerModule('cnn', new CropCnn(cfg.inChannels, cfg.channels, cfg.cropSize, cfg.hidden, cfg.numClasses));
  }

  /** Grouping proposals of every image of `x` [B, S, S, C] (no gradient). */
  propose(x: tf.Tensor): Box[][] {
    this.checkInput(x);
    const { imageSize: S, inChannels: C } = this.config;
    const px = x.dataSync();
    const opts = { threshold: this.config.proposalThreshold, maxGap: this.config.proposalMaxGap, maxSide: this.config.proposalMaxSide };
    return Array.from({ length: x.shape[0] }, (_, b) => groupingProposals(px.subarray(b * S * S * C, (b + 1) * S * S * C), S, S, C, opts));
  }

  /**
   * Warped crops [R, P, P, C] of xyxy pixel boxes (x2, y2 exclusive) grown by `context` pixels per
   * side, bilinear (tf.image.cropAndResize; outside the image reads 0).
   */
  crops(x: tf.Tensor, rois: ArrayLike<number>, batch: Int32Array): tf.Tensor4D {
    const { imageSize: S, cropSize: P, context: m } = this.config;
    const R = batch.length;
    const norm = new Float32Array(R * 4); // [y1, x1, y2, x2] of pixel centres / (S - 1)
    for (let r = 0; r < R; r++) {
      const [x1, y1, x2, y2] = [rois[4 * r] - m, rois[4 * r + 1] - m, rois[4 * r + 2] + m, rois[4 * r + 3] + m];
      norm.set([y1 / (S - 1), x1 / (S - 1), (y2 - 1) / (S - 1), (x2 - 1) / (S - 1)], 4 * r);
    }
    return tf.tidy(() => tf.image.cropAndResize(x as tf.Tensor4D, tf.tensor2d(norm, [R, 4]), tf.tensor1d(batch, 'int32'), [P, P], 'bilinear', 0));
  }

  /** Inference pass with dense outputs (see `RcnnOutput`); use `detect` for boxes. */
  forward(x: tf.Tensor): RcnnOutput {
    const props = this.propose(x);
    return tf.tidy(() => {
      const R = props.reduce((n, p) => n + p.length, 0);
      const rois = new Float32Array(R * 4);
      const batch = new Int32Array(R);
      let r = 0;
      props.forEach((p, b) => p.forEach((box) => (rois.set(box, 4 * r), (batch[r++] = b))));
      if (R === 0) {
        const K = this.config.numClasses;
        return { proposals: tf.zeros([0, 4]), proposalBatch: batch, classLogits: tf.zeros([0, K + 1]), boxDeltas: tf.zeros([0, K, 4]) };
      }
      const [classLogits, boxDeltas] = this.cnn.forward(this.crops(x, rois, batch));
      return { proposals: tf.tensor2d(rois, [R, 4]), proposalBatch: batch, classLogits, boxDeltas };
    }) as RcnnOutput;
  }

  /** Training losses: CE over sampled crops, smooth L1 on the foreground's own class deltas divided by the sample size. */
  losses(x: tf.Tensor, targets: DetectionTarget[]): { classifier: tf.Scalar; boxReg: tf.Scalar; total: tf.Scalar } {
    this.checkInput(x);
    if (targets.length !== x.shape[0]) throw new Error(`Rcnn: got ${targets.length} targets for a batch of ${x.shape[0]} images`);
    const cfg = this.config;
    const K = cfg.numClasses;
    const gts = targets.map((t, b) => checkTarget(t, b, K, 'Rcnn'));
    const props = this.propose(x);
    const candidatesOf = (b: number): Box[] => {
      const { boxes } = gts[b];
      return [...props[b], ...boxes, ...boxes.flatMap((g) => Array.from({ length: cfg.jitterPerBox }, () => this.jitter(g)))];
    };
    const { rois, batch, labels, regRows, regT } = sampleRoiTargets(candidatesOf, gts, cfg.fgIou, cfg.batchSizePerImage, cfg.positiveFraction, K, this.generator);
    return tf.tidy(() => {
      const [logits, deltas] = this.cnn.forward(this.crops(x, rois, Int32Array.from(batch)));
      const classifier = F.crossEntropy(logits, tf.tensor1d(labels, 'int32')) as tf.Scalar;
      const boxReg = ownClassBoxLoss(deltas, regRows, regT);
      return { classifier, boxReg, total: classifier.add(boxReg) as tf.Scalar };
    });
  }

  /** Sum of the training losses (a scalar for `backward`). */
  loss(x: tf.Tensor, targets: DetectionTarget[]): tf.Scalar {
    return tf.tidy(() => this.losses(x, targets).total);
  }

  /** Detections per image: boxes xyxy in pixels, labels 0 … numClasses-1, scores; highest score first. */
  detect(x: tf.Tensor): Detections[] {
    const cfg = this.config;
    const opts = { numClasses: cfg.numClasses, imageSize: cfg.imageSize, scoreThresh: cfg.scoreThresh, nmsThresh: cfg.nmsThresh, detectionsPerImage: cfg.detectionsPerImage };
    let found: Detections[] = [];
    noGrad(() => tf.tidy(() => void (found = regionDetections(this.forward(x), x.shape[0], opts))));
    return found;
  }

  /** A ground truth box shifted and scaled by up to ±15% of its size (training candidates). */
  private jitter(g: Box): Box {
    const w = g[2] - g[0];
    const h = g[3] - g[1];
    const u = () => (this.generator.random() * 2 - 1) * 0.15;
    const cx = (g[0] + g[2]) / 2 + u() * w;
    const cy = (g[1] + g[3]) / 2 + u() * h;
    const nw = w * (1 + u());
    const nh = h * (1 + u());
    return [cx - nw / 2, cy - nh / 2, cx + nw / 2, cy + nh / 2];
  }

  private checkInput(x: tf.Tensor): void {
    const { imageSize: s, inChannels: c } = this.config;
    if (x.rank === 4 && x.shape[1] === s && x.shape[2] === s && x.shape[3] === c && x.shape[0] > 0) return;
    const nchw = x.rank === 4 && x.shape[1] === c && x.shape[2] === s && x.shape[3] === s;
    const hint = nchw ? `; this looks like NCHW [batch, ${c}, ${s}, ${s}]: transpose it with x.transpose([0, 2, 3, 1])` : '';
    throw new Error(`Rcnn: expected NHWC input [batch, ${s}, ${s}, ${c}], got shape [${x.shape}]${hint}`);
  }
}

/** R-CNN; `config` overrides `RCNN_DEFAULTS` (96×96×1 digit scenes, 10 classes, 24×24 crops). */
export function rcnn(config: Partial<RcnnConfig> = {}): Rcnn {
  return new Rcnn(config);
}
