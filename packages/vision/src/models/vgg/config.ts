/** VGG hyperparameters (Simonyan & Zisserman, 2014; torchvision's layout), all plain data. */
export interface VggConfig {
  /** Output classes (logits of classifier.6). Default 1000. */
  numClasses: number;
  /** Channels of the input images. Default 3. */
  inChannels: number;
  /** Drop probability of the two dropout layers in the classifier. Default 0.5. */
  dropout: number;
  /**
   * Scales every conv width (64 … 512) and the classifier's hidden width (4096), rounding to the
   * nearest integer (at least 1). 1 is torchvision's VGG. Default 1.
   */
  widthMultiplier: number;
  /**
   * torchvision's init: convs Kaiming-normal (fan_out, ReLU) with zero bias, BatchNorm 1/0,
   * linears N(0, 0.01) with zero bias. false keeps PyTorch's default layer init (torchvision's
   * `init_weights=False`). Default true.
   */
  initWeights: boolean;
}

export const VGG_DEFAULTS: Readonly<VggConfig> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  dropout: 0.5,
  widthMultiplier: 1,
  initWeights: true,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveVggConfig(config: Partial<VggConfig> = {}, where = 'VGG'): VggConfig {
  const cfg: VggConfig = { ...VGG_DEFAULTS, ...config };
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new Error(`${where}: dropout must be in [0, 1], got ${cfg.dropout}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (typeof cfg.initWeights !== 'boolean') throw new Error(`${where}: initWeights must be a boolean, got ${cfg.initWeights}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Smallest input side: five 2×2 max pools need 32 pixels (28×28 images: pad by 2 first). */
export const VGG_MIN_INPUT_SIZE = 32;
