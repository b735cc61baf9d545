/** PixelCNN hyperparameters (van den Oord, Kalchbrenner & Kavukcuoglu, 2016), all plain data. */
export interface PixelCnnConfig {
  /**
   * Channels of the binary images (each a Bernoulli variable per pixel). Channels of one pixel
   * are modelled independently given the earlier pixels (no R→G→B ordering). Default 1.
   */
  inChannels: number;
  /** Channels between blocks (the paper's 2h). Must be even (the residual blocks squeeze to h). Default 64. */
  hiddenChannels: number;
  /** Residual (or gated) blocks after the mask-A input conv, each with one mask-B conv. Default 7. */
  numBlocks: number;
  /** Side of the mask-A input convolution (odd). Default 7, as in the paper. */
  inputKernelSize: number;
  /** Side of the mask-B convolution of each block (odd). Default 3. */
  blockKernelSize: number;
  /** Channels of the 1×1 output convolution before the logits. Default 64. */
  outputChannels: number;
  /**
   * Blocks with the gated activation tanh(W_f * x) ⊙ σ(W_g * x) (van den Oord et al., 2016,
   * "Conditional image generation with PixelCNN decoders") in place of ReLU residual blocks; the
   * masks are the same (no vertical/horizontal split), so the blind spot of masked stacks remains.
   * Default false.
   */
  gated: boolean;
}

export const PIXELCNN_DEFAULTS: Readonly<PixelCnnConfig> = Object.freeze({
  inChannels: 1,
  hiddenChannels: 64,
  numBlocks: 7,
  inputKernelSize: 7,
  blockKernelSize: 3,
  outputChannels: 64,
  gated: false,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolvePixelCnnConfig(config: Partial<PixelCnnConfig> = {}): PixelCnnConfig {
  const cfg: PixelCnnConfig = { ...PIXELCNN_DEFAULTS, ...config };
  const where = 'PixelCNN';
  for (const field of ['inChannels', 'hiddenChannels', 'outputChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (cfg.hiddenChannels % 2 !== 0) throw new Error(`${where}: hiddenChannels (${cfg.hiddenChannels}) must be even`);
  if (!Number.isInteger(cfg.numBlocks) || cfg.numBlocks < 0) throw new Error(`${where}: numBlocks must be an integer >= 0, got ${cfg.numBlocks}`);
  for (const field of ['inputKernelSize', 'blockKernelSize'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] < 1 || cfg[field] % 2 === 0) throw new Error(`${where}: ${field} must be an odd positive integer, got ${cfg[field]}`);
  if (typeof cfg.gated !== 'boolean') throw new Error(`${where}: gated must be a boolean, got ${cfg.gated}`);
  return cfg;
}
