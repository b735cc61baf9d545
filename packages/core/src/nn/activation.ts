/** Activation modules (torch.nn.ReLU …): parameter-free wrappers of the functions in `F`. */
import { tf } from '../tf';
import * as F from '../functional/activations';
import { Module } from './module';

export class ReLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return F.relu(x);
  }
}

export class LeakyReLU extends Module {
  /** @param negativeSlope slope for x < 0. Default 0.01. */
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (!Number.isFinite(negativeSlope)) throw new Error(`LeakyReLU: negativeSlope must be finite, got ${negativeSlope}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
}

export class ELU extends Module {
  /** @param alpha value reached as x -> -inf is -alpha. Default 1. */
  constructor(readonly alpha = 1) {
    super();
    if (!Number.isFinite(alpha)) throw new Error(`ELU: alpha must be finite, got ${alpha}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.elu(x, this.alpha);
  }
}

export class SELU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return F.selu(x);
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  /** @param opts.approximate 'none' (exact erf form, default) or 'tanh'. */
  constructor(opts: F.GeluOptions = {}) {
    super();
    this.approximate = opts.approximate ?? 'none';
    if (this.approximate !== 'none' && this.approximate !== 'tanh')
      throw new Error(`GELU: approximate must be 'none' or 'tanh', got '${this.approximate}'`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.gelu(x, { approximate: this.approximate });
  }
}

export class Sigmoid extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return F.sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return F.tanh(x);
  }
}

export class SiLU extends Module {
  forward(x: tf.Tensor): tf.Tensor {
    return F.silu(x);
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  /** @param beta sharpness, default 1. @param threshold linear above beta·x > threshold, default 20. */
  constructor(beta = 1, threshold = 20) {
    super();
    if (!(beta > 0)) throw new Error(`Softplus: beta must be > 0, got ${beta}`);
    this.beta = beta;
    this.threshold = threshold;
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.softplus(x, { beta: this.beta, threshold: this.threshold });
  }
}

export class Softmax extends Module {
  /** @param dim dimension that sums to 1. Default -1. */
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`Softmax: dim must be an integer, got ${dim}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.softmax(x, this.dim);
  }
}

export class LogSoftmax extends Module {
  /** @param dim dimension normalised. Default -1. */
  constructor(readonly dim = -1) {
    super();
    if (!Number.isInteger(dim)) throw new Error(`LogSoftmax: dim must be an integer, got ${dim}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return F.logSoftmax(x, this.dim);
  }
}
