/**
 * Faster R-CNN (Ren, He, Girshick & Sun, 2015, "Faster R-CNN: Towards Real-Time Object Detection
 * with Region Proposal Networks"), small and single-scale: a conv backbone, a Region Proposal
 * Network (objectness + box deltas per anchor, proposals by decoding, clipping and NMS), RoI Align
 * (or RoI Pool) on the shared feature map and a two-fc box head with per-class box regression.
 * Both stages train together ("approximate joint training": proposals carry no gradient).
 * Images NHWC [B, S, S, C]; boxes xyxy in pixels; labels 0 … numClasses-1.
 */
import { defaultGenerator, F, Generator, nn, noGrad, tf } from '@neuralzoo/core';
import { decodeBox, DEFAULT_VARIANCES, encodeBox } from '../../detection/coder';
import { gridAnchors } from '../../detection/anchors';
import { BACKGROUND, matchAnchors } from '../../detection/matching';
import { batchedNms, Detections, nms } from '../../detection/nms';
import { Box, pairwiseIou, unflattenBoxes } from '../../detection/boxes';
import { roiAlign } from '../../ops/roi-align';
import { roiPool } from '../../ops/roi-pool';
import { FasterRcnnConfig, resolveFasterRcnnConfig } from './config';

/** Ground truth of one image: flat xyxy boxes [G·4] in pixels and labels [G] (as `digitScenes`). */
export interface DetectionTarget {
  boxes: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** Dense outputs of one forward pass (inference proposals). */
export interface FasterRcnnOutput {
  /** RPN objectness logits [B, N] over the N = H'·W'·A anchors of `anchors` (order: y, x, anchor). */
  objectness: tf.Tensor2D;
  /** RPN deltas [B, N, 4] (unit variances) against the anchors. */
  rpnDeltas: tf.Tensor3D;
  /** Proposals of all images [R, 4], xyxy pixels, no gradient. */
  proposals: tf.Tensor2D;
  /** Image index of each proposal [R]. */
  proposalBatch: Int32Array;
  /** Box head class logits [R, numClasses + 1]; column 0 is background. */
  classLogits: tf.Tensor2D;
  /** Box head per-class deltas [R, numClasses, 4] (variances 0.1, 0.1, 0.2, 0.2) against the proposals. */
  boxDeltas: tf.Tensor3D;
}

/** The four training losses (scalars); `total` is their sum. */
export interface FasterRcnnLosses {
  rpnObjectness: tf.Scalar;
  rpnBox: tf.Scalar;
  classifier: tf.Scalar;
  boxReg: tf.Scalar;
  total: tf.Scalar;
}

/** RPN deltas are plain (t = offset / anchor size, log size ratio), as torchvision's weights (1, 1, 1, 1). */
const RPN_VARIANCES = [1, 1, 1, 1];
/** Smooth-L1 beta of both box losses (torchvision: 1/9). */
const BOX_BETA = 1 / 9;

/** `n` random elements of `a` (without replacement). */
function pick(a: number[], n: number, gen: Generator): number[] {
  const perm = gen.permutation(a.length);
  return Array.from(perm.subarray(0, n), (i) => a[i]);
}

/** Positive/negative sampling: at most total·fraction positives, negatives fill up to total. */
export function sampleBalanced(pos: number[], neg: number[], total: number, fraction: number, gen: Generator): { pos: number[]; neg: number[] } {
  const nPos = Math.min(pos.length, Math.floor(total * fraction));
  const nNeg = Math.min(neg.length, total - nPos);
  return { pos: pick(pos, nPos, gen), neg: pick(neg, nNeg, gen) };
}

/** Box clipped to [0, size]². */
function clip(b: ArrayLike<number>, size: number): Box {
  const c = (v: number) => Math.min(Math.max(v, 0), size);
  return [c(b[0]), c(b[1]), c(b[2]), c(b[3])];
}

/** Conv 3×3 + ReLU stages with a 2×2 max pool between them. [B, S, S, C] -> [B, S/s, S/s, last width]. */
export class ConvBackbone extends nn.Module {
  readonly convs: nn.Conv2d[];
  private readonly pool = new nn.MaxPool2d(2);
  constructor(inChannels: number, widths: number[]) {
    super();
    this.convs = widths.map((w, i) => this.registerModule(`conv${i + 1}`, new nn.Conv2d(i === 0 ? inChannels : widths[i - 1], w, 3, { padding: 1 })));
  }
  forward(x: tf.Tensor4D): tf.Tensor4D {
    return tf.tidy(() => {
      let h = x;
      this.convs.forEach((conv, i) => {
        h = tf.relu(conv.forward(h)) as tf.Tensor4D;
        if (i < this.convs.length - 1) h = this.pool.forward(h); // halve H and W
      });
      return h;
    });
  }
}

/** RPN head: shared 3×3 conv + ReLU, then 1×1 convs to A objectness logits and 4A deltas per cell. */
export class RpnHead extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly clsLogits: nn.Conv2d;
  readonly bboxPred: nn.Conv2d;
  constructor(inChannels: number, channels: number, readonly numAnchors: number) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inChannels, channels, 3, { padding: 1 }));
    this.clsLogits = this.registerModule('cls_logits', new nn.Conv2d(channels, numAnchors, 1));
    this.bboxPred = this.registerModule('bbox_pred', new nn.Conv2d(channels, 4 * numAnchors, 1));
  }
  /** [B, h, w, C] -> objectness [B, h·w·A], deltas [B, h·w·A, 4]. */
  forward(f: tf.Tensor4D): [tf.Tensor2D, tf.Tensor3D] {
    return tf.tidy(() => {
      const [B, h, w] = f.shape;
      const t = tf.relu(this.conv.forward(f));
      const obj = this.clsLogits.forward(t).reshape([B, h * w * this.numAnchors]) as tf.Tensor2D; // [B, h, w, A] -> [B, N]
      const del = this.bboxPred.forward(t).reshape([B, h * w * this.numAnchors, 4]) as tf.Tensor3D; // [B, h, w, 4A] -> [B, N, 4]
      return [obj, del];
    });
  }
}

/** Box head: flatten RoI features, fc6 + ReLU, fc7 + ReLU, then class logits and per-class deltas. */
export class BoxHead extends nn.Module {
  readonly fc6: nn.Linear;
  readonly fc7: nn.Linear;
  readonly clsScore: nn.Linear;
  readonly bboxPred: nn.Linear;
  constructor(inFeatures: number, hidden: number, readonly numClasses: number) {
    super();
    this.fc6 = this.registerModule('fc6', new nn.Linear(inFeatures, hidden));
    this.fc7 = this.registerModule('fc7', new nn.Linear(hidden, hidden));
    this.clsScore = this.registerModule('cls_score', new nn.Linear(hidden, numClasses + 1));
    this.bboxPred = this.registerModule('bbox_pred', new nn.Linear(hidden, 4 * numClasses));
  }
  /** [R, P, P, C] -> logits [R, K + 1], deltas [R, K, 4]. */
  forward(roi: tf.Tensor4D): [tf.Tensor2D, tf.Tensor3D] {
    return tf.tidy(() => {
      const [R, P, , C] = roi.shape;
      let h = roi.reshape([R, P * P * C]); // [R, P·P·C]
      h = tf.relu(this.fc6.forward(h));
      h = tf.relu(this.fc7.forward(h)); // [R, hidden]
      return [this.clsScore.forward(h) as tf.Tensor2D, this.bboxPred.forward(h).reshape([R, this.numClasses, 4]) as tf.Tensor3D];
    });
  }
}

export class FasterRcnn extends nn.Module {
  readonly config: Readonly<FasterRcnnConfig>;
  readonly backbone: ConvBackbone;
  readonly rpn: RpnHead;
  readonly roiHeads: BoxHead;
  /** Backbone stride in pixels. */
  readonly stride: number;
  /** Side of the feature map in cells. */
  readonly featureSize: number;
  /** All anchors, flat xyxy [N·4] in pixels (order: y, x, anchor), as the RPN outputs. */
  readonly anchors: Float32Array;
  /** Generator of the training samplers (anchors and RoIs); `manualSeed` seeds the default one. */
  generator: Generator = defaultGenerator;

  constructor(config: Partial<FasterRcnnConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveFasterRcnnConfig(config)));
    this.stride = 2 ** (cfg.backboneChannels.length - 1);
    this.featureSize = cfg.imageSize / this.stride;
    this.anchors = gridAnchors({ featureSize: [this.featureSize, this.featureSize], stride: this.stride, sizes: cfg.anchorSizes, aspectRatios: cfg.aspectRatios });
    const A = cfg.anchorSizes.length * cfg.aspectRatios.length;
    const C = cfg.backboneChannels[cfg.backboneChannels.length - 1];
    this.backbone = this.registerModule('backbone', new ConvBackbone(cfg.inChannels, cfg.backboneChannels));
    this.rpn = this.registerModule('rpn', new RpnHead(C, cfg.rpnChannels, A));
    this.roiHeads = this.registerModule('roi_heads', new BoxHead(cfg.roiOutputSize * cfg.roiOutputSize * C, cfg.headChannels, cfg.numClasses));
  }

  /** Inference pass with dense outputs (see `FasterRcnnOutput`); use `detect` for boxes. */
  forward(x: tf.Tensor): FasterRcnnOutput {
    this.checkInput(x);
    return tf.tidy(() => {
      const f = this.backbone.forward(x as tf.Tensor4D); // [B, h, w, C]
      const [objectness, rpnDeltas] = this.rpn.forward(f);
      const props = this.propose(objectness, rpnDeltas, this.config.rpnPostNmsTopNTest);
      const { rois, batch } = flattenRois(props);
      const proposals = tf.tensor2d(rois, [batch.length, 4]);
      const [classLogits, boxDeltas] = this.roiHeads.forward(this.roiFeatures(f, proposals, batch));
      return { objectness, rpnDeltas, proposals, proposalBatch: batch, classLogits, boxDeltas };
    }) as FasterRcnnOutput;
  }

  /** Training losses of a batch: RPN objectness (BCE) and box (smooth L1), head classifier (CE) and box (smooth L1). */
  losses(x: tf.Tensor, targets: DetectionTarget[]): FasterRcnnLosses {
    this.checkInput(x);
    if (targets.length !== x.shape[0]) throw new Error(`FasterRcnn: got ${targets.length} targets for a batch of ${x.shape[0]} images`);
    const gts = targets.map((t, b) => checkTarget(t, b, this.config.numClasses));
    return tf.tidy(() => {
      const cfg = this.config;
      const f = this.backbone.forward(x as tf.Tensor4D);
      const [objectness, rpnDeltas] = this.rpn.forward(f);
      const [rpnObjectness, rpnBox] = this.rpnLoss(objectness, rpnDeltas, gts);
      const props = this.propose(objectness, rpnDeltas, cfg.rpnPostNmsTopNTrain);
      const [classifier, boxReg] = this.headLoss(f, props, gts);
      const total = tf.addN([rpnObjectness, rpnBox, classifier, boxReg]) as tf.Scalar;
      return { rpnObjectness, rpnBox, classifier, boxReg, total };
    }) as FasterRcnnLosses;
  }

  /** Sum of the four training losses (a scalar for `backward`). */
  loss(x: tf.Tensor, targets: DetectionTarget[]): tf.Scalar {
    return tf.tidy(() => this.losses(x, targets).total);
  }

  /** Detections per image: boxes xyxy in pixels, labels 0 … numClasses-1, scores; highest score first. */
  detect(x: tf.Tensor): Detections[] {
    const cfg = this.config;
    const opts = { numClasses: cfg.numClasses, imageSize: cfg.imageSize, scoreThresh: cfg.boxScoreThresh, nmsThresh: cfg.boxNmsThresh, detectionsPerImage: cfg.detectionsPerImage };
    let found: Detections[] = [];
    noGrad(() => tf.tidy(() => void (found = regionDetections(this.forward(x), x.shape[0], opts))));
    return found;
  }

  /**
   * Proposals per image (no gradient): the rpnPreNmsTopN best anchors decoded, clipped, boxes
   * under 1 pixel dropped, NMS at rpnNmsThresh, the best `topN` kept.
   */
  propose(objectness: tf.Tensor2D, deltas: tf.Tensor3D, topN: number): Box[][] {
    const cfg = this.config;
    const [B, N] = objectness.shape;
    const obj = objectness.dataSync();
    const del = deltas.dataSync();
    const out: Box[][] = [];
    for (let b = 0; b < B; b++) {
      const order = Array.from({ length: N }, (_, i) => i).sort((i, j) => obj[b * N + j] - obj[b * N + i] || i - j);
      const boxes: Box[] = [];
      const scores: number[] = [];
      for (const i of order.slice(0, cfg.rpnPreNmsTopN)) {
        const d = del.subarray((b * N + i) * 4, (b * N + i) * 4 + 4);
        const box = clip(decodeBox(d, this.anchors.subarray(4 * i, 4 * i + 4), RPN_VARIANCES), cfg.imageSize);
        if (box[2] - box[0] < 1 || box[3] - box[1] < 1) continue;
        boxes.push(box);
        scores.push(obj[b * N + i]);
      }
      out.push(nms(boxes, scores, cfg.rpnNmsThresh).slice(0, topN).map((i) => boxes[i]));
    }
    return out;
  }

  /** RoI features [R, P, P, C] of xyxy pixel `rois` [R, 4] on the feature map `f`. */
  private roiFeatures(f: tf.Tensor4D, rois: tf.Tensor2D, batch: Int32Array): tf.Tensor4D {
    const opts = { outputSize: this.config.roiOutputSize, spatialScale: 1 / this.stride };
    return this.config.roiOp === 'align' ? roiAlign(f, rois, batch, { ...opts, samplingRatio: this.config.roiSamplingRatio, aligned: true }) : roiPool(f, rois, batch, opts);
  }

  /** RPN losses: BCE over sampled anchors, smooth L1 over positives divided by the number sampled. */
  private rpnLoss(objectness: tf.Tensor2D, deltas: tf.Tensor3D, gts: Target[]): [tf.Scalar, tf.Scalar] {
    const cfg = this.config;
    const [B, N] = objectness.shape;
    const weight = new Float32Array(B * N); // 1 for sampled anchors (divided by their number below)
    const label = new Float32Array(B * N);
    const target = new Float32Array(B * N * 4); // zero except at sampled positives
    const posMask = new Float32Array(B * N);
    gts.forEach(({ boxes }, b) => {
      const match = matchAnchors(this.anchors, boxes, { posIou: cfg.rpnFgIou, negIou: cfg.rpnBgIou, forceBest: true });
      const pos: number[] = [];
      const neg: number[] = [];
      match.forEach((m, i) => (m >= 0 ? pos.push(i) : m === BACKGROUND && neg.push(i)));
      const s = sampleBalanced(pos, neg, cfg.rpnBatchSizePerImage, cfg.rpnPositiveFraction, this.generator);
      for (const i of s.pos) {
        weight[b * N + i] = 1;
        label[b * N + i] = 1;
        posMask[b * N + i] = 1;
        target.set(encodeBox(boxes[match[i]], this.anchors.subarray(4 * i, 4 * i + 4), RPN_VARIANCES), (b * N + i) * 4);
      }
      for (const i of s.neg) weight[b * N + i] = 1;
    });
    const sampled = Math.max(1, weight.reduce((a, v) => a + v, 0));
    // Dense masked sums instead of gathers: the same values, and no scatter in the backward pass.
    return tf.tidy(() => {
      const bce = F.bceWithLogits(objectness.reshape([B * N]), tf.tensor1d(label), { reduction: 'none' }); // [B·N]
      const objLoss = bce.mul(tf.tensor1d(weight)).sum().div(sampled) as tf.Scalar;
      const l1 = F.smoothL1Loss(deltas.reshape([B * N, 4]), tf.tensor2d(target, [B * N, 4]), { beta: BOX_BETA, reduction: 'none' }).sum(1); // [B·N]
      const boxLoss = l1.mul(tf.tensor1d(posMask)).sum().div(sampled) as tf.Scalar;
      return [objLoss, boxLoss];
    });
  }

  /**
   * Box head losses: proposals plus ground truth boxes, foreground when IoU >= boxFgIou (label
   * + 1), background otherwise, sampled; CE over the sample, smooth L1 on the foreground's own
   * class deltas divided by the sample size.
   */
  private headLoss(f: tf.Tensor4D, props: Box[][], gts: Target[]): [tf.Scalar, tf.Scalar] {
    const cfg = this.config;
    const K = cfg.numClasses;
    const candidatesOf = (b: number): Box[] => [...props[b], ...gts[b].boxes];
    const { rois, batch, labels, regRows, regT } = sampleRoiTargets(candidatesOf, gts, cfg.boxFgIou, cfg.boxBatchSizePerImage, cfg.boxPositiveFraction, K, this.generator);
    return tf.tidy(() => {
      const R = labels.length;
      const roiT = tf.tensor2d(rois, [R, 4]);
      const [logits, deltas] = this.roiHeads.forward(this.roiFeatures(f, roiT, Int32Array.from(batch)));
      const cls = F.crossEntropy(logits, tf.tensor1d(labels, 'int32')) as tf.Scalar;
      return [cls, ownClassBoxLoss(deltas, regRows, regT)];
    });
  }

  private checkInput(x: tf.Tensor): void {
    const { imageSize: s, inChannels: c } = this.config;
    if (x.rank === 4 && x.shape[1] === s && x.shape[2] === s && x.shape[3] === c && x.shape[0] > 0) return;
    const nchw = x.rank === 4 && x.shape[1] === c && x.shape[2] === s && x.shape[3] === s;
    const hint = nchw ? `; this looks like NCHW [batch, ${c}, ${s}, ${s}]: transpose it with x.transpose([0, 2, 3, 1])` : '';
    throw new Error(`FasterRcnn: expected NHWC input [batch, ${s}, ${s}, ${c}], got shape [${x.shape}]${hint}`);
  }
}

/** A checked target: boxes as Box[] and labels. */
export interface Target {
  boxes: Box[];
  labels: ArrayLike<number>;
}

/** Validates one image's target (boxes non-empty, labels in range) and splits its boxes. */
export function checkTarget(t: DetectionTarget, b: number, numClasses: number, where = 'FasterRcnn'): Target {
  if (t.boxes.length !== 4 * t.labels.length) throw new Error(`${where}: target ${b} has ${t.boxes.length / 4} boxes but ${t.labels.length} labels`);
  const boxes = unflattenBoxes(t.boxes);
  boxes.forEach((bx, g) => {
    if (!(bx[2] > bx[0] && bx[3] > bx[1])) throw new Error(`${where}: target ${b} box ${g} [${bx}] is empty (need x2 > x1 and y2 > y1)`);
    const l = t.labels[g];
    if (!(Number.isInteger(l) && l >= 0 && l < numClasses)) throw new Error(`${where}: target ${b} label ${g} (${l}) is outside [0, ${numClasses - 1}]`);
  });
  return { boxes, labels: t.labels };
}

/** RoIs sampled for a box head's loss: flat boxes, image index and label (0 = background) per RoI. */
export interface RoiTargets {
  rois: number[];
  batch: number[];
  labels: number[];
  /** row · K + class of each foreground RoI (for `ownClassBoxLoss`). */
  regRows: number[];
  /** encoded box targets of the foreground RoIs, in `regRows` order. */
  regT: number[][];
}

/**
 * Box-head training targets shared by Faster R-CNN and R-CNN: each box of `candidatesOf(b)` is
 * foreground (label = class + 1) when its best IoU with a ground-truth box is >= fgIou, else
 * background (0); `perImage` of them are sampled with at most `positiveFraction` foreground.
 */
export function sampleRoiTargets(candidatesOf: (b: number) => Box[], gts: Target[], fgIou: number, perImage: number, positiveFraction: number, K: number, gen: Generator): RoiTargets {
  const out: RoiTargets = { rois: [], batch: [], labels: [], regRows: [], regT: [] };
  gts.forEach(({ boxes, labels: gl }, b) => {
    const cand = candidatesOf(b); // called per image in order, before that image's sampling
    const ious = boxes.length ? pairwiseIou(cand, boxes) : [];
    const best = cand.map((_, r) => {
      let j = -1;
      let v = 0;
      for (let g = 0; g < boxes.length; g++) if (ious[r][g] > v) [j, v] = [g, ious[r][g]];
      return { j, v };
    });
    const fg: number[] = [];
    const bg: number[] = [];
    best.forEach(({ v }, r) => (v >= fgIou ? fg : bg).push(r));
    const s = sampleBalanced(fg, bg, perImage, positiveFraction, gen);
    for (const r of [...s.pos, ...s.neg]) {
      const isFg = best[r].v >= fgIou;
      const g = best[r].j;
      if (isFg) {
        out.regRows.push(out.labels.length * K + gl[g]);
        out.regT.push(encodeBox(boxes[g], cand[r], DEFAULT_VARIANCES));
      }
      out.rois.push(...cand[r]);
      out.batch.push(b);
      out.labels.push(isFg ? gl[g] + 1 : 0);
    }
  });
  return out;
}

/**
 * Smooth L1 (beta 1/9) of the deltas of each foreground RoI's own class, summed and divided by
 * the number of RoIs R: deltas [R, K, 4], `rows` holding row·K + class, `targets` one 4-vector
 * each. A constant one-hot mask selects the deltas (no gather, so no scatter when training).
 */
export function ownClassBoxLoss(deltas: tf.Tensor3D, rows: number[], targets: number[][]): tf.Scalar {
  return tf.tidy(() => {
    const [R, K] = deltas.shape;
    const mask = new Float32Array(R * K);
    const t = new Float32Array(R * 4);
    rows.forEach((rk, i) => {
      mask[rk] = 1;
      t.set(targets[i], Math.floor(rk / K) * 4);
    });
    const own = deltas.mul(tf.tensor3d(mask, [R, K, 1])).sum(1); // [R, 4]; zero rows for background
    return F.smoothL1Loss(own, tf.tensor2d(t, [R, 4]), { beta: BOX_BETA, reduction: 'sum' }).div(Math.max(R, 1)) as tf.Scalar;
  });
}

/** The second stage's outputs that detection reads (Faster R-CNN and R-CNN alike). */
export interface RegionOutputs {
  /** [R, 4] proposal boxes xyxy in pixels. */
  proposals: tf.Tensor;
  /** [R] image of each proposal. */
  proposalBatch: Int32Array;
  /** [R, K + 1] class logits, background first. */
  classLogits: tf.Tensor;
  /** [R, K, 4] per-class box deltas. */
  boxDeltas: tf.Tensor;
}

/**
 * Detections of a two-stage detector from its region outputs: every (proposal, class) with a
 * softmax score above `scoreThresh` becomes its decoded box clipped to the image; per image, NMS
 * per class at `nmsThresh`, the best `detectionsPerImage` kept, highest score first.
 */
export function regionDetections(out: RegionOutputs, images: number, opts: { numClasses: number; imageSize: number; scoreThresh: number; nmsThresh: number; detectionsPerImage: number }): Detections[] {
  const K = opts.numClasses;
  const props = out.proposals.dataSync();
  const probs = tf.tidy(() => tf.softmax(out.classLogits).dataSync()); // [R, K + 1]
  const deltas = out.boxDeltas.dataSync(); // [R, K, 4]
  const cands = Array.from({ length: images }, () => ({ boxes: [] as Box[], scores: [] as number[], labels: [] as number[] }));
  out.proposalBatch.forEach((b, r) => {
    for (let c = 0; c < K; c++) {
      const s = probs[r * (K + 1) + c + 1];
      if (!(s > opts.scoreThresh)) continue;
      const box = clip(decodeBox(deltas.subarray((r * K + c) * 4, (r * K + c) * 4 + 4), props.subarray(4 * r, 4 * r + 4), DEFAULT_VARIANCES), opts.imageSize);
      if (!(box[2] > box[0] && box[3] > box[1])) continue;
      cands[b].boxes.push(box);
      cands[b].scores.push(s);
      cands[b].labels.push(c);
    }
  });
  return cands.map(({ boxes, scores, labels }) => {
    const keep = batchedNms(boxes, scores, labels, opts.nmsThresh).slice(0, opts.detectionsPerImage);
    return { boxes: keep.map((i) => [...boxes[i]]), labels: keep.map((i) => labels[i]), scores: keep.map((i) => scores[i]) };
  });
}

/** Per-image proposals -> flat rois [R·4] and image indices [R]. */
function flattenRois(props: Box[][]): { rois: Float32Array; batch: Int32Array } {
  const R = props.reduce((n, p) => n + p.length, 0);
  const rois = new Float32Array(R * 4);
  const batch = new Int32Array(R);
  let r = 0;
  props.forEach((p, b) =>
    p.forEach((box) => {
      rois.set(box, 4 * r);
      batch[r++] = b;
    }),
  );
  return { rois, batch };
}

/** Faster R-CNN; `config` overrides `FASTER_RCNN_DEFAULTS` (96×96×1 digit scenes, 10 classes, RoI Align). */
export function fasterRcnn(config: Partial<FasterRcnnConfig> = {}): FasterRcnn {
  return new FasterRcnn(config);
}
