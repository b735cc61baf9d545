/**
 * Weight initialisers (torch.nn.init), drawing from neuralzoo's seeded generator so that
 * `manualSeed` makes models reproducible on every backend. Each returns a new float32 tensor.
 */
import { tf } from '../tf';
import { defaultGenerator, Generator } from '../autograd/random';

/** fan_in and fan_out of a PyTorch-layout weight: [out, in, *kernel]. */
export function calculateFans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new Error(`init: fan in/out need at least 2 dimensions, got shape [${shape}]`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1] * receptive, fanOut: shape[0] * receptive };
}

export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

/** torch.nn.init.calculate_gain */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
  }
}

export function uniform(shape: number[], low = 0, high = 1, gen: Generator = defaultGenerator): tf.Tensor {
  return tf.tensor(gen.uniformArray(sizeOf(shape), low, high), shape, 'float32');
}

export function normal(shape: number[], mean = 0, std = 1, gen: Generator = defaultGenerator): tf.Tensor {
  return tf.tensor(gen.normalArray(sizeOf(shape), mean, std), shape, 'float32');
}

export function zeros(shape: number[]): tf.Tensor {
  return tf.zeros(shape, 'float32');
}

export function ones(shape: number[]): tf.Tensor {
  return tf.ones(shape, 'float32');
}

export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer. Default 0. */
  a?: number;
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

export function kaimingUniform(shape: number[], opts: KaimingOptions = {}, gen: Generator = defaultGenerator): tf.Tensor {
  const std = kaimingStd(shape, opts);
  const bound = Math.sqrt(3) * std;
  return uniform(shape, -bound, bound, gen);
}

export function kaimingNormal(shape: number[], opts: KaimingOptions = {}, gen: Generator = defaultGenerator): tf.Tensor {
  return normal(shape, 0, kaimingStd(shape, opts), gen);
}

function kaimingStd(shape: number[], opts: KaimingOptions): number {
  const { fanIn, fanOut } = calculateFans(shape);
  const fan = (opts.mode ?? 'fanIn') === 'fanIn' ? fanIn : fanOut;
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  return gain / Math.sqrt(fan);
}

export function xavierUniform(shape: number[], gain = 1, gen: Generator = defaultGenerator): tf.Tensor {
  const { fanIn, fanOut } = calculateFans(shape);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(shape, -bound, bound, gen);
}

export function xavierNormal(shape: number[], gain = 1, gen: Generator = defaultGenerator): tf.Tensor {
  const { fanIn, fanOut } = calculateFans(shape);
  return normal(shape, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), gen);
}

/**
 * PyTorch's default for Linear/Conv weights: kaiming_uniform_(a=√5), i.e. U(±1/√fanIn).
 * The matching bias is U(±1/√fanIn) too (`defaultBias`).
 */
export function defaultWeight(shape: number[], gen: Generator = defaultGenerator): tf.Tensor {
  return kaimingUniform(shape, { a: Math.sqrt(5) }, gen);
}

export function defaultBias(size: number, fanIn: number, gen: Generator = defaultGenerator): tf.Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform([size], -bound, bound, gen);
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
