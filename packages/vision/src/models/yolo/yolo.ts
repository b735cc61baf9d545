/**
 * YOLO, single-stage detectors that predict boxes directly on a grid:
 * - v1 (Redmon, Divvala, Girshick & Farhadi, 2016, "You Only Look Once"): an S×S grid, B boxes
 *   per cell with a confidence each, one class distribution per cell, sum-squared-error loss.
 * - v3-style (Redmon & Farhadi, 2018, "YOLOv3"): anchor priors on two scales (the coarse head's
 *   features upsampled and merged into the fine head), sigmoid offsets in the cell, objectness
 *   and per-class scores trained with binary cross-entropy.
 * Both use a small Darknet-like backbone (3×3 conv + BatchNorm + LeakyReLU 0.1, stride-2 convs
 * instead of max pooling) sized for 96×96 scenes. Inputs NHWC [B, S, S, C].
 */
import { nn, noGrad, tf } from '@neuralzoo/core';
import { checkImageInput } from '../../blocks/check-input';
import { Box, elementwiseIou, iou } from '../../detection/boxes';
import type { Detector, Targets } from '../../detection/detector';
import { Detections, postprocess, PostprocessOptions } from '../../detection/nms';
import { resolveYoloV1Config, resolveYoloV3Config, YoloV1Config, YoloV3Config } from './config';

/** 3×3 (or 1×1) conv without bias + BatchNorm + LeakyReLU(0.1), Darknet's basic layer. */
export class DarkConv extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;
  private readonly act = new nn.LeakyReLU(0.1);
  constructor(inC: number, outC: number, kernel: number, stride = 1) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, kernel, { stride, padding: (kernel - 1) / 2, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC));
  }
  /** [B, H, W, inC] -> [B, H/stride, W/stride, outC] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.act.forward(this.bn.forward(this.conv.forward(x))));
  }
}

/** Stride-2 DarkConv stages: [B, S, S, C] -> [B, S/2^n, S/2^n, widths[n-1]]. */
function darkBackbone(inChannels: number, widths: number[]): nn.Sequential {
  return new nn.Sequential(...widths.map((w, i) => new DarkConv(i === 0 ? inChannels : widths[i - 1], w, 3, 2)));
}

// ------------------------------------------------------------------------------------------------
// YOLO v1

/** YOLO v1 on an S×S grid. forward: [B, S, S, C_in] images -> [B, S, S, 5·boxesPerCell + numClasses] raw outputs. */
export class YoloV1 extends nn.Module implements Detector {
  readonly config: Readonly<YoloV1Config>;
  readonly backbone: nn.Sequential;
  readonly neck: nn.Sequential;
  readonly head: nn.Conv2d;

  constructor(config: Partial<YoloV1Config> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveYoloV1Config(config)));
    this.backbone = this.registerModule('backbone', darkBackbone(cfg.inChannels, cfg.widths));
    const last = cfg.widths[cfg.widths.length - 1];
    this.neck = this.registerModule('neck', new nn.Sequential(...cfg.neckWidths.map((w, i) => new DarkConv(i === 0 ? last : cfg.neckWidths[i - 1], w, 3))));
    const neckOut = cfg.neckWidths.length ? cfg.neckWidths[cfg.neckWidths.length - 1] : last;
    // The paper's two fully connected layers become a 1×1 conv (as in Tiny YOLO): same outputs per cell, far fewer parameters.
    this.head = this.registerModule('head', new nn.Conv2d(neckOut, 5 * cfg.boxesPerCell + cfg.numClasses, 1));
    // Confidences start near 0.01 (most predictors see no object); the rest keep torch's init.
    const K = 5 * cfg.boxesPerCell + cfg.numClasses;
    const bias = Array.from(this.head.bias!.data.dataSync());
    for (let j = 0; j < cfg.boxesPerCell; j++) bias[5 * j + 4] = PRIOR_OBJ;
    setHeadBias(this.head, 1, K, (k) => bias[k]);
  }

  get numClasses(): number {
    return this.config.numClasses;
  }
  get imageSize(): number {
    return this.config.imageSize;
  }

  /**
   * [B, S_img, S_img, C_in] -> [B, S, S, 5·B_box + numClasses]: per cell, B_box groups of raw
   * (x, y, √w, √h, confidence), then class logits. Through a sigmoid, x, y are the box centre's
   * offset in the cell and √w, √h the square roots of its size relative to the image (bounded
   * outputs where the paper used linear ones, for stable training); softmax gives P(class | object).
   */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkImageInput('YoloV1', x, { channels: this.config.inChannels, side: this.config.imageSize });
    return tf.tidy(() => this.head.forward(this.neck.forward(this.backbone.forward(x))) as tf.Tensor4D);
  }

  /** The v1 sum-squared-error loss (see `yoloV1Loss`), summed over cells and averaged over the batch. */
  loss(output: tf.Tensor, targets: Targets[]): tf.Scalar {
    return yoloV1Loss(output, targets, this.config);
  }

  /** Class-specific confidence (confidence · P(class)) per box, then per-class NMS. */
  decode(output: tf.Tensor, opts: PostprocessOptions = {}): Detections[] {
    const { gridSize: S, boxesPerCell: NB, numClasses: C, imageSize } = this.config;
    checkOutput('YoloV1.decode', output, [S, S, 5 * NB + C]);
    const [boxes, scores] = tf.tidy(() => {
      const B = output.shape[0];
      const box = tf.sigmoid(output.slice([0, 0, 0, 0], [B, S, S, 5 * NB]).reshape([B, S, S, NB, 5])); // [B, S, S, NB, 5]
      const prob = tf.softmax(output.slice([0, 0, 0, 5 * NB], [B, S, S, C])); // [B, S, S, C]
      const xyxy = v1BoxesXyxy(box, S).mul(imageSize); // [B, S, S, NB, 4] pixels
      const conf = box.slice([0, 0, 0, 0, 4], [B, S, S, NB, 1]); // [B, S, S, NB, 1]
      const score = conf.mul(prob.expandDims(3)); // [B, S, S, NB, C]
      return [xyxy.reshape([B, S * S * NB, 4]), score.reshape([B, S * S * NB, C])];
    });
    const out = splitPostprocess(boxes, scores, C, opts);
    tf.dispose([boxes, scores]);
    return out;
  }
}

/** [B, S, S, NB, 5] sigmoid outputs -> [B, S, S, NB, 4] xyxy boxes relative to the image (0..1). */
function v1BoxesXyxy(box: tf.Tensor, S: number): tf.Tensor {
  return tf.tidy(() => {
    const [B, , , NB] = box.shape;
    const col = tf.range(0, S).reshape([1, 1, S, 1, 1]);
    const row = tf.range(0, S).reshape([1, S, 1, 1, 1]);
    const cx = box.slice([0, 0, 0, 0, 0], [B, S, S, NB, 1]).add(col).div(S);
    const cy = box.slice([0, 0, 0, 0, 1], [B, S, S, NB, 1]).add(row).div(S);
    const w = box.slice([0, 0, 0, 0, 2], [B, S, S, NB, 1]).square();
    const h = box.slice([0, 0, 0, 0, 3], [B, S, S, NB, 1]).square();
    return tf.concat([cx.sub(w.div(2)), cy.sub(h.div(2)), cx.add(w.div(2)), cy.add(h.div(2))], -1);
  });
}

/**
 * YOLO v1 loss (paper eq. 3), per image summed over cells, averaged over the batch:
 *   λ_coord Σ 1obj_ij [(x - x̂)² + (y - ŷ)² + (√w - √ŵ)² + (√h - √ĥ)²]
 *   + Σ 1obj_ij (C - IoU)² + λ_noobj Σ 1noobj_ij C² + Σ_i 1obj_i Σ_c (p(c) - p̂(c))²
 * The predictor "responsible" for an object is, of its cell's B_box boxes, the one whose
 * prediction overlaps the object most; its confidence target is that IoU (held constant). An
 * object belongs to the cell containing its centre; of two objects in one cell the later wins.
 */
export function yoloV1Loss(output: tf.Tensor, targets: Targets[], cfg: Pick<YoloV1Config, 'gridSize' | 'boxesPerCell' | 'numClasses' | 'imageSize' | 'lambdaCoord' | 'lambdaNoobj'>): tf.Scalar {
  const { gridSize: S, boxesPerCell: NB, numClasses: C, imageSize, lambdaCoord, lambdaNoobj } = cfg;
  checkOutput('yoloV1Loss', output, [S, S, 5 * NB + C]);
  const B = output.shape[0];
  if (targets.length !== B) throw new Error(`yoloV1Loss: ${targets.length} targets for a batch of ${B}`);
  // Targets per cell: object flag, (x, y, √w, √h), the box xyxy (0..1), class one-hot.
  const obj = new Float32Array(B * S * S);
  const tbox = new Float32Array(B * S * S * 4);
  const txyxy = new Float32Array(B * S * S * 4);
  const tcls = new Float32Array(B * S * S * C);
  targets.forEach((t, b) => {
    t.boxes.forEach((box, k) => {
      checkLabel('yoloV1Loss', t.labels[k], C);
      const [x1, y1, x2, y2] = box.map((v) => v / imageSize);
      const cx = (x1 + x2) / 2;
      const cy = (y1 + y2) / 2;
      const col = Math.min(S - 1, Math.max(0, Math.floor(cx * S)));
      const row = Math.min(S - 1, Math.max(0, Math.floor(cy * S)));
      const cell = (b * S + row) * S + col;
      obj[cell] = 1;
      tbox.set([cx * S - col, cy * S - row, Math.sqrt(Math.max(x2 - x1, 0)), Math.sqrt(Math.max(y2 - y1, 0))], cell * 4);
      txyxy.set([x1, y1, x2, y2], cell * 4);
      tcls.fill(0, cell * C, (cell + 1) * C);
      tcls[cell * C + t.labels[k]] = 1;
    });
  });
  return tf.tidy(() => {
    const objT = tf.tensor4d(obj, [B, S, S, 1]); // [B, S, S, 1]
    const box = tf.sigmoid(output.slice([0, 0, 0, 0], [B, S, S, 5 * NB]).reshape([B, S, S, NB, 5])); // [B, S, S, NB, 5]
    const prob = tf.softmax(output.slice([0, 0, 0, 5 * NB], [B, S, S, C])); // [B, S, S, C]
    const predXyxy = v1BoxesXyxy(box, S); // [B, S, S, NB, 4]
    const tXyxy = tf.tensor4d(txyxy, [B, S, S, 4]).expandDims(3).tile([1, 1, 1, NB, 1]); // [B, S, S, NB, 4]
    const overlap = noGrad(() => elementwiseIou(predXyxy, tXyxy)); // [B, S, S, NB], a constant target
    const resp = tf.equal(overlap.argMax(-1).expandDims(-1), tf.range(0, NB, 1, 'int32')).toFloat().mul(objT); // [B, S, S, NB], 1 for responsible predictors
    const coordErr = box.slice([0, 0, 0, 0, 0], [B, S, S, NB, 4]).sub(tf.tensor4d(tbox, [B, S, S, 4]).expandDims(3)).square().sum(-1); // [B, S, S, NB]
    const conf = box.slice([0, 0, 0, 0, 4], [B, S, S, NB, 1]).squeeze([4]); // [B, S, S, NB]
    const coord = resp.mul(coordErr).sum().mul(lambdaCoord);
    const confObj = resp.mul(conf.sub(overlap).square()).sum();
    const confNoobj = tf.onesLike(resp).sub(resp).mul(conf.square()).sum().mul(lambdaNoobj);
    const cls = objT.mul(prob.sub(tf.tensor4d(tcls, [B, S, S, C])).square()).sum();
    return tf.addN([coord, confObj, confNoobj, cls]).div(B) as tf.Scalar;
  });
}

/** YOLO v1 (config overrides `YOLO_V1_DEFAULTS`: 96×96×1 input, 12×12 grid, 2 boxes per cell, 10 classes). */
export function yoloV1(config: Partial<YoloV1Config> = {}): YoloV1 {
  return new YoloV1(config);
}

// ------------------------------------------------------------------------------------------------
// YOLO v3-style

/** Where each of the N predictions of a YOLO v3 output sits: cell, anchor size, stride. */
export interface YoloV3Layout {
  /** Predictions in all heads: Σ_levels H·W·A. */
  n: number;
  /** [N·2] cell column and row of each prediction. */
  grid: Float32Array;
  /** [N·2] anchor width and height in pixels. */
  anchors: Float32Array;
  /** [N] stride (pixels per cell) of each prediction's head. */
  strides: Float32Array;
  /** Per head: first prediction index, grid side, anchors. */
  levels: { offset: number; side: number; stride: number; anchors: [number, number][] }[];
}

/** Prediction layout of square heads with the given sides/strides/anchors, in (level, row, column, anchor) order. */
export function yoloV3Layout(levels: { side: number; stride: number; anchors: [number, number][] }[]): YoloV3Layout {
  const n = levels.reduce((s, l) => s + l.side * l.side * l.anchors.length, 0);
  const grid = new Float32Array(n * 2);
  const anchors = new Float32Array(n * 2);
  const strides = new Float32Array(n);
  const out: YoloV3Layout['levels'] = [];
  let i = 0;
  for (const l of levels) {
    out.push({ ...l, offset: i });
    for (let y = 0; y < l.side; y++)
      for (let x = 0; x < l.side; x++)
        for (const [aw, ah] of l.anchors) {
          grid.set([x, y], 2 * i);
          anchors.set([aw, ah], 2 * i);
          strides[i++] = l.stride;
        }
  }
  return { n, grid, anchors, strides, levels: out };
}

/**
 * YOLO v3-style detector: a fine head (stride 2^(n-1)) and a coarse head (stride 2^n), each with
 * A anchors per cell. forward: [B, S, S, C_in] -> [B, N, 5 + numClasses] raw outputs
 * (tx, ty, tw, th, objectness logit, class logits), N = Σ_heads H·W·A in `layout` order.
 */
export class YoloV3 extends nn.Module implements Detector {
  readonly config: Readonly<YoloV3Config>;
  readonly layout: YoloV3Layout;
  readonly backbone: nn.Sequential;
  readonly coarse: DarkConv;
  readonly coarseNeck: DarkConv;
  readonly coarseHead: nn.Conv2d;
  readonly lateral: DarkConv;
  readonly fine: DarkConv;
  readonly fineHead: nn.Conv2d;

  constructor(config: Partial<YoloV3Config> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveYoloV3Config(config)));
    const w = cfg.widths;
    const n = w.length;
    const A = cfg.anchors[0].length;
    const K = 5 + cfg.numClasses;
    // The backbone ends one stage early: that stage's output feeds the fine head.
    this.backbone = this.registerModule('backbone', darkBackbone(cfg.inChannels, w.slice(0, n - 1)));
    this.coarse = this.registerModule('coarse', new DarkConv(w[n - 2], w[n - 1], 3, 2));
    // A 3×3 conv at the coarse resolution before its 1×1 head (as v3's heads): without it the coarse
    // predictions see 31 px around a 16-px cell, too little for the large digits assigned there.
    this.coarseNeck = this.registerModule('coarse_neck', new DarkConv(w[n - 1], w[n - 1], 3));
    this.coarseHead = this.registerModule('coarse_head', new nn.Conv2d(w[n - 1], A * K, 1));
    this.lateral = this.registerModule('lateral', new DarkConv(w[n - 1], cfg.lateralWidth, 1));
    this.fine = this.registerModule('fine', new DarkConv(w[n - 2] + cfg.lateralWidth, w[n - 2], 3));
    this.fineHead = this.registerModule('fine_head', new nn.Conv2d(w[n - 2], A * K, 1));
    // Objectness starts at the prior P(object) ≈ 0.01 (as RetinaNet's prior init) so that the
    // hundreds of empty predictions do not swamp the first updates; classes at P ≈ 0.1.
    for (const head of [this.coarseHead, this.fineHead]) setHeadBias(head, A, K, (k) => (k === 4 ? PRIOR_OBJ : k >= 5 ? PRIOR_CLS : 0));
    const fineStride = 2 ** (n - 1);
    this.layout = yoloV3Layout([
      { side: cfg.imageSize / fineStride, stride: fineStride, anchors: cfg.anchors[0] },
      { side: cfg.imageSize / (2 * fineStride), stride: 2 * fineStride, anchors: cfg.anchors[1] },
    ]);
  }

  get numClasses(): number {
    return this.config.numClasses;
  }
  get imageSize(): number {
    return this.config.imageSize;
  }

  /** [B, S, S, C_in] -> [B, N, 5 + numClasses] (fine head's predictions first). */
  forward(x: tf.Tensor): tf.Tensor3D {
    checkImageInput('YoloV3', x, { channels: this.config.inChannels, side: this.config.imageSize });
    return tf.tidy(() => {
      const B = x.shape[0];
      const K = 5 + this.config.numClasses;
      const f = this.backbone.forward(x); // [B, S/8, S/8, w[n-2]] for the defaults
      const c = this.coarseNeck.forward(this.coarse.forward(f)); // [B, S/16, S/16, w[n-1]]
      const coarseOut = this.coarseHead.forward(c); // [B, S/16, S/16, A·K]
      const [h, wd] = [f.shape[1]!, f.shape[2]!];
      const up = tf.image.resizeNearestNeighbor(this.lateral.forward(c) as tf.Tensor4D, [h, wd]); // [B, S/8, S/8, lateral]
      const fineOut = this.fineHead.forward(this.fine.forward(tf.concat([f, up], -1))); // [B, S/8, S/8, A·K]
      return tf.concat([fineOut.reshape([B, -1, K]), coarseOut.reshape([B, -1, K])], 1) as tf.Tensor3D; // [B, N, K]
    });
  }

  /** The v3 loss (see `yoloV3Loss`). */
  loss(output: tf.Tensor, targets: Targets[]): tf.Scalar {
    return yoloV3Loss(output, targets, this.layout, this.config);
  }

  /** Score = σ(objectness) · σ(class logit) per prediction and class, then per-class NMS. */
  decode(output: tf.Tensor, opts: PostprocessOptions = {}): Detections[] {
    const C = this.config.numClasses;
    checkOutput('YoloV3.decode', output, [this.layout.n, 5 + C]);
    const [boxes, scores] = tf.tidy(() => {
      const B = output.shape[0];
      const xyxy = v3BoxesXyxy(output, this.layout); // [B, N, 4]
      const obj = tf.sigmoid(output.slice([0, 0, 4], [B, -1, 1])); // [B, N, 1]
      const cls = tf.sigmoid(output.slice([0, 0, 5], [B, -1, C])); // [B, N, C]
      return [xyxy, obj.mul(cls)];
    });
    const out = splitPostprocess(boxes, scores, C, opts);
    tf.dispose([boxes, scores]);
    return out;
  }
}

/** [B, N, ≥4] raw (tx, ty, tw, th) -> [B, N, 4] xyxy pixels: centre (cell + σ(t))·stride, size anchor·e^t. */
function v3BoxesXyxy(output: tf.Tensor, layout: YoloV3Layout): tf.Tensor3D {
  return tf.tidy(() => {
    const B = output.shape[0];
    const N = layout.n;
    const grid = tf.tensor3d(layout.grid, [1, N, 2]);
    const anchors = tf.tensor3d(layout.anchors, [1, N, 2]);
    const stride = tf.tensor3d(layout.strides, [1, N, 1]);
    const centre = tf.sigmoid(output.slice([0, 0, 0], [B, N, 2])).add(grid).mul(stride); // [B, N, 2]
    const half = tf.exp(tf.minimum(output.slice([0, 0, 2], [B, N, 2]), 8)).mul(anchors).div(2); // [B, N, 2]
    return tf.concat([centre.sub(half), centre.add(half)], -1) as tf.Tensor3D;
  });
}

/**
 * YOLO v3 loss, summed over predictions, averaged over the batch. Each ground truth box goes to
 * the anchor (over both heads) whose shape fits it best (IoU of boxes with the same centre), and
 * to every other anchor that fits it with IoU >= `assignIou`, at the cell of that anchor's head
 * containing its centre (the paper assigns one anchor only: `assignIou` 1; several positives per
 * object train every anchor's class scores, see the README). For these assigned predictions:
 *   (2 - w·h/S²) · [(σ(tx) - x*)² + (σ(ty) - y*)² + (tw - log(w/a_w))² + (th - log(h/a_h))²]
 *   + BCE(objectness, 1) + Σ_c BCE(class_c, 1[c = label]);
 * every other prediction gets BCE(objectness, 0), unless its predicted box overlaps some ground
 * truth box by more than `ignoreIou` (then no loss at all).
 */
export function yoloV3Loss(output: tf.Tensor, targets: Targets[], layout: YoloV3Layout, cfg: Pick<YoloV3Config, 'numClasses' | 'imageSize' | 'ignoreIou' | 'assignIou'>): tf.Scalar {
  const { numClasses: C, imageSize, ignoreIou, assignIou } = cfg;
  const N = layout.n;
  checkOutput('yoloV3Loss', output, [N, 5 + C]);
  const B = output.shape[0];
  if (targets.length !== B) throw new Error(`yoloV3Loss: ${targets.length} targets for a batch of ${B}`);
  const obj = new Float32Array(B * N);
  const objWeight = new Float32Array(B * N).fill(1); // 0 = ignored
  const scale = new Float32Array(B * N);
  const txy = new Float32Array(B * N * 2);
  const twh = new Float32Array(B * N * 2);
  const tcls = new Float32Array(B * N * C);
  // Predicted boxes (constants here) for the ignore rule.
  const predT = v3BoxesXyxy(output, layout);
  const pred = predT.dataSync() as Float32Array; // [B·N·4]
  predT.dispose();
  targets.forEach((t, b) => {
    t.boxes.forEach((box, k) => {
      checkLabel('yoloV3Loss', t.labels[k], C);
      const w = box[2] - box[0];
      const h = box[3] - box[1];
      if (!(w > 0 && h > 0)) return;
      const cx = (box[0] + box[2]) / 2;
      const cy = (box[1] + box[3]) / 2;
      // Shape fit (IoU of same-centred boxes) of every anchor; the best one, and every other with fit >= assignIou, is assigned.
      const fits = layout.levels.map((l) => l.anchors.map(([aw, ah]) => {
        const inter = Math.min(w, aw) * Math.min(h, ah);
        return inter / (w * h + aw * ah - inter);
      }));
      const bestFit = Math.max(...fits.flat());
      layout.levels.forEach((l, li) =>
        l.anchors.forEach(([aw, ah], a) => {
          const fit = fits[li][a];
          if (fit < bestFit && fit < assignIou) return;
          const col = Math.min(l.side - 1, Math.floor(cx / l.stride));
          const row = Math.min(l.side - 1, Math.floor(cy / l.stride));
          const i = b * N + l.offset + (row * l.side + col) * l.anchors.length + a;
          obj[i] = 1;
          scale[i] = 2 - (w * h) / (imageSize * imageSize);
          txy.set([cx / l.stride - col, cy / l.stride - row], 2 * i);
          twh.set([Math.log(w / aw), Math.log(h / ah)], 2 * i);
          tcls.fill(0, i * C, (i + 1) * C);
          tcls[i * C + t.labels[k]] = 1;
        }),
      );
    });
    for (let n = 0; n < N; n++) {
      const i = b * N + n;
      if (obj[i]) continue;
      const p = pred.subarray(4 * i, 4 * i + 4);
      if (t.boxes.some((g) => iou(p, g) > ignoreIou)) objWeight[i] = 0;
    }
  });
  return tf.tidy(() => {
    const objT = tf.tensor2d(obj, [B, N]);
    const xy = tf.sigmoid(output.slice([0, 0, 0], [B, N, 2])); // [B, N, 2]
    const wh = output.slice([0, 0, 2], [B, N, 2]);
    const boxErr = xy.sub(tf.tensor3d(txy, [B, N, 2])).square().sum(-1).add(wh.sub(tf.tensor3d(twh, [B, N, 2])).square().sum(-1)); // [B, N]
    const boxLoss = boxErr.mul(tf.tensor2d(scale, [B, N])).mul(objT).sum();
    const objLogit = output.slice([0, 0, 4], [B, N, 1]).squeeze([2]); // [B, N]
    const objLoss = bceLogits(objLogit, objT).mul(tf.tensor2d(objWeight, [B, N])).sum();
    const clsLoss = bceLogits(output.slice([0, 0, 5], [B, N, C]), tf.tensor3d(tcls, [B, N, C])).sum(-1).mul(objT).sum();
    return tf.addN([boxLoss, objLoss, clsLoss]).div(B) as tf.Scalar;
  });
}

/** Elementwise BCE of logits: max(x, 0) - x·t + log(1 + e^-|x|). */
function bceLogits(x: tf.Tensor, t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.relu(x).sub(x.mul(t)).add(tf.log1p(tf.exp(tf.abs(x).neg()))));
}

/** YOLO v3-style (config overrides `YOLO_V3_DEFAULTS`: 96×96×1 input, heads on 12×12 and 6×6, 3 anchors each, 10 classes). */
export function yoloV3(config: Partial<YoloV3Config> = {}): YoloV3 {
  return new YoloV3(config);
}

// ------------------------------------------------------------------------------------------------
// Shared helpers (both YOLO versions)

/** logit(0.01) and logit(0.1): initial objectness / class biases. */
const PRIOR_OBJ = Math.log(0.01 / 0.99);
const PRIOR_CLS = Math.log(0.1 / 0.9);

/** Sets a 1×1 prediction conv's bias [A·K] to value(k) for slot k of each of its A groups. */
function setHeadBias(head: nn.Conv2d, A: number, K: number, value: (k: number) => number): void {
  const b = new Float32Array(A * K);
  for (let a = 0; a < A; a++) for (let k = 0; k < K; k++) b[a * K + k] = value(k);
  const t = tf.tensor1d(b);
  head.bias!.assign(t);
  t.dispose();
}

function checkOutput(where: string, output: tf.Tensor, tail: number[]): void {
  const ok = output.rank === tail.length + 1 && tail.every((d, i) => output.shape[i + 1] === d);
  if (!ok) throw new Error(`${where}: expected output [batch, ${tail.join(', ')}], got shape [${output.shape}]`);
}

function checkLabel(where: string, label: number, C: number): void {
  if (!(Number.isInteger(label) && label >= 0 && label < C)) throw new Error(`${where}: label ${label} is outside [0, ${C})`);
}

/** [B, N, 4] boxes and [B, N, C] scores -> post-processed detections per image. */
function splitPostprocess(boxes: tf.Tensor, scores: tf.Tensor, C: number, opts: PostprocessOptions): Detections[] {
  const [B, N] = boxes.shape;
  const bx = boxes.dataSync();
  const sc = scores.dataSync();
  const out: Detections[] = [];
  for (let b = 0; b < B; b++) {
    const list: Box[] = [];
    for (let n = 0; n < N; n++) {
      const o = (b * N + n) * 4;
      list.push([bx[o], bx[o + 1], bx[o + 2], bx[o + 3]]);
    }
    out.push(postprocess(list, sc.subarray(b * N * C, (b + 1) * N * C), C, opts));
  }
  return out;
}
