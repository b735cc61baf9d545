/**
 * AlexNet (Krizhevsky, Sutskever & Hinton, 2012, "ImageNet classification with deep
 * convolutional neural networks"), in torchvision's single-GPU form ("One weird trick",
 * Krizhevsky 2014): 5 convs (64, 192, 384, 256, 256) with 3 max pools, an adaptive 6×6 average
 * pool and a 3-layer classifier with dropout. Input NHWC [B, H, W, 3]; the state dict is
 * torchvision's (`features.0.weight` [64, 3, 11, 11] … `classifier.6.bias` [1000]),
 * 61,100,840 parameters at the defaults. Init: PyTorch's default layer init, as torchvision.
 */
import { nn, tf } from '@neuralzoo/core';
import { AlexNetConfig, alexnetFeatureSide, alexnetMinInputSize, resolveAlexNetConfig, scaleWidth } from './config';
import { checkImageInput } from '../../blocks/check-input';

export class AlexNet extends nn.Module {
  readonly config: Readonly<AlexNetConfig>;
  readonly features: nn.Sequential;
  readonly avgpool: nn.AdaptiveAvgPool2d;
  readonly classifier: nn.Sequential;
  /** Channels of the last conv (256 at width 1). */
  private readonly lastChannels: number;
  /** Smallest input side the stem accepts. */
  readonly minInputSize: number;

  constructor(config: Partial<AlexNetConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveAlexNetConfig(config)));
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    const [c1, c2, c3, c4, c5] = [64, 192, 384, 256, 256].map(w);
    const hidden = w(4096);
    this.lastChannels = c5;
    this.minInputSize = alexnetMinInputSize(cfg.stem);
    const conv1 =
      cfg.stem === 'imagenet'
        ? new nn.Conv2d(cfg.inChannels, c1, 11, { stride: 4, padding: 2 })
        : new nn.Conv2d(cfg.inChannels, c1, 3, { stride: 1, padding: 1 });
    this.features = this.registerModule(
      'features',
      new nn.Sequential(
        conv1, // 0
        new nn.ReLU(),
        new nn.MaxPool2d(3, { stride: 2 }),
        new nn.Conv2d(c1, c2, 5, { padding: 2 }), // 3
        new nn.ReLU(),
        new nn.MaxPool2d(3, { stride: 2 }),
        new nn.Conv2d(c2, c3, 3, { padding: 1 }), // 6
        new nn.ReLU(),
        new nn.Conv2d(c3, c4, 3, { padding: 1 }), // 8
        new nn.ReLU(),
        new nn.Conv2d(c4, c5, 3, { padding: 1 }), // 10
        new nn.ReLU(),
        new nn.MaxPool2d(3, { stride: 2 }),
      ),
    );
    this.avgpool = this.registerModule('avgpool', new nn.AdaptiveAvgPool2d(6));
    this.classifier = this.registerModule(
      'classifier',
      new nn.Sequential(
        new nn.Dropout(cfg.dropout),
        new nn.Linear(c5 * 6 * 6, hidden), // 1
        new nn.ReLU(),
        new nn.Dropout(cfg.dropout),
        new nn.Linear(hidden, hidden), // 4
        new nn.ReLU(),
        new nn.Linear(hidden, cfg.numClasses), // 6
      ),
    );
  }

  /** [B, H, W, inChannels] images (H, W >= minInputSize) -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      const B = x.shape[0];
      const h = this.avgpool.forward(this.features.forward(x)); // [B, 6, 6, C]
      // torchvision flattens NCHW maps in (C, H, W) order: transpose so its classifier.1 weight applies unchanged.
      const flat = h.transpose([0, 3, 1, 2]).reshape([B, this.lastChannels * 36]); // [B, C·36]
      return this.classifier.forward(flat) as tf.Tensor2D; // [B, numClasses]
    });
  }

  private checkInput(x: tf.Tensor): void {
    const stem = this.config.stem;
    const accepts = (h: number, w: number) => alexnetFeatureSide(h, stem) >= 1 && alexnetFeatureSide(w, stem) >= 1;
    checkImageInput('AlexNet', x, { channels: this.config.inChannels, minSide: this.minInputSize, accepts });
  }

}

/** torchvision's `alexnet()`: 61,100,840 parameters; `config` overrides `ALEXNET_DEFAULTS`. */
export function alexnet(config: Partial<AlexNetConfig> = {}): AlexNet {
  return new AlexNet(config);
}
