/** AlexNet hyperparameters (torchvision's single-tower variant), all plain data. */
export interface AlexNetConfig {
  /** Output classes (logits of classifier.6). Default 1000. */
  numClasses: number;
  /** Channels of the input images. Default 3. */
  inChannels: number;
  /** Drop probability of the two dropout layers in the classifier. Default 0.5. */
  dropout: number;
  /**
   * Scales every conv width (64, 192, 384, 256, 256) and the classifier's hidden width (4096),
   * rounding to the nearest integer (at least 1). 1 is torchvision's AlexNet. Default 1.
   */
  widthMultiplier: number;
  /**
   * 'imagenet': torchvision's 11×11 stride-4 first conv (inputs >= 63×63). 'small': a 3×3
   * stride-1 first conv (padding 1) for 28×28 / 32×32 images (inputs >= 15×15); same keys,
   * features.0.weight is [64, inChannels, 3, 3]. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
}

export const ALEXNET_DEFAULTS: Readonly<AlexNetConfig> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  dropout: 0.5,
  widthMultiplier: 1,
  stem: 'imagenet',
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveAlexNetConfig(config: Partial<AlexNetConfig> = {}): AlexNetConfig {
  const cfg: AlexNetConfig = { ...ALEXNET_DEFAULTS, ...config };
  const where = 'AlexNet';
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new Error(`${where}: dropout must be in [0, 1], got ${cfg.dropout}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Side of the last feature map (before the adaptive pool) for a square input of side s; < 1: too small. */
export function alexnetFeatureSide(s: number, stem: AlexNetConfig['stem']): number {
  const pool = (v: number) => (v < 3 ? 0 : Math.floor((v - 3) / 2) + 1); // MaxPool2d(3, stride 2)
  const conv1 = stem === 'imagenet' ? (s < 7 ? 0 : Math.floor((s + 4 - 11) / 4) + 1) : s;
  return pool(pool(pool(conv1)));
}

/** Smallest square input side the stem accepts (63 for 'imagenet', 15 for 'small'). */
export function alexnetMinInputSize(stem: AlexNetConfig['stem']): number {
  let s = 1;
  while (alexnetFeatureSide(s, stem) < 1) s++;
  return s;
}
