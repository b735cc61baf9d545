/**
 * ResNet (He, Zhang, Ren & Sun, 2015, "Deep residual learning for image recognition") in
 * torchvision's v1.5 form: the stride of a downsampling Bottleneck sits on its 3×3 conv.
 * ResNet-18/34 stack BasicBlocks, ResNet-50/101/152 Bottlenecks. Input NHWC [B, H, W, 3]; the
 * state dict is torchvision's (`conv1.weight`, `layer1.0.conv1.weight`,
 * `layer2.0.downsample.0.weight`, …, `fc.bias`): resnet18 has 11,689,512 and resnet50 25,557,032
 * parameters.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveResNetConfig, ResNetConfig, scaleWidth } from './config';
import { checkImageInput } from '../../blocks/check-input';

/** Replaces a parameter's value with `value` (disposed). */
function reinit(p: nn.Parameter | null, value: tf.Tensor): void {
  if (p) p.assign(value);
  value.dispose();
}

/** 3×3 conv, padding 1, no bias (torchvision's conv3x3). */
function conv3x3(inC: number, outC: number, stride = 1): nn.Conv2d {
  return new nn.Conv2d(inC, outC, 3, { stride, padding: 1, bias: false });
}

/** 1×1 conv, no bias (torchvision's conv1x1). */
function conv1x1(inC: number, outC: number, stride = 1): nn.Conv2d {
  return new nn.Conv2d(inC, outC, 1, { stride, bias: false });
}

/** Two 3×3 convs and a skip connection: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). */
export class BasicBlock extends nn.Module {
  static readonly expansion = 1;
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  /** 1×1 conv + BatchNorm on the shortcut when the shape changes, else null. */
  readonly downsample: nn.Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, downsample: nn.Sequential | null = null) {
    super();
    this.conv1 = this.registerModule('conv1', conv3x3(inplanes, planes, stride));
    this.bn1 = this.registerModule('bn1', new nn.BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes));
    this.bn2 = this.registerModule('bn2', new nn.BatchNorm2d(planes));
    this.downsample = this.registerModule('downsample', downsample);
  }

  /** [B, H, W, inplanes] -> [B, H/stride, W/stride, planes] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      let out = tf.relu(this.bn1.forward(this.conv1.forward(x)));
      out = this.bn2.forward(this.conv2.forward(out));
      const identity = this.downsample ? this.downsample.forward(x) : x;
      return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
    });
  }
}

/** 1×1 reduce, 3×3 (strided), 1×1 expand (×4), and a skip connection. */
export class Bottleneck extends nn.Module {
  static readonly expansion = 4;
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  readonly conv3: nn.Conv2d;
  readonly bn3: nn.BatchNorm2d;
  readonly downsample: nn.Sequential | null;

  constructor(inplanes: number, planes: number, stride = 1, downsample: nn.Sequential | null = null) {
    super();
    const out = planes * Bottleneck.expansion;
    this.conv1 = this.registerModule('conv1', conv1x1(inplanes, planes));
    this.bn1 = this.registerModule('bn1', new nn.BatchNorm2d(planes));
    this.conv2 = this.registerModule('conv2', conv3x3(planes, planes, stride));
    this.bn2 = this.registerModule('bn2', new nn.BatchNorm2d(planes));
    this.conv3 = this.registerModule('conv3', conv1x1(planes, out));
    this.bn3 = this.registerModule('bn3', new nn.BatchNorm2d(out));
    this.downsample = this.registerModule('downsample', downsample);
  }

  /** [B, H, W, inplanes] -> [B, H/stride, W/stride, 4·planes] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      let out = tf.relu(this.bn1.forward(this.conv1.forward(x)));
      out = tf.relu(this.bn2.forward(this.conv2.forward(out)));
      out = this.bn3.forward(this.conv3.forward(out));
      const identity = this.downsample ? this.downsample.forward(x) : x;
      return tf.relu(tf.add(out, identity)) as tf.Tensor4D;
    });
  }
}

export type ResNetBlock = typeof BasicBlock | typeof Bottleneck;

export class ResNet extends nn.Module {
  readonly config: Readonly<ResNetConfig>;
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  /** 3×3 stride-2 max pool ('imagenet' stem) or the identity ('small' stem). */
  readonly maxpool: nn.Module;
  readonly layer1: nn.Sequential;
  readonly layer2: nn.Sequential;
  readonly layer3: nn.Sequential;
  readonly layer4: nn.Sequential;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly fc: nn.Linear;
  private readonly name: string;

  /** `block` and `layers` (blocks per stage) pick the depth, e.g. BasicBlock [2, 2, 2, 2] = ResNet-18. */
  constructor(block: ResNetBlock, layers: [number, number, number, number], config: Partial<ResNetConfig> = {}, name = 'ResNet') {
    super();
    this.name = name;
    if (layers.length !== 4 || !layers.every((n) => Number.isInteger(n) && n > 0))
      throw new Error(`${name}: layers must be 4 positive integers, got [${layers}]`);
    const cfg = (this.config = Object.freeze(resolveResNetConfig(config, name)));
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    let inplanes = w(64);
    this.conv1 = this.registerModule(
      'conv1',
      cfg.stem === 'imagenet'
        ? new nn.Conv2d(cfg.inChannels, inplanes, 7, { stride: 2, padding: 3, bias: false })
        : new nn.Conv2d(cfg.inChannels, inplanes, 3, { stride: 1, padding: 1, bias: false }),
    );
    this.bn1 = this.registerModule('bn1', new nn.BatchNorm2d(inplanes));
    this.maxpool = this.registerModule('maxpool', cfg.stem === 'imagenet' ? new nn.MaxPool2d(3, { stride: 2, padding: 1 }) : new nn.Identity());
    const makeLayer = (planes: number, blocks: number, stride: number): nn.Sequential => {
      const out = planes * block.expansion;
      const downsample = stride !== 1 || inplanes !== out ? new nn.Sequential(conv1x1(inplanes, out, stride), new nn.BatchNorm2d(out)) : null;
      const layer = new nn.Sequential(new block(inplanes, planes, stride, downsample));
      inplanes = out;
      for (let i = 1; i < blocks; i++) layer.append(new block(inplanes, planes));
      return layer;
    };
    this.layer1 = this.registerModule('layer1', makeLayer(w(64), layers[0], 1));
    this.layer2 = this.registerModule('layer2', makeLayer(w(128), layers[1], 2));
    this.layer3 = this.registerModule('layer3', makeLayer(w(256), layers[2], 2));
    this.layer4 = this.registerModule('layer4', makeLayer(w(512), layers[3], 2));
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(1));
    this.fc = this.registerModule('fc', new nn.Linear(inplanes, cfg.numClasses));
    this.initWeights();
  }

  /** torchvision's ResNet init: convs Kaiming-normal (fan_out, ReLU); BatchNorm starts at 1/0; fc keeps the default. */
  private initWeights(): void {
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) reinit(m.weight, nn.init.kaimingNormal(m.weight.shape, { mode: 'fanOut', nonlinearity: 'relu' }));
      if (this.config.zeroInitResidual && m instanceof Bottleneck) reinit(m.bn3.weight, tf.zeros(m.bn3.weight!.shape));
      if (this.config.zeroInitResidual && m instanceof BasicBlock) reinit(m.bn2.weight, tf.zeros(m.bn2.weight!.shape));
    }
  }

  /** [B, H, W, inChannels] images -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      let h = this.maxpool.forward(tf.relu(this.bn1.forward(this.conv1.forward(x)))); // [B, H/4, W/4, 64] ('imagenet' stem)
      h = this.layer4.forward(this.layer3.forward(this.layer2.forward(this.layer1.forward(h)))); // [B, H/32, W/32, 512·expansion]
      const pooled = this.avgpool.forward(h); // [B, 1, 1, C]: no transpose needed before flattening
      return this.fc.forward(pooled.reshape([x.shape[0], -1])) as tf.Tensor2D; // [B, numClasses]
    });
  }

  private checkInput(x: tf.Tensor): void {
    checkImageInput(this.name, x, { channels: this.config.inChannels });
  }

}

/** ResNet-18: BasicBlock × [2, 2, 2, 2], 11,689,512 parameters at the defaults. */
export function resnet18(config: Partial<ResNetConfig> = {}): ResNet {
  return new ResNet(BasicBlock, [2, 2, 2, 2], config, 'ResNet18');
}
/** ResNet-34: BasicBlock × [3, 4, 6, 3], 21,797,672 parameters. */
export function resnet34(config: Partial<ResNetConfig> = {}): ResNet {
  return new ResNet(BasicBlock, [3, 4, 6, 3], config, 'ResNet34');
}
/** ResNet-50: Bottleneck × [3, 4, 6, 3], 25,557,032 parameters. */
export function resnet50(config: Partial<ResNetConfig> = {}): ResNet {
  return new ResNet(Bottleneck, [3, 4, 6, 3], config, 'ResNet50');
}
/** ResNet-101: Bottleneck × [3, 4, 23, 3], 44,549,160 parameters. */
export function resnet101(config: Partial<ResNetConfig> = {}): ResNet {
  return new ResNet(Bottleneck, [3, 4, 23, 3], config, 'ResNet101');
}
/** ResNet-152: Bottleneck × [3, 8, 36, 3], 60,192,808 parameters. */
export function resnet152(config: Partial<ResNetConfig> = {}): ResNet {
  return new ResNet(Bottleneck, [3, 8, 36, 3], config, 'ResNet152');
}
