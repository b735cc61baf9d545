/**
 * SSD: Single Shot MultiBox Detector (Liu, Anguelov, Erhan, Szegedy, Reed, Fu & Berg, 2016).
 * A small conv backbone and extra stride-2 layers give source maps at several scales; a 3×3
 * conv on each predicts, for every default box, 4 box offsets and numClasses + 1 class scores
 * (index 0 = background). Training matches default boxes to ground truth (IoU >= 0.5, plus each
 * box's best default box), and the loss is smooth-L1 on the positives' encoded offsets plus
 * softmax cross-entropy over positives and the hardest negatives (3 per positive), divided by the
 * number of positives. Inputs NHWC [B, S, S, C].
 */
import { F, nn, noGrad, tf } from '@neuralzoo/core';
import { checkImageInput } from '../../blocks/check-input';
import { ssdBoxesPerLocation, ssdDefaultBoxes } from '../../detection/anchors';
import { Box } from '../../detection/boxes';
import { decodeBoxes, encodeBox } from '../../detection/coder';
import type { Detector, Targets } from '../../detection/detector';
import { hardNegativeMask, matchAnchors } from '../../detection/matching';
import { Detections, postprocess, PostprocessOptions } from '../../detection/nms';
import { resolveSsdConfig, SsdConfig } from './config';

/** 3×3 conv without bias + BatchNorm + ReLU. */
export class SsdConv extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;
  private readonly act = new nn.ReLU();
  constructor(inC: number, outC: number, stride = 1) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, 3, { stride, padding: 1, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC));
  }
  /** [B, H, W, inC] -> [B, H/stride, W/stride, outC] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.act.forward(this.bn.forward(this.conv.forward(x))));
  }
}

/** SSD. forward: [B, S, S, C_in] -> [B, N, 4 + 1 + numClasses]: per default box, encoded offsets then class logits (0 = background). */
export class Ssd extends nn.Module implements Detector {
  readonly config: Readonly<SsdConfig>;
  /** [N·4] xyxy default boxes in pixels, in head order (map, row, column, box). */
  readonly defaultBoxes: Float32Array;
  readonly backbone: nn.Sequential;
  readonly neck: nn.Sequential;
  readonly extras: nn.Sequential;
  readonly heads: nn.Sequential;
  private readonly featureSizes: number[];

  constructor(config: Partial<SsdConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveSsdConfig(config)));
    const w = cfg.widths;
    this.backbone = this.registerModule('backbone', new nn.Sequential(...w.map((c, i) => new SsdConv(i === 0 ? cfg.inChannels : w[i - 1], c, 2))));
    // Stride-1 convs at the first source map's resolution (as the several convs of each VGG stage in
    // the paper): without them the finest map's predictions come from only three conv layers.
    const nw = cfg.neckWidths;
    this.neck = this.registerModule('neck', new nn.Sequential(...nw.map((c, i) => new SsdConv(i === 0 ? w[w.length - 1] : nw[i - 1], c))));
    const sources = [nw.length ? nw[nw.length - 1] : w[w.length - 1], ...cfg.extraWidths];
    this.extras = this.registerModule('extras', new nn.Sequential(...cfg.extraWidths.map((c, i) => new SsdConv(sources[i], c, 2))));
    const K = 4 + 1 + cfg.numClasses;
    this.heads = this.registerModule(
      'heads',
      new nn.Sequential(...sources.map((c, k) => new nn.Conv2d(c, ssdBoxesPerLocation(cfg.aspectRatios[k]) * K, 3, { padding: 1 }))),
    );
    const first = cfg.imageSize / 2 ** w.length;
    this.featureSizes = sources.map((_, k) => first / 2 ** k);
    this.defaultBoxes = ssdDefaultBoxes({ imageSize: cfg.imageSize, featureSizes: this.featureSizes, minScale: cfg.minScale, maxScale: cfg.maxScale, aspectRatios: cfg.aspectRatios });
  }

  get numClasses(): number {
    return this.config.numClasses;
  }
  get imageSize(): number {
    return this.config.imageSize;
  }
  /** Number of default boxes N. */
  get numBoxes(): number {
    return this.defaultBoxes.length / 4;
  }

  /** [B, S, S, C_in] -> [B, N, 5 + numClasses] (finest map's boxes first). */
  forward(x: tf.Tensor): tf.Tensor3D {
    checkImageInput('Ssd', x, { channels: this.config.inChannels, side: this.config.imageSize });
    return tf.tidy(() => {
      const B = x.shape[0];
      const K = 5 + this.config.numClasses;
      const heads = this.heads.children() as nn.Conv2d[];
      let h = this.neck.forward(this.backbone.forward(x)); // [B, S/8, S/8, neckWidths[-1]] for the defaults
      const outs = [heads[0].forward(h).reshape([B, -1, K])];
      (this.extras.children() as SsdConv[]).forEach((layer, k) => {
        h = layer.forward(h); // [B, S/2^(k+4), …]
        outs.push(heads[k + 1].forward(h).reshape([B, -1, K]));
      });
      return tf.concat(outs, 1) as tf.Tensor3D; // [B, N, K]
    });
  }

  /** SSD's multibox loss (see `ssdLoss`). */
  loss(output: tf.Tensor, targets: Targets[]): tf.Scalar {
    return ssdLoss(output, targets, this.defaultBoxes, this.config);
  }

  /** Softmax class scores (background dropped), decoded boxes, per-class NMS. */
  decode(output: tf.Tensor, opts: PostprocessOptions = {}): Detections[] {
    const C = this.config.numClasses;
    const N = this.numBoxes;
    checkOutput('Ssd.decode', output, N, C);
    const [boxes, scores] = tf.tidy(() => {
      const B = output.shape[0];
      const anchors = tf.tensor2d(this.defaultBoxes, [N, 4]);
      const xyxy = decodeBoxes(output.slice([0, 0, 0], [B, N, 4]), anchors, this.config.variances); // [B, N, 4]
      const prob = tf.softmax(output.slice([0, 0, 4], [B, N, C + 1])).slice([0, 0, 1], [B, N, C]); // [B, N, C]
      return [xyxy, prob];
    });
    const bx = boxes.dataSync();
    const sc = scores.dataSync();
    tf.dispose([boxes, scores]);
    const out: Detections[] = [];
    for (let b = 0; b < output.shape[0]; b++) {
      const list: Box[] = [];
      for (let n = 0; n < N; n++) {
        const o = (b * N + n) * 4;
        list.push([bx[o], bx[o + 1], bx[o + 2], bx[o + 3]]);
      }
      out.push(postprocess(list, sc.subarray(b * N * C, (b + 1) * N * C), C, opts));
    }
    return out;
  }
}

/**
 * SSD multibox loss of raw outputs [B, N, 5 + C] against ground truth, with `defaultBoxes` [N·4]
 * xyxy pixels: (Σ_pos smoothL1(offsets - encoded target) + Σ_{pos ∪ hard neg} CE) / #positives
 * over the batch (0 when there is no positive). Hard negatives: per image the `negPosRatio` ×
 * #positives negatives with the highest CE.
 */
export function ssdLoss(output: tf.Tensor, targets: Targets[], defaultBoxes: Float32Array, cfg: Pick<SsdConfig, 'numClasses' | 'posIou' | 'negPosRatio' | 'variances'>): tf.Scalar {
  const C = cfg.numClasses;
  const N = defaultBoxes.length / 4;
  checkOutput('ssdLoss', output, N, C);
  const B = output.shape[0];
  if (targets.length !== B) throw new Error(`ssdLoss: ${targets.length} targets for a batch of ${B}`);
  const labels = new Int32Array(B * N); // 0 = background, c + 1 = class c
  const loc = new Float32Array(B * N * 4);
  let numPos = 0;
  targets.forEach((t, b) => {
    const match = matchAnchors(defaultBoxes, t.boxes, { posIou: cfg.posIou });
    for (let n = 0; n < N; n++) {
      const g = match[n];
      if (g < 0) continue;
      const label = t.labels[g];
      if (!(Number.isInteger(label) && label >= 0 && label < C)) throw new Error(`ssdLoss: label ${label} is outside [0, ${C})`);
      labels[b * N + n] = label + 1;
      loc.set(encodeBox(t.boxes[g], defaultBoxes.subarray(4 * n, 4 * n + 4), cfg.variances), (b * N + n) * 4);
      numPos++;
    }
  });
  return tf.tidy(() => {
    const pos = tf.tensor2d(labels, [B, N], 'int32').greater(0).toFloat(); // [B, N]
    const logits = output.slice([0, 0, 4], [B, N, C + 1]);
    const ce = tf.logSoftmax(logits).mul(tf.oneHot(tf.tensor2d(labels, [B, N], 'int32'), C + 1)).sum(-1).neg(); // [B, N]
    const neg = hardNegativeMask(noGrad(() => ce.clone()), pos, { ratio: cfg.negPosRatio }); // [B, N], constant
    const confLoss = ce.mul(pos.add(neg)).sum();
    const locErr = F.smoothL1Loss(output.slice([0, 0, 0], [B, N, 4]), tf.tensor3d(loc, [B, N, 4]), { reduction: 'none' }).sum(-1); // [B, N]
    const locLoss = locErr.mul(pos).sum();
    return confLoss.add(locLoss).div(Math.max(numPos, 1)) as tf.Scalar;
  });
}

function checkOutput(where: string, output: tf.Tensor, N: number, C: number): void {
  if (output.rank !== 3 || output.shape[1] !== N || output.shape[2] !== 5 + C)
    throw new Error(`${where}: expected output [batch, ${N}, ${5 + C}] (default boxes, 4 offsets + ${C + 1} class scores), got shape [${output.shape}]`);
}

/** SSD (config overrides `SSD_DEFAULTS`: 96×96×1 input, source maps 12×12, 6×6, 3×3, 10 classes). */
export function ssd(config: Partial<SsdConfig> = {}): Ssd {
  return new Ssd(config);
}
