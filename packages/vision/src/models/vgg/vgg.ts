/**
 * VGG (Simonyan & Zisserman, 2014, "Very deep convolutional networks for large-scale image
 * recognition"), configurations A/B/D/E = VGG-11/13/16/19, with or without BatchNorm after each
 * conv, in torchvision's layout: `features` (3×3 convs, 2×2 max pools), an adaptive 7×7 average
 * pool and a 3-layer classifier with dropout. Input NHWC [B, H, W, 3] with H, W >= 32; the state
 * dict is torchvision's (`features.0.weight` … `classifier.6.bias`): vgg11 has 132,863,336 and
 * vgg16 138,357,544 parameters.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveVggConfig, scaleWidth, VGG_MIN_INPUT_SIZE, VggConfig } from './config';
import { checkImageInput } from '../../blocks/check-input';

/** Conv widths per configuration; 'M' is a 2×2 max pool (torchvision's cfgs A, B, D, E). */
const LAYERS = {
  vgg11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  vgg16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  vgg19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
} as const;

export type VggDepth = keyof typeof LAYERS;

/** Replaces a parameter's value with `value` (disposed). */
function reinit(p: nn.Parameter | null, value: tf.Tensor): void {
  if (p) p.assign(value);
  value.dispose();
}

export class VGG extends nn.Module {
  readonly config: Readonly<VggConfig>;
  readonly features: nn.Sequential;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly classifier: nn.Sequential;
  private readonly lastChannels: number;
  private readonly name: string;

  /** `depth` picks the configuration; `batchNorm` adds BatchNorm2d after every conv (the `_bn` variants). */
  constructor(
    readonly depth: VggDepth,
    readonly batchNorm: boolean,
    config: Partial<VggConfig> = {},
  ) {
    super();
    this.name = `VGG(${depth}${batchNorm ? '_bn' : ''})`;
    if (!(depth in LAYERS)) throw new Error(`VGG: depth must be one of ${Object.keys(LAYERS).join(', ')}, got '${depth}'`);
    const cfg = (this.config = Object.freeze(resolveVggConfig(config, this.name)));
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    const features = new nn.Sequential();
    let inC = cfg.inChannels;
    for (const v of LAYERS[depth]) {
      if (v === 'M') {
        features.append(new nn.MaxPool2d(2, { stride: 2 }));
        continue;
      }
      const conv = new nn.Conv2d(inC, w(v), 3, { padding: 1 });
      features.append(conv);
      if (batchNorm) features.append(new nn.BatchNorm2d(w(v)));
      features.append(new nn.ReLU());
      inC = w(v);
    }
    this.lastChannels = inC;
    const hidden = w(4096);
    this.features = this.registerModule('features', features);
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(7));
    this.classifier = this.registerModule(
      'classifier',
      new nn.Sequential(
        new nn.Linear(inC * 7 * 7, hidden), // 0
        new nn.ReLU(),
        new nn.Dropout(cfg.dropout),
        new nn.Linear(hidden, hidden), // 3
        new nn.ReLU(),
        new nn.Dropout(cfg.dropout),
        new nn.Linear(hidden, cfg.numClasses), // 6
      ),
    );
    if (cfg.initWeights) this.initWeights();
  }

  /** torchvision's VGG init (BatchNorm already starts at weight 1, bias 0). */
  private initWeights(): void {
    for (const m of this.modules()) {
      if (m instanceof nn.Conv2d) {
        reinit(m.weight, nn.init.kaimingNormal(m.weight.shape, { mode: 'fanOut', nonlinearity: 'relu' }));
        reinit(m.bias, tf.zeros(m.bias!.shape));
      } else if (m instanceof nn.Linear) {
        reinit(m.weight, nn.init.normal(m.weight.shape, 0, 0.01));
        if (m.bias) reinit(m.bias, tf.zeros(m.bias.shape));
      }
    }
  }

  /** [B, H, W, inChannels] images (H, W >= 32) -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      const B = x.shape[0];
      const f = this.features.forward(x); // [B, H/32, W/32, C]
      // A 1×1 map (32×32 inputs) fills every bin of the adaptive pool alone: broadcasting it gives the
      // same values without the pool's two matmuls.
      const h = f.shape[1] === 1 && f.shape[2] === 1 ? tf.broadcastTo(f, [B, 7, 7, this.lastChannels]) : this.avgpool.forward(f); // [B, 7, 7, C]
      // torchvision flattens NCHW maps in (C, H, W) order: transpose so its classifier.0 weight applies unchanged.
      const flat = h.transpose([0, 3, 1, 2]).reshape([B, this.lastChannels * 49]); // [B, C·49]
      return this.classifier.forward(flat) as tf.Tensor2D; // [B, numClasses]
    });
  }

  private checkInput(x: tf.Tensor): void {
    checkImageInput(this.name, x, { channels: this.config.inChannels, minSide: VGG_MIN_INPUT_SIZE });
  }

}

/** VGG-11 (config A): 132,863,336 parameters at the defaults. */
export function vgg11(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg11', false, config);
}
/** VGG-11 with BatchNorm: 132,868,840 parameters. */
export function vgg11Bn(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg11', true, config);
}
/** VGG-13 (config B): 133,047,848 parameters. */
export function vgg13(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg13', false, config);
}
/** VGG-13 with BatchNorm: 133,053,736 parameters. */
export function vgg13Bn(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg13', true, config);
}
/** VGG-16 (config D): 138,357,544 parameters. */
export function vgg16(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg16', false, config);
}
/** VGG-16 with BatchNorm: 138,365,992 parameters. */
export function vgg16Bn(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg16', true, config);
}
/** VGG-19 (config E): 143,667,240 parameters. */
export function vgg19(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg19', false, config);
}
/** VGG-19 with BatchNorm: 143,678,248 parameters. */
export function vgg19Bn(config: Partial<VggConfig> = {}): VGG {
  return new VGG('vgg19', true, config);
}
