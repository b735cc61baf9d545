/** ResNet hyperparameters (He et al., 2015; torchvision's v1.5 layout), all plain data. */
export interface ResNetConfig {
  /** Output classes (logits of fc). Default 1000. */
  numClasses: number;
  /** Channels of the input images. Default 3. */
  inChannels: number;
  /**
   * Scales the stem width (64) and every stage's planes (64, 128, 256, 512), rounding to the
   * nearest integer (at least 1). 1 is torchvision's ResNet. Default 1.
   */
  widthMultiplier: number;
  /**
   * 'imagenet': torchvision's 7×7 stride-2 conv1 and 3×3 stride-2 max pool. 'small': a 3×3
   * stride-1 conv1 and no max pool, the usual stem for 28×28 / 32×32 images; same state-dict
   * keys, conv1.weight is [64, inChannels, 3, 3]. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
  /**
   * Start the last BatchNorm of every residual branch at weight 0, so that each block starts as
   * the identity (Goyal et al., 2017), as torchvision's `zero_init_residual`. Default false.
   */
  zeroInitResidual: boolean;
}

export const RESNET_DEFAULTS: Readonly<ResNetConfig> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  widthMultiplier: 1,
  stem: 'imagenet',
  zeroInitResidual: false,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveResNetConfig(config: Partial<ResNetConfig> = {}, where = 'ResNet'): ResNetConfig {
  const cfg: ResNetConfig = { ...RESNET_DEFAULTS, ...config };
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  if (typeof cfg.zeroInitResidual !== 'boolean') throw new Error(`${where}: zeroInitResidual must be a boolean, got ${cfg.zeroInitResidual}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}
