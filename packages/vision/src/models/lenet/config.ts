/** LeNet-5 hyperparameters (LeCun et al., 1998), all plain data. */
export interface LeNetConfig {
  /** Channels of the input images (1 for MNIST). Default 1. */
  inChannels: number;
  /** Height and width of the (square) input images, in pixels; inputSize + 2·padding must be >= 16. Default 28. */
  inputSize: number;
  /**
   * Zero padding on each side of conv1's input. 2 turns 28×28 digits into the 32×32 input of the
   * original paper (C1 maps stay 28×28); use 0 for 32×32 inputs. Default 2.
   */
  padding: number;
  /** Output classes (logits of fc3). Default 10. */
  numClasses: number;
  /** Nonlinearity after every conv and hidden fc layer: 'relu' (trains fastest) or the paper's 'tanh'. Default 'relu'. */
  activation: 'relu' | 'tanh';
  /** Subsampling after each conv: 2×2 'max' pooling or the paper-like 2×2 'avg' pooling. Default 'max'. */
  pooling: 'max' | 'avg';
}

export const LENET_DEFAULTS: Readonly<LeNetConfig> = Object.freeze({
  inChannels: 1,
  inputSize: 28,
  padding: 2,
  numClasses: 10,
  activation: 'relu',
  pooling: 'max',
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveLeNetConfig(config: Partial<LeNetConfig> = {}): LeNetConfig {
  const cfg: LeNetConfig = { ...LENET_DEFAULTS, ...config };
  const where = 'LeNet5';
  for (const field of ['inChannels', 'inputSize', 'numClasses'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!Number.isInteger(cfg.padding) || cfg.padding < 0) throw new Error(`${where}: padding must be a non-negative integer, got ${cfg.padding}`);
  if (cfg.activation !== 'relu' && cfg.activation !== 'tanh') throw new Error(`${where}: activation must be 'relu' or 'tanh', got '${cfg.activation}'`);
  if (cfg.pooling !== 'max' && cfg.pooling !== 'avg') throw new Error(`${where}: pooling must be 'max' or 'avg', got '${cfg.pooling}'`);
  if (featureSize(cfg) < 1)
    throw new Error(`${where}: inputSize (${cfg.inputSize}) with padding (${cfg.padding}) is too small: conv1 → pool → conv2 → pool needs inputSize + 2·padding >= 16`);
  return cfg;
}

/** Side of the feature maps entering fc1 (5 for 28×28 with padding 2, as in the paper). */
export function featureSize(cfg: Pick<LeNetConfig, 'inputSize' | 'padding'>): number {
  const c1 = cfg.inputSize + 2 * cfg.padding - 4; // 5×5 conv, stride 1
  const c2 = Math.floor(c1 / 2) - 4;
  return Math.floor(c2 / 2);
}
