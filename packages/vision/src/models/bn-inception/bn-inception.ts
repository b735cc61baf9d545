/**
 * BN-Inception, also called Inception v2 (Ioffe & Szegedy, 2015, "Batch normalization:
 * accelerating deep network training by reducing internal covariate shift", Fig. 5): GoogLeNet
 * with BatchNorm after every conv, each 5×5 replaced by two 3×3 convs, and stride-2 modules 3c
 * and 4e (max pool pass-through) instead of separate pools. Stem pools use Caffe's ceil mode;
 * the module pools are padded like their convs (floor mode), so any input side works. Input NHWC [B, H, W, C] (224×224 as
 * trained). 11,194,984 parameters at the defaults (convs without bias, since BN follows them; 11,204,936 with Caffe-style conv biases).
 * Modules 4c and 4d use 96-channel pool projections so their outputs are the 576 channels of the
 * paper's table (its "pool proj" column says 128 there, which would give 608).
 */
import { nn, tf } from '@neuralzoo/core';
import { checkImageInput } from '../../blocks/check-input';
import { BnInceptionConfig, resolveBnInceptionConfig } from './config';

type Pair = number | [number, number];

/** conv (no bias) → BatchNorm → ReLU. */
export class ConvBn extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;

  constructor(inC: number, outC: number, kernelSize: Pair, opts: { stride?: number; padding?: Pair } = {}) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, kernelSize, { ...opts, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC));
  }

  /** [B, H, W, inC] -> [B, H', W', outC] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.relu(this.bn.forward(this.conv.forward(x))) as tf.Tensor4D);
  }
}

/** Channel counts of one module, in the paper's column order (0 = branch absent). */
export interface BnInceptionModuleSpec {
  conv1x1: number;
  reduce3x3: number;
  conv3x3: number;
  reduceDouble: number;
  double3x3: number;
  pool: 'avg' | 'max';
  /** 1×1 projection after the pool; 0 = pass-through (stride-2 modules). */
  poolProj: number;
  stride: 1 | 2;
}

/**
 * One BN-Inception module: 1×1 | 1×1→3×3 | 1×1→3×3→3×3 | pool(→1×1). Stride-2 modules drop the
 * 1×1 branch, stride their last 3×3 convs and max pool, and pass the pooled input through.
 */
export class BnInceptionModule extends nn.Module {
  readonly branch1x1: ConvBn | null;
  readonly branch3x3_reduce: ConvBn;
  readonly branch3x3: ConvBn;
  readonly double3x3_reduce: ConvBn;
  readonly double3x3_1: ConvBn;
  readonly double3x3_2: ConvBn;
  readonly pool: nn.Module;
  readonly pool_proj: ConvBn | null;
  readonly outChannels: number;

  constructor(inC: number, s: BnInceptionModuleSpec, w: (c: number) => number) {
    super();
    const last = { stride: s.stride, padding: 1 };
    this.branch1x1 = this.registerModule('branch1x1', s.conv1x1 ? new ConvBn(inC, w(s.conv1x1), 1) : null);
    this.branch3x3_reduce = this.registerModule('branch3x3_reduce', new ConvBn(inC, w(s.reduce3x3), 1));
    this.branch3x3 = this.registerModule('branch3x3', new ConvBn(w(s.reduce3x3), w(s.conv3x3), 3, last));
    this.double3x3_reduce = this.registerModule('double3x3_reduce', new ConvBn(inC, w(s.reduceDouble), 1));
    this.double3x3_1 = this.registerModule('double3x3_1', new ConvBn(w(s.reduceDouble), w(s.double3x3), 3, { padding: 1 }));
    this.double3x3_2 = this.registerModule('double3x3_2', new ConvBn(w(s.double3x3), w(s.double3x3), 3, last));
    const poolOpts = { stride: s.stride, padding: 1 }; // padded like the convs, so any side works
    this.pool = this.registerModule('pool', s.pool === 'avg' ? new nn.AvgPool2d(3, { ...poolOpts, countIncludePad: true }) : new nn.MaxPool2d(3, poolOpts));
    this.pool_proj = this.registerModule('pool_proj', s.poolProj ? new ConvBn(inC, w(s.poolProj), 1) : null);
    this.outChannels = (s.conv1x1 ? w(s.conv1x1) : 0) + w(s.conv3x3) + w(s.double3x3) + (s.poolProj ? w(s.poolProj) : inC);
  }

  /** [B, H, W, inC] -> [B, H/stride, W/stride, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const out: tf.Tensor4D[] = [];
      if (this.branch1x1) out.push(this.branch1x1.forward(x));
      out.push(this.branch3x3.forward(this.branch3x3_reduce.forward(x)));
      out.push(this.double3x3_2.forward(this.double3x3_1.forward(this.double3x3_reduce.forward(x))));
      const pooled = this.pool.forward(x) as tf.Tensor4D;
      out.push(this.pool_proj ? this.pool_proj.forward(pooled) : pooled);
      return tf.concat(out, 3);
    });
  }
}

const m = (conv1x1: number, reduce3x3: number, conv3x3: number, reduceDouble: number, double3x3: number, pool: 'avg' | 'max', poolProj: number, stride: 1 | 2 = 1): BnInceptionModuleSpec => ({
  conv1x1, reduce3x3, conv3x3, reduceDouble, double3x3, pool, poolProj, stride,
});

/** The paper's Fig. 5 table (4c/4d pool projections 96, see the file comment). */
export const BN_INCEPTION_MODULES: Readonly<Record<string, BnInceptionModuleSpec>> = Object.freeze({
  inception_3a: m(64, 64, 64, 64, 96, 'avg', 32), // 28×28×256
  inception_3b: m(64, 64, 96, 64, 96, 'avg', 64), // 28×28×320
  inception_3c: m(0, 128, 160, 64, 96, 'max', 0, 2), // 14×14×576
  inception_4a: m(224, 64, 96, 96, 128, 'avg', 128), // 14×14×576
  inception_4b: m(192, 96, 128, 96, 128, 'avg', 128), // 14×14×576
  inception_4c: m(160, 128, 160, 128, 160, 'avg', 96), // 14×14×576
  inception_4d: m(96, 128, 192, 160, 192, 'avg', 96), // 14×14×576
  inception_4e: m(0, 128, 192, 192, 256, 'max', 0, 2), // 7×7×1024
  inception_5a: m(352, 192, 320, 160, 224, 'avg', 128), // 7×7×1024
  inception_5b: m(352, 192, 320, 192, 224, 'max', 128), // 7×7×1024
});

/** Side of the last feature map for an input side s (< 1: too small). */
export function bnInceptionSide(s: number, stem: BnInceptionConfig['stem']): number {
  const pool = (v: number) => (v < 3 ? 0 : Math.ceil((v - 3) / 2) + 1); // 3×3 stride 2, ceil mode (Caffe)
  let v = stem === 'small' ? s : Math.floor((s + 6 - 7) / 2) + 1; // conv1 7×7, padding 3
  if (stem !== 'small') v = pool(pool(v)); // pool1, pool2
  const half = (u: number) => (u < 1 ? 0 : Math.floor((u - 1) / 2) + 1); // 3c, 4e: 3×3 stride 2, padding 1
  return half(half(v));
}

export class BNInception extends nn.Module {
  readonly config: Readonly<BnInceptionConfig>;
  readonly conv1: ConvBn;
  readonly pool1: nn.Module;
  readonly conv2_reduce: ConvBn;
  readonly conv2: ConvBn;
  readonly pool2: nn.Module;
  /** inception_3a … inception_5b, registered under those names. */
  readonly inceptionModules: BnInceptionModule[] = [];
  readonly dropout: nn.Dropout;
  readonly last_linear: nn.Linear;
  readonly minInputSize: number;

  constructor(config: Partial<BnInceptionConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveBnInceptionConfig(config)));
    const w = (c: number) => Math.max(1, Math.round(c * cfg.widthMultiplier));
    const small = cfg.stem === 'small';
    const pool = () => (small ? new nn.Identity() : new nn.MaxPool2d(3, { stride: 2, ceilMode: true }));
    this.conv1 = this.registerModule('conv1', new ConvBn(cfg.inChannels, w(64), 7, { stride: small ? 1 : 2, padding: 3 }));
    this.pool1 = this.registerModule('pool1', pool());
    this.conv2_reduce = this.registerModule('conv2_reduce', new ConvBn(w(64), w(64), 1));
    this.conv2 = this.registerModule('conv2', new ConvBn(w(64), w(192), 3, { padding: 1 }));
    this.pool2 = this.registerModule('pool2', pool());
    let c = w(192);
    for (const [name, spec] of Object.entries(BN_INCEPTION_MODULES)) {
      const mod = this.registerModule(name, new BnInceptionModule(c, spec, w));
      this.inceptionModules.push(mod);
      c = mod.outChannels;
    }
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.last_linear = this.registerModule('last_linear', new nn.Linear(c, cfg.numClasses));
    let min = 1;
    while (bnInceptionSide(min, cfg.stem) < 1) min++;
    this.minInputSize = min;
  }

  /** [B, H, W, inChannels] images -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    const stem = this.config.stem;
    checkImageInput('BNInception', x, { channels: this.config.inChannels, minSide: this.minInputSize, accepts: (h, w) => bnInceptionSide(h, stem) >= 1 && bnInceptionSide(w, stem) >= 1 });
    return tf.tidy(() => {
      let h = this.pool1.forward(this.conv1.forward(x)) as tf.Tensor4D; // [B, 56, 56, 64] at 224
      h = this.pool2.forward(this.conv2.forward(this.conv2_reduce.forward(h))) as tf.Tensor4D; // [B, 28, 28, 192]
      for (const mod of this.inceptionModules) h = mod.forward(h); // … [B, 7, 7, 1024]
      const pooled = tf.mean(h, [1, 2]); // [B, 1024]
      return this.last_linear.forward(this.dropout.forward(pooled)) as tf.Tensor2D;
    });
  }
}

/** BN-Inception (Inception v2) at the paper's size: 11,194,984 parameters. */
export function bnInception(config: Partial<BnInceptionConfig> = {}): BNInception {
  return new BNInception(config);
}
