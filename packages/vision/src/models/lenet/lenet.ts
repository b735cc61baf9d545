/**
 * LeNet-5 (LeCun, Bottou, Bengio & Haffner, 1998, "Gradient-based learning applied to document
 * recognition"), in its common modern form: conv5×5(6) → pool → conv5×5(16) → pool → fc120 →
 * fc84 → fc10, with full C3 connectivity and a plain linear output instead of RBF units.
 * Input NHWC [B, 28, 28, 1]; parameters and state dict match PyTorch's usual LeNet
 * (`conv1.weight` [6, 1, 5, 5] … `fc3.bias` [10]).
 */
import { nn, tf } from '@neuralzoo/core';
import { featureSize, LeNetConfig, resolveLeNetConfig } from './config';
import { checkImageInput } from '../../blocks/check-input';

export class LeNet5 extends nn.Module {
  readonly config: Readonly<LeNetConfig>;
  readonly conv1: nn.Conv2d;
  readonly conv2: nn.Conv2d;
  readonly fc1: nn.Linear;
  readonly fc2: nn.Linear;
  readonly fc3: nn.Linear;
  private readonly act: nn.Module;
  private readonly pool: nn.Module;
  private readonly flat: number;

  constructor(config: Partial<LeNetConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveLeNetConfig(config)));
    const side = featureSize(cfg);
    this.flat = 16 * side * side; // 400 for 28×28 with padding 2
    this.conv1 = this.registerModule('conv1', new nn.Conv2d(cfg.inChannels, 6, 5, { padding: cfg.padding }));
    this.conv2 = this.registerModule('conv2', new nn.Conv2d(6, 16, 5));
    this.fc1 = this.registerModule('fc1', new nn.Linear(this.flat, 120));
    this.fc2 = this.registerModule('fc2', new nn.Linear(120, 84));
    this.fc3 = this.registerModule('fc3', new nn.Linear(84, cfg.numClasses));
    // Stateless, so they add nothing to the state dict; chosen once here, not per forward.
    this.act = this.registerModule('act', cfg.activation === 'relu' ? new nn.ReLU() : new nn.Tanh());
    this.pool = this.registerModule('pool', cfg.pooling === 'max' ? new nn.MaxPool2d(2) : new nn.AvgPool2d(2));
  }

  /** [B, S, S, C] images -> [B, numClasses] logits (S = inputSize, C = inChannels). */
  forward(x: tf.Tensor): tf.Tensor2D {
    this.checkInput(x);
    return tf.tidy(() => {
      const B = x.shape[0];
      let h = this.pool.forward(this.act.forward(this.conv1.forward(x))); // [B, 14, 14, 6]
      h = this.pool.forward(this.act.forward(this.conv2.forward(h))); // [B, 5, 5, 16]
      // Flatten in PyTorch's (C, H, W) order so that fc1.weight [120, 400] is torch's.
      h = h.transpose([0, 3, 1, 2]).reshape([B, this.flat]); // [B, 400]
      h = this.act.forward(this.fc1.forward(h)); // [B, 120]
      h = this.act.forward(this.fc2.forward(h)); // [B, 84]
      return this.fc3.forward(h) as tf.Tensor2D; // [B, numClasses]
    });
  }

  private checkInput(x: tf.Tensor): void {
    checkImageInput('LeNet5', x, { channels: this.config.inChannels, side: this.config.inputSize });
  }

}

/** LeNet-5; `config` overrides `LENET_DEFAULTS` (ReLU, max pooling, 28×28×1 input, 10 classes). */
export function lenet5(config: Partial<LeNetConfig> = {}): LeNet5 {
  return new LeNet5(config);
}
