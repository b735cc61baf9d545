/**
 * Inception v3 (Szegedy, Vanhoucke, Ioffe, Shlens & Wojna, 2015, "Rethinking the Inception
 * architecture for computer vision") in torchvision's layout: a conv stem, Mixed_5b–5d
 * (InceptionA), Mixed_6a (InceptionB), Mixed_6b–6e (InceptionC, factorised 7×7), Mixed_7a
 * (InceptionD), Mixed_7b–7c (InceptionE), an optional auxiliary classifier on Mixed_6e, global
 * average pooling, dropout and fc. Input NHWC [B, H, W, 3] (299×299 as trained, >= 75×75); the
 * state dict is torchvision's (`Conv2d_1a_3x3.conv.weight`, `Mixed_5b.branch1x1.conv.weight`,
 * `AuxLogits.fc.weight`, …): 23,834,568 parameters without the aux head.
 */
import { nn, tf } from '@neuralzoo/core';
import { inceptionV3MinInputSize, inceptionV3Sides, InceptionV3Config, resolveInceptionV3Config, scaleWidth } from './config';
import { checkImageInput } from '../../blocks/check-input';

/** Replaces a parameter's value with `value` (disposed). */
function reinit(p: nn.Parameter | null, value: tf.Tensor): void {
  if (p) p.assign(value);
  value.dispose();
}

type Pair = number | [number, number];

/** conv (no bias) → BatchNorm (eps 1e-3) → ReLU. */
export class BasicConv2d extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;

  constructor(inC: number, outC: number, kernelSize: Pair, opts: { stride?: number; padding?: Pair } = {}) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, kernelSize, { ...opts, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC, { eps: 0.001 }));
  }

  /** [B, H, W, inC] -> [B, H', W', outC] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.relu(this.bn.forward(this.conv.forward(x))) as tf.Tensor4D);
  }
}

/** 3×3 stride-1 average pool with zero padding counted in the divisor (F.avg_pool2d(x, 3, 1, 1)). */
const avgPool3 = () => new nn.AvgPool2d(3, { stride: 1, padding: 1 });

/** Mixed_5b–5d (35×35): 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg pool→1×1. */
export class InceptionA extends nn.Module {
  readonly branch1x1: BasicConv2d;
  readonly branch5x5_1: BasicConv2d;
  readonly branch5x5_2: BasicConv2d;
  readonly branch3x3dbl_1: BasicConv2d;
  readonly branch3x3dbl_2: BasicConv2d;
  readonly branch3x3dbl_3: BasicConv2d;
  readonly branch_pool: BasicConv2d;
  readonly pool: nn.AvgPool2d;
  readonly outChannels: number;

  constructor(inC: number, poolFeatures: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    this.branch1x1 = this.registerModule('branch1x1', new BasicConv2d(inC, w(64), 1));
    this.branch5x5_1 = this.registerModule('branch5x5_1', new BasicConv2d(inC, w(48), 1));
    this.branch5x5_2 = this.registerModule('branch5x5_2', new BasicConv2d(w(48), w(64), 5, { padding: 2 }));
    this.branch3x3dbl_1 = this.registerModule('branch3x3dbl_1', new BasicConv2d(inC, w(64), 1));
    this.branch3x3dbl_2 = this.registerModule('branch3x3dbl_2', new BasicConv2d(w(64), w(96), 3, { padding: 1 }));
    this.branch3x3dbl_3 = this.registerModule('branch3x3dbl_3', new BasicConv2d(w(96), w(96), 3, { padding: 1 }));
    this.branch_pool = this.registerModule('branch_pool', new BasicConv2d(inC, poolFeatures, 1));
    this.pool = this.registerModule('pool', avgPool3());
    this.outChannels = w(64) + w(64) + w(96) + poolFeatures;
  }

  /** [B, H, W, inC] -> [B, H, W, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b1 = this.branch1x1.forward(x);
      const b5 = this.branch5x5_2.forward(this.branch5x5_1.forward(x));
      const b3 = this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x)));
      const bp = this.branch_pool.forward(this.pool.forward(x));
      return tf.concat([b1, b5, b3, bp], 3);
    });
  }
}

/** Mixed_6a (35→17): 3×3 stride 2 | 1×1→3×3→3×3 stride 2 | max pool stride 2. */
export class InceptionB extends nn.Module {
  readonly branch3x3: BasicConv2d;
  readonly branch3x3dbl_1: BasicConv2d;
  readonly branch3x3dbl_2: BasicConv2d;
  readonly branch3x3dbl_3: BasicConv2d;
  readonly pool: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    this.branch3x3 = this.registerModule('branch3x3', new BasicConv2d(inC, w(384), 3, { stride: 2 }));
    this.branch3x3dbl_1 = this.registerModule('branch3x3dbl_1', new BasicConv2d(inC, w(64), 1));
    this.branch3x3dbl_2 = this.registerModule('branch3x3dbl_2', new BasicConv2d(w(64), w(96), 3, { padding: 1 }));
    this.branch3x3dbl_3 = this.registerModule('branch3x3dbl_3', new BasicConv2d(w(96), w(96), 3, { stride: 2 }));
    this.pool = this.registerModule('pool', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(384) + w(96) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b3 = this.branch3x3.forward(x);
      const bd = this.branch3x3dbl_3.forward(this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x)));
      return tf.concat([b3, bd, this.pool.forward(x)], 3);
    });
  }
}

/** Mixed_6b–6e (17×17): 1×1 | 1×1→1×7→7×1 | 1×1→7×1→1×7→7×1→1×7 | avg pool→1×1. */
export class InceptionC extends nn.Module {
  readonly branch1x1: BasicConv2d;
  readonly branch7x7_1: BasicConv2d;
  readonly branch7x7_2: BasicConv2d;
  readonly branch7x7_3: BasicConv2d;
  readonly branch7x7dbl_1: BasicConv2d;
  readonly branch7x7dbl_2: BasicConv2d;
  readonly branch7x7dbl_3: BasicConv2d;
  readonly branch7x7dbl_4: BasicConv2d;
  readonly branch7x7dbl_5: BasicConv2d;
  readonly branch_pool: BasicConv2d;
  readonly pool: nn.AvgPool2d;
  readonly outChannels: number;

  constructor(inC: number, channels7x7: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    const c7 = channels7x7;
    const row = { padding: [0, 3] as [number, number] }; // 1×7
    const col = { padding: [3, 0] as [number, number] }; // 7×1
    this.branch1x1 = this.registerModule('branch1x1', new BasicConv2d(inC, w(192), 1));
    this.branch7x7_1 = this.registerModule('branch7x7_1', new BasicConv2d(inC, c7, 1));
    this.branch7x7_2 = this.registerModule('branch7x7_2', new BasicConv2d(c7, c7, [1, 7], row));
    this.branch7x7_3 = this.registerModule('branch7x7_3', new BasicConv2d(c7, w(192), [7, 1], col));
    this.branch7x7dbl_1 = this.registerModule('branch7x7dbl_1', new BasicConv2d(inC, c7, 1));
    this.branch7x7dbl_2 = this.registerModule('branch7x7dbl_2', new BasicConv2d(c7, c7, [7, 1], col));
    this.branch7x7dbl_3 = this.registerModule('branch7x7dbl_3', new BasicConv2d(c7, c7, [1, 7], row));
    this.branch7x7dbl_4 = this.registerModule('branch7x7dbl_4', new BasicConv2d(c7, c7, [7, 1], col));
    this.branch7x7dbl_5 = this.registerModule('branch7x7dbl_5', new BasicConv2d(c7, w(192), [1, 7], row));
    this.branch_pool = this.registerModule('branch_pool', new BasicConv2d(inC, w(192), 1));
    this.pool = this.registerModule('pool', avgPool3());
    this.outChannels = 4 * w(192);
  }

  /** [B, H, W, inC] -> [B, H, W, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b1 = this.branch1x1.forward(x);
      const b7 = this.branch7x7_3.forward(this.branch7x7_2.forward(this.branch7x7_1.forward(x)));
      let bd = this.branch7x7dbl_2.forward(this.branch7x7dbl_1.forward(x));
      bd = this.branch7x7dbl_5.forward(this.branch7x7dbl_4.forward(this.branch7x7dbl_3.forward(bd)));
      const bp = this.branch_pool.forward(this.pool.forward(x));
      return tf.concat([b1, b7, bd, bp], 3);
    });
  }
}

/** Mixed_7a (17→8): 1×1→3×3 stride 2 | 1×1→1×7→7×1→3×3 stride 2 | max pool stride 2. */
export class InceptionD extends nn.Module {
  readonly branch3x3_1: BasicConv2d;
  readonly branch3x3_2: BasicConv2d;
  readonly branch7x7x3_1: BasicConv2d;
  readonly branch7x7x3_2: BasicConv2d;
  readonly branch7x7x3_3: BasicConv2d;
  readonly branch7x7x3_4: BasicConv2d;
  readonly pool: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    this.branch3x3_1 = this.registerModule('branch3x3_1', new BasicConv2d(inC, w(192), 1));
    this.branch3x3_2 = this.registerModule('branch3x3_2', new BasicConv2d(w(192), w(320), 3, { stride: 2 }));
    this.branch7x7x3_1 = this.registerModule('branch7x7x3_1', new BasicConv2d(inC, w(192), 1));
    this.branch7x7x3_2 = this.registerModule('branch7x7x3_2', new BasicConv2d(w(192), w(192), [1, 7], { padding: [0, 3] }));
    this.branch7x7x3_3 = this.registerModule('branch7x7x3_3', new BasicConv2d(w(192), w(192), [7, 1], { padding: [3, 0] }));
    this.branch7x7x3_4 = this.registerModule('branch7x7x3_4', new BasicConv2d(w(192), w(192), 3, { stride: 2 }));
    this.pool = this.registerModule('pool', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(320) + w(192) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b3 = this.branch3x3_2.forward(this.branch3x3_1.forward(x));
      let b7 = this.branch7x7x3_2.forward(this.branch7x7x3_1.forward(x));
      b7 = this.branch7x7x3_4.forward(this.branch7x7x3_3.forward(b7));
      return tf.concat([b3, b7, this.pool.forward(x)], 3);
    });
  }
}

/** Mixed_7b–7c (8×8): 1×1 | 1×1→(1×3 ‖ 3×1) | 1×1→3×3→(1×3 ‖ 3×1) | avg pool→1×1. */
export class InceptionE extends nn.Module {
  readonly branch1x1: BasicConv2d;
  readonly branch3x3_1: BasicConv2d;
  readonly branch3x3_2a: BasicConv2d;
  readonly branch3x3_2b: BasicConv2d;
  readonly branch3x3dbl_1: BasicConv2d;
  readonly branch3x3dbl_2: BasicConv2d;
  readonly branch3x3dbl_3a: BasicConv2d;
  readonly branch3x3dbl_3b: BasicConv2d;
  readonly branch_pool: BasicConv2d;
  readonly pool: nn.AvgPool2d;
  readonly outChannels: number;

  constructor(inC: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    const row = { padding: [0, 1] as [number, number] }; // 1×3
    const col = { padding: [1, 0] as [number, number] }; // 3×1
    this.branch1x1 = this.registerModule('branch1x1', new BasicConv2d(inC, w(320), 1));
    this.branch3x3_1 = this.registerModule('branch3x3_1', new BasicConv2d(inC, w(384), 1));
    this.branch3x3_2a = this.registerModule('branch3x3_2a', new BasicConv2d(w(384), w(384), [1, 3], row));
    this.branch3x3_2b = this.registerModule('branch3x3_2b', new BasicConv2d(w(384), w(384), [3, 1], col));
    this.branch3x3dbl_1 = this.registerModule('branch3x3dbl_1', new BasicConv2d(inC, w(448), 1));
    this.branch3x3dbl_2 = this.registerModule('branch3x3dbl_2', new BasicConv2d(w(448), w(384), 3, { padding: 1 }));
    this.branch3x3dbl_3a = this.registerModule('branch3x3dbl_3a', new BasicConv2d(w(384), w(384), [1, 3], row));
    this.branch3x3dbl_3b = this.registerModule('branch3x3dbl_3b', new BasicConv2d(w(384), w(384), [3, 1], col));
    this.branch_pool = this.registerModule('branch_pool', new BasicConv2d(inC, w(192), 1));
    this.pool = this.registerModule('pool', avgPool3());
    this.outChannels = w(320) + 4 * w(384) + w(192);
  }

  /** [B, H, W, inC] -> [B, H, W, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b1 = this.branch1x1.forward(x);
      const s3 = this.branch3x3_1.forward(x);
      const b3 = tf.concat([this.branch3x3_2a.forward(s3), this.branch3x3_2b.forward(s3)], 3);
      const d3 = this.branch3x3dbl_2.forward(this.branch3x3dbl_1.forward(x));
      const bd = tf.concat([this.branch3x3dbl_3a.forward(d3), this.branch3x3dbl_3b.forward(d3)], 3);
      const bp = this.branch_pool.forward(this.pool.forward(x));
      return tf.concat([b1, b3, bd, bp], 3);
    });
  }
}

/** Auxiliary classifier on Mixed_6e: 5×5 stride-3 avg pool → 1×1 conv (128) → 5×5 conv (768) → global pool → fc. */
export class InceptionAux extends nn.Module {
  readonly pool: nn.AvgPool2d;
  readonly conv0: BasicConv2d;
  readonly conv1: BasicConv2d;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly fc: nn.Linear;

  constructor(inC: number, numClasses: number, widthMultiplier = 1) {
    super();
    const w = (c: number) => scaleWidth(c, widthMultiplier);
    this.pool = this.registerModule('pool', new nn.AvgPool2d(5, { stride: 3 }));
    this.conv0 = this.registerModule('conv0', new BasicConv2d(inC, w(128), 1));
    this.conv1 = this.registerModule('conv1', new BasicConv2d(w(128), w(768), 5));
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(1));
    this.fc = this.registerModule('fc', new nn.Linear(w(768), numClasses));
  }

  /** [B, 17, 17, inC] -> [B, numClasses] */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const h = this.conv1.forward(this.conv0.forward(this.pool.forward(x))); // [B, 1, 1, 768] at 17×17
      return this.fc.forward(this.avgpool.forward(h).reshape([x.shape[0], -1])) as tf.Tensor2D;
    });
  }
}

/** Logits of the main head and, in training mode with `auxLogits`, of the aux head (else null). */
export interface InceptionV3Outputs {
  logits: tf.Tensor2D;
  aux: tf.Tensor2D | null;
}

/** Per-channel affine map of `transformInput`: x·std/0.5 + (mean - 0.5)/0.5 with ImageNet's mean and std. */
const TRANSFORM_SCALE = [0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5];
const TRANSFORM_SHIFT = [(0.485 - 0.5) / 0.5, (0.456 - 0.5) / 0.5, (0.406 - 0.5) / 0.5];

export class InceptionV3 extends nn.Module {
  readonly config: Readonly<InceptionV3Config>;
  readonly Conv2d_1a_3x3: BasicConv2d;
  readonly Conv2d_2a_3x3: BasicConv2d;
  readonly Conv2d_2b_3x3: BasicConv2d;
  readonly maxpool1: nn.Module;
  readonly Conv2d_3b_1x1: BasicConv2d;
  readonly Conv2d_4a_3x3: BasicConv2d;
  readonly maxpool2: nn.Module;
  readonly Mixed_5b: InceptionA;
  readonly Mixed_5c: InceptionA;
  readonly Mixed_5d: InceptionA;
  readonly Mixed_6a: InceptionB;
  readonly Mixed_6b: InceptionC;
  readonly Mixed_6c: InceptionC;
  readonly Mixed_6d: InceptionC;
  readonly Mixed_6e: InceptionC;
  readonly AuxLogits: InceptionAux | null;
  readonly Mixed_7a: InceptionD;
  readonly Mixed_7b: InceptionE;
  readonly Mixed_7c: InceptionE;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;
  readonly minInputSize: number;

  constructor(config: Partial<InceptionV3Config> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveInceptionV3Config(config)));
    this.minInputSize = inceptionV3MinInputSize(cfg.stem);
    const m = cfg.widthMultiplier;
    const w = (c: number) => scaleWidth(c, m);
    const imagenet = cfg.stem === 'imagenet';
    this.Conv2d_1a_3x3 = this.registerModule('Conv2d_1a_3x3', new BasicConv2d(cfg.inChannels, w(32), 3, { stride: imagenet ? 2 : 1 }));
    this.Conv2d_2a_3x3 = this.registerModule('Conv2d_2a_3x3', new BasicConv2d(w(32), w(32), 3));
    this.Conv2d_2b_3x3 = this.registerModule('Conv2d_2b_3x3', new BasicConv2d(w(32), w(64), 3, { padding: 1 }));
    this.maxpool1 = this.registerModule('maxpool1', imagenet ? new nn.MaxPool2d(3, { stride: 2 }) : new nn.Identity());
    this.Conv2d_3b_1x1 = this.registerModule('Conv2d_3b_1x1', new BasicConv2d(w(64), w(80), 1));
    this.Conv2d_4a_3x3 = this.registerModule('Conv2d_4a_3x3', new BasicConv2d(w(80), w(192), 3));
    this.maxpool2 = this.registerModule('maxpool2', imagenet ? new nn.MaxPool2d(3, { stride: 2 }) : new nn.Identity());
    this.Mixed_5b = this.registerModule('Mixed_5b', new InceptionA(w(192), w(32), m));
    this.Mixed_5c = this.registerModule('Mixed_5c', new InceptionA(this.Mixed_5b.outChannels, w(64), m));
    this.Mixed_5d = this.registerModule('Mixed_5d', new InceptionA(this.Mixed_5c.outChannels, w(64), m));
    this.Mixed_6a = this.registerModule('Mixed_6a', new InceptionB(this.Mixed_5d.outChannels, m));
    this.Mixed_6b = this.registerModule('Mixed_6b', new InceptionC(this.Mixed_6a.outChannels, w(128), m));
    this.Mixed_6c = this.registerModule('Mixed_6c', new InceptionC(this.Mixed_6b.outChannels, w(160), m));
    this.Mixed_6d = this.registerModule('Mixed_6d', new InceptionC(this.Mixed_6c.outChannels, w(160), m));
    this.Mixed_6e = this.registerModule('Mixed_6e', new InceptionC(this.Mixed_6d.outChannels, w(192), m));
    this.AuxLogits = this.registerModule('AuxLogits', cfg.auxLogits ? new InceptionAux(this.Mixed_6e.outChannels, cfg.numClasses, m) : null);
    this.Mixed_7a = this.registerModule('Mixed_7a', new InceptionD(this.Mixed_6e.outChannels, m));
    this.Mixed_7b = this.registerModule('Mixed_7b', new InceptionE(this.Mixed_7a.outChannels, m));
    this.Mixed_7c = this.registerModule('Mixed_7c', new InceptionE(this.Mixed_7b.outChannels, m));
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(1));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(this.Mixed_7c.outChannels, cfg.numClasses));
    if (cfg.initWeights) this.initWeights();
  }

  /**
   * torchvision's init: N(0, 0.1²) conv and linear weights, except AuxLogits.fc at N(0, 0.001²)
   * (torchvision's aux conv1 `stddev` sits on the wrapper, not the conv, so that conv gets 0.1 too).
   */
  private initWeights(): void {
    for (const mod of this.modules()) {
      if (!(mod instanceof nn.Conv2d || mod instanceof nn.Linear)) continue;
      const std = this.AuxLogits && mod === this.AuxLogits.fc ? 0.001 : 0.1;
      reinit(mod.weight, nn.init.normal(mod.weight.shape, 0, std));
    }
  }

  /** [B, H, W, inChannels] images (H, W >= minInputSize) -> [B, numClasses] logits of the main head. */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => this.run(x, false).logits);
  }

  /** Main and auxiliary logits; aux is null in eval mode or without `auxLogits`, like torchvision. */
  forwardWithAux(x: tf.Tensor): InceptionV3Outputs {
    this.checkInput(x);
    const withAux = this.training && this.config.auxLogits;
    if (withAux) {
      const side = Math.min(inceptionV3Sides(x.shape[1]!, this.config.stem).mixed6e, inceptionV3Sides(x.shape[2]!, this.config.stem).mixed6e);
      if (side < 17)
        throw new Error(`InceptionV3: the aux head needs Mixed_6e maps >= 17×17 (e.g. 299×299 inputs), got ${side}×${side} from input shape [${x.shape}]`);
    }
    const out = tf.tidy(() => {
      const o = this.run(x, withAux);
      return o.aux ? [o.logits, o.aux] : [o.logits];
    });
    return { logits: out[0], aux: out[1] ?? null };
  }

  private run(x: tf.Tensor, withAux: boolean): InceptionV3Outputs {
    const B = x.shape[0];
    let h = this.config.transformInput ? tf.add(tf.mul(x, TRANSFORM_SCALE), TRANSFORM_SHIFT) : x;
    h = this.Conv2d_2b_3x3.forward(this.Conv2d_2a_3x3.forward(this.Conv2d_1a_3x3.forward(h))); // [B, 147, 147, 64] at 299
    h = this.maxpool1.forward(h); // [B, 73, 73, 64]
    h = this.maxpool2.forward(this.Conv2d_4a_3x3.forward(this.Conv2d_3b_1x1.forward(h))); // [B, 35, 35, 192]
    h = this.Mixed_5d.forward(this.Mixed_5c.forward(this.Mixed_5b.forward(h))); // [B, 35, 35, 288]
    h = this.Mixed_6a.forward(h); // [B, 17, 17, 768]
    h = this.Mixed_6e.forward(this.Mixed_6d.forward(this.Mixed_6c.forward(this.Mixed_6b.forward(h)))); // [B, 17, 17, 768]
    const aux = withAux ? this.AuxLogits!.forward(h) : null;
    h = this.Mixed_7c.forward(this.Mixed_7b.forward(this.Mixed_7a.forward(h))); // [B, 8, 8, 2048]
    const pooled = this.avgpool.forward(h).reshape([B, -1]); // [B, 2048]
    return { logits: this.fc.forward(this.dropout.forward(pooled)) as tf.Tensor2D, aux };
  }

  private checkInput(x: tf.Tensor): void {
    const stem = this.config.stem;
    const accepts = (h: number, w: number) => inceptionV3Sides(h, stem).mixed7c >= 1 && inceptionV3Sides(w, stem).mixed7c >= 1;
    checkImageInput('InceptionV3', x, { channels: this.config.inChannels, minSide: this.minInputSize, accepts });
  }

}

/** torchvision's `inception_v3()` without the aux head by default: 23,834,568 parameters. */
export function inceptionV3(config: Partial<InceptionV3Config> = {}): InceptionV3 {
  return new InceptionV3(config);
}
