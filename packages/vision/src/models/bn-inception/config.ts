/** BN-Inception (Inception v2) hyperparameters (Ioffe & Szegedy, 2015), all plain data. */
export interface BnInceptionConfig {
  /** Output classes of the last linear layer. Default 1000. */
  numClasses: number;
  /** Channels of the input images. Default 3. */
  inChannels: number;
  /** Drop probability before the classifier. Default 0 (the paper drops dropout with BN). */
  dropout: number;
  /** Scales every conv width (nearest integer, at least 1). Default 1. */
  widthMultiplier: number;
  /**
   * 'imagenet': 7×7 stride-2 conv1 and two 3×3 stride-2 max pools (224×224 inputs, >= 11).
   * 'small': conv1 with stride 1 and no stem pools, for 28×28 / 32×32 images (inputs >= 1);
   * same state-dict keys and shapes. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
}

export const BN_INCEPTION_DEFAULTS: Readonly<BnInceptionConfig> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  dropout: 0,
  widthMultiplier: 1,
  stem: 'imagenet',
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveBnInceptionConfig(config: Partial<BnInceptionConfig> = {}): BnInceptionConfig {
  const cfg: BnInceptionConfig = { ...BN_INCEPTION_DEFAULTS, ...config };
  const where = 'BNInception';
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new Error(`${where}: dropout must be in [0, 1], got ${cfg.dropout}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  return cfg;
}
