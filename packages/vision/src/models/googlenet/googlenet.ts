/**
 * GoogLeNet / Inception v1 (Szegedy et al., 2014, "Going deeper with convolutions") in
 * torchvision's form: BatchNorm after every conv (BasicConv2d), nine Inception blocks, optional
 * auxiliary classifiers, and torchvision's 3×3 (not 5×5) conv in each block's third branch.
 * Input NHWC [B, H, W, 3]; the state dict is torchvision's (`conv1.conv.weight`,
 * `inception3a.branch2.0.conv.weight`, `aux1.fc1.weight`, …, `fc.bias`): 6,624,904 parameters
 * without the aux heads.
 */
import { nn, tf } from '@neuralzoo/core';
import { GoogLeNetConfig, googlenetFeatureSide, googlenetMinInputSize, resolveGoogLeNetConfig, scaleWidth } from './config';
import { checkImageInput } from '../../blocks/check-input';

/** Replaces a parameter's value with `value` (disposed). */
function reinit(p: nn.Parameter | null, value: tf.Tensor): void {
  if (p) p.assign(value);
  value.dispose();
}

/** conv (no bias) → BatchNorm (eps 1e-3) → ReLU. */
export class BasicConv2d extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;

  constructor(inC: number, outC: number, kernelSize: number, opts: { stride?: number; padding?: number } = {}) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, kernelSize, { ...opts, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC, { eps: 0.001 }));
  }

  /** [B, H, W, inC] -> [B, H', W', outC] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.relu(this.bn.forward(this.conv.forward(x))) as tf.Tensor4D);
  }
}

/** Four parallel branches (1×1; 1×1→3×3; 1×1→3×3; 3×3 max pool→1×1) concatenated on channels. */
export class Inception extends nn.Module {
  readonly branch1: BasicConv2d;
  readonly branch2: nn.Sequential;
  readonly branch3: nn.Sequential;
  readonly branch4: nn.Sequential;
  /** Output channels: ch1x1 + ch3x3 + ch5x5 + poolProj. */
  readonly outChannels: number;

  constructor(inC: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number) {
    super();
    this.branch1 = this.registerModule('branch1', new BasicConv2d(inC, ch1x1, 1));
    this.branch2 = this.registerModule('branch2', new nn.Sequential(new BasicConv2d(inC, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 })));
    // torchvision uses a 3×3 conv here where the paper has 5×5 (pytorch/vision#906); kept for weight compatibility.
    this.branch3 = this.registerModule('branch3', new nn.Sequential(new BasicConv2d(inC, ch5x5red, 1), new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 })));
    this.branch4 = this.registerModule(
      'branch4',
      new nn.Sequential(new nn.MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inC, poolProj, 1)),
    );
    this.outChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
  }

  /** [B, H, W, inC] -> [B, H, W, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.concat([this.branch1.forward(x), this.branch2.forward(x), this.branch3.forward(x), this.branch4.forward(x)], 3));
  }
}

/** Auxiliary classifier: adaptive 4×4 average pool → 1×1 conv (128) → fc 1024 → dropout → fc. */
export class InceptionAux extends nn.Module {
  readonly pool: nn.AdaptiveAvgPool2d;
  readonly conv: BasicConv2d;
  readonly fc1: nn.Linear;
  readonly fc2: nn.Linear;
  readonly dropout: nn.Dropout;
  private readonly convChannels: number;

  constructor(inC: number, numClasses: number, dropout: number, widthMultiplier = 1) {
    super();
    this.convChannels = scaleWidth(128, widthMultiplier);
    const hidden = scaleWidth(1024, widthMultiplier);
    this.pool = this.registerModule('pool', new nn.AdaptiveAvgPool2d(4)); // no parameters: adds no state-dict key
    this.conv = this.registerModule('conv', new BasicConv2d(inC, this.convChannels, 1));
    this.fc1 = this.registerModule('fc1', new nn.Linear(this.convChannels * 16, hidden));
    this.fc2 = this.registerModule('fc2', new nn.Linear(hidden, numClasses));
    this.dropout = this.registerModule('dropout', new nn.Dropout(dropout));
  }

  /** [B, H, W, inC] -> [B, numClasses] */
  forward(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const B = x.shape[0];
      const h = this.conv.forward(this.pool.forward(x)); // [B, 4, 4, 128]
      // torchvision flattens in (C, H, W) order: transpose so its fc1 weight applies unchanged.
      const flat = h.transpose([0, 3, 1, 2]).reshape([B, this.convChannels * 16]); // [B, 2048]
      return this.fc2.forward(this.dropout.forward(tf.relu(this.fc1.forward(flat)))) as tf.Tensor2D;
    });
  }
}

/** Logits of the main head and, in training mode with `auxLogits`, of the two aux heads (else null). */
export interface GoogLeNetOutputs {
  logits: tf.Tensor2D;
  aux1: tf.Tensor2D | null;
  aux2: tf.Tensor2D | null;
}

/** Per-channel affine map of `transformInput`: x·std/0.5 + (mean - 0.5)/0.5 with ImageNet's mean and std. */
const TRANSFORM_SCALE = [0.229 / 0.5, 0.224 / 0.5, 0.225 / 0.5];
const TRANSFORM_SHIFT = [(0.485 - 0.5) / 0.5, (0.456 - 0.5) / 0.5, (0.406 - 0.5) / 0.5];

export class GoogLeNet extends nn.Module {
  readonly config: Readonly<GoogLeNetConfig>;
  readonly conv1: BasicConv2d;
  readonly maxpool1: nn.MaxPool2d;
  readonly conv2: BasicConv2d;
  readonly conv3: BasicConv2d;
  readonly maxpool2: nn.MaxPool2d;
  readonly inception3a: Inception;
  readonly inception3b: Inception;
  readonly maxpool3: nn.MaxPool2d;
  readonly inception4a: Inception;
  readonly inception4b: Inception;
  readonly inception4c: Inception;
  readonly inception4d: Inception;
  readonly inception4e: Inception;
  readonly maxpool4: nn.MaxPool2d;
  readonly inception5a: Inception;
  readonly inception5b: Inception;
  readonly aux1: InceptionAux | null;
  readonly aux2: InceptionAux | null;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;
  /** Smallest input side (31 with the 'imagenet' stem, 16 with 'small'). */
  readonly minInputSize: number;

  constructor(config: Partial<GoogLeNetConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveGoogLeNetConfig(config)));
    this.minInputSize = googlenetMinInputSize(cfg.stem);
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    const block = (inC: number, ...chs: [number, number, number, number, number, number]) => new Inception(inC, ...(chs.map(w) as typeof chs));
    const conv1Opts = cfg.stem === 'imagenet' ? { kernel: 7, stride: 2, padding: 3 } : { kernel: 3, stride: 1, padding: 1 };
    this.conv1 = this.registerModule('conv1', new BasicConv2d(cfg.inChannels, w(64), conv1Opts.kernel, { stride: conv1Opts.stride, padding: conv1Opts.padding }));
    this.maxpool1 = this.registerModule('maxpool1', new nn.MaxPool2d(3, { stride: 2, ceilMode: true }));
    this.conv2 = this.registerModule('conv2', new BasicConv2d(w(64), w(64), 1));
    this.conv3 = this.registerModule('conv3', new BasicConv2d(w(64), w(192), 3, { padding: 1 }));
    this.maxpool2 = this.registerModule('maxpool2', new nn.MaxPool2d(3, { stride: 2, ceilMode: true }));
    this.inception3a = this.registerModule('inception3a', block(w(192), 64, 96, 128, 16, 32, 32));
    this.inception3b = this.registerModule('inception3b', block(this.inception3a.outChannels, 128, 128, 192, 32, 96, 64));
    this.maxpool3 = this.registerModule('maxpool3', new nn.MaxPool2d(3, { stride: 2, ceilMode: true }));
    this.inception4a = this.registerModule('inception4a', block(this.inception3b.outChannels, 192, 96, 208, 16, 48, 64));
    this.inception4b = this.registerModule('inception4b', block(this.inception4a.outChannels, 160, 112, 224, 24, 64, 64));
    this.inception4c = this.registerModule('inception4c', block(this.inception4b.outChannels, 128, 128, 256, 24, 64, 64));
    this.inception4d = this.registerModule('inception4d', block(this.inception4c.outChannels, 112, 144, 288, 32, 64, 64));
    this.inception4e = this.registerModule('inception4e', block(this.inception4d.outChannels, 256, 160, 320, 32, 128, 128));
    this.maxpool4 = this.registerModule('maxpool4', new nn.MaxPool2d(2, { stride: 2, ceilMode: true }));
    this.inception5a = this.registerModule('inception5a', block(this.inception4e.outChannels, 256, 160, 320, 32, 128, 128));
    this.inception5b = this.registerModule('inception5b', block(this.inception5a.outChannels, 384, 192, 384, 48, 128, 128));
    const aux = (inC: number) => (cfg.auxLogits ? new InceptionAux(inC, cfg.numClasses, cfg.dropoutAux, cfg.widthMultiplier) : null);
    this.aux1 = this.registerModule('aux1', aux(this.inception4a.outChannels));
    this.aux2 = this.registerModule('aux2', aux(this.inception4d.outChannels));
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(1));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(this.inception5b.outChannels, cfg.numClasses));
    if (cfg.initWeights) this.initWeights();
  }

  /** torchvision's init: conv and linear weights N(0, 0.01²); biases and BatchNorm (1/0) unchanged. */
  private initWeights(): void {
    for (const m of this.modules())
      if (m instanceof nn.Conv2d || m instanceof nn.Linear) reinit(m.weight, nn.init.normal(m.weight.shape, 0, 0.01));
  }

  /** [B, H, W, inChannels] images (H, W >= minInputSize) -> [B, numClasses] logits of the main head. */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => this.run(x, false).logits);
  }

  /** Main and auxiliary logits; the aux logits are null in eval mode or without `auxLogits`, like torchvision. */
  forwardWithAux(x: tf.Tensor): GoogLeNetOutputs {
    this.checkInput(x);
    const out = tf.tidy(() => {
      const o = this.run(x, this.training && this.config.auxLogits);
      return [o.logits, o.aux1, o.aux2].filter((t): t is tf.Tensor2D => t !== null);
    });
    return { logits: out[0], aux1: out[1] ?? null, aux2: out[2] ?? null };
  }

  private run(x: tf.Tensor, withAux: boolean): GoogLeNetOutputs {
    const B = x.shape[0];
    let h = this.config.transformInput ? tf.add(tf.mul(x, TRANSFORM_SCALE), TRANSFORM_SHIFT) : x;
    // sides for the 'imagenet' stem; the 'small' stem's maps are twice as large per side
    h = this.maxpool1.forward(this.conv1.forward(h)); // [B, H/4, W/4, 64]
    h = this.maxpool2.forward(this.conv3.forward(this.conv2.forward(h))); // [B, H/8, W/8, 192]
    h = this.maxpool3.forward(this.inception3b.forward(this.inception3a.forward(h))); // [B, H/16, W/16, 480]
    h = this.inception4a.forward(h); // [B, H/16, W/16, 512]
    const aux1 = withAux ? this.aux1!.forward(h) : null;
    h = this.inception4d.forward(this.inception4c.forward(this.inception4b.forward(h))); // [B, H/16, W/16, 528]
    const aux2 = withAux ? this.aux2!.forward(h) : null;
    h = this.maxpool4.forward(this.inception4e.forward(h)); // [B, H/32, W/32, 832]
    h = this.inception5b.forward(this.inception5a.forward(h)); // [B, H/32, W/32, 1024]
    const pooled = this.avgpool.forward(h).reshape([B, -1]); // [B, 1024]
    const logits = this.fc.forward(this.dropout.forward(pooled)) as tf.Tensor2D;
    return { logits, aux1, aux2 };
  }

  private checkInput(x: tf.Tensor): void {
    const stem = this.config.stem;
    const accepts = (h: number, w: number) => googlenetFeatureSide(h, stem) >= 1 && googlenetFeatureSide(w, stem) >= 1;
    checkImageInput('GoogLeNet', x, { channels: this.config.inChannels, minSide: this.minInputSize, accepts });
  }

}

/** torchvision's `googlenet()` without aux heads by default: 6,624,904 parameters. */
export function googlenet(config: Partial<GoogLeNetConfig> = {}): GoogLeNet {
  return new GoogLeNet(config);
}
