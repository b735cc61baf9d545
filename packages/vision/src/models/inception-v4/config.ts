/** Inception v4 and Inception-ResNet v2 hyperparameters (Szegedy, Ioffe, Vanhoucke & Alemi, 2016), plain data. */
export interface InceptionV4Config {
  /** Output classes of the last linear layer. Default 1000. */
  numClasses: number;
  /** Channels of the input images. Default 3. */
  inChannels: number;
  /** Drop probability before the classifier (the paper keeps 0.8, i.e. drops 0.2). Default 0.2. */
  dropout: number;
  /** Scales every conv width (nearest integer, at least 1). Default 1. */
  widthMultiplier: number;
  /**
   * Blocks per stage: Inception v4's [A, B, C] = [4, 7, 3]; Inception-ResNet v2's
   * [35×35, 17×17, 8×8] = [10, 20, 9] (plus the final no-ReLU block8). Default: the paper's.
   */
  blocks?: [number, number, number];
  /**
   * 'imagenet': the paper's stem (stride-2 first conv, valid 3×3 convs; 299×299 inputs, >= 75).
   * 'small': for 28×28 / 32×32 images: the first conv has stride 1 and the stem's stride-2
   * reduction (Inception v4's Mixed_3a, Inception-ResNet's max pools) keeps the size; same
   * state-dict keys and shapes. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
}

export const INCEPTION_V4_DEFAULTS: Readonly<InceptionV4Config> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  dropout: 0.2,
  widthMultiplier: 1,
  stem: 'imagenet',
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated; `where` names the model. */
export function resolveInceptionV4Config(config: Partial<InceptionV4Config>, where: string, blocks: [number, number, number]): Required<InceptionV4Config> {
  const cfg = { ...INCEPTION_V4_DEFAULTS, blocks, ...config } as Required<InceptionV4Config>;
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new Error(`${where}: dropout must be in [0, 1], got ${cfg.dropout}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  if (!Array.isArray(cfg.blocks) || cfg.blocks.length !== 3 || !cfg.blocks.every((b) => Number.isInteger(b) && b >= 0))
    throw new Error(`${where}: blocks must be three integers >= 0, got ${JSON.stringify(cfg.blocks)}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Side after a k×k conv or pool with stride s and padding p (< 1: too small). */
export function convSide(v: number, k: number, s: number, p = 0): number {
  return v + 2 * p < k ? 0 : Math.floor((v + 2 * p - k) / s) + 1;
}
