/** Inception v3 hyperparameters (Szegedy et al., 2015; torchvision's layout), all plain data. */
export interface InceptionV3Config {
  /** Output classes (logits of fc and AuxLogits.fc). Default 1000. */
  numClasses: number;
  /** Channels of the input images (3 when transformInput). Default 3. */
  inChannels: number;
  /**
   * Build the auxiliary classifier on Mixed_6e (`forwardWithAux` returns its logits in training
   * mode; it needs Mixed_6e maps >= 17×17, i.e. 299×299 inputs with the 'imagenet' stem). Off by
   * default, which gives 23,834,568 parameters (27,161,264 with it). Default false.
   */
  auxLogits: boolean;
  /**
   * Re-normalise inputs from ImageNet mean/std normalisation to [-1, 1] scaling, as the ported
   * Google weights expect (torchvision sets it True for its pretrained weights). Default false.
   */
  transformInput: boolean;
  /** Drop probability before fc. Default 0.5. */
  dropout: number;
  /** Scales every conv width and hence fc's input (nearest integer, at least 1). Default 1. */
  widthMultiplier: number;
  /**
   * 'imagenet': torchvision's stem (stride-2 Conv2d_1a_3x3 and two 3×3 stride-2 max pools;
   * inputs >= 75×75, 299×299 as trained). 'small': Conv2d_1a_3x3 with stride 1 and no max pools,
   * for 28×28 / 32×32 images (inputs >= 13×13); same state-dict keys and shapes. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
  /**
   * torchvision's init: conv and linear weights N(0, 0.1²) (AuxLogits.fc: N(0, 0.001²)),
   * truncated at ±2, BatchNorm 1/0. false keeps PyTorch's default layer init. Default true.
   */
  initWeights: boolean;
}

export const INCEPTION_V3_DEFAULTS: Readonly<InceptionV3Config> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  auxLogits: false,
  transformInput: false,
  dropout: 0.5,
  widthMultiplier: 1,
  stem: 'imagenet',
  initWeights: true,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveInceptionV3Config(config: Partial<InceptionV3Config> = {}): InceptionV3Config {
  const cfg: InceptionV3Config = { ...INCEPTION_V3_DEFAULTS, ...config };
  const where = 'InceptionV3';
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout <= 1)) throw new Error(`${where}: dropout must be in [0, 1], got ${cfg.dropout}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  for (const field of ['auxLogits', 'transformInput', 'initWeights'] as const)
    if (typeof cfg[field] !== 'boolean') throw new Error(`${where}: ${field} must be a boolean, got ${cfg[field]}`);
  if (cfg.transformInput && cfg.inChannels !== 3) throw new Error(`${where}: transformInput needs inChannels 3, got ${cfg.inChannels}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Sides of Mixed_6e's and Mixed_7c's maps for a square input of side s (< 1: too small). */
export function inceptionV3Sides(s: number, stem: InceptionV3Config['stem']): { mixed6e: number; mixed7c: number } {
  const valid3 = (v: number, stride: number) => (v < 3 ? 0 : Math.floor((v - 3) / stride) + 1); // 3×3 conv or pool, no padding
  let v = stem === 'imagenet' ? valid3(s, 2) : valid3(s, 1); // Conv2d_1a_3x3
  v = valid3(v, 1); // Conv2d_2a_3x3 (2b keeps the size)
  if (stem === 'imagenet') v = valid3(v, 2); // maxpool1
  v = valid3(v, 1); // Conv2d_4a_3x3
  if (stem === 'imagenet') v = valid3(v, 2); // maxpool2
  const mixed6e = valid3(v, 2); // Mixed_6a
  return { mixed6e, mixed7c: valid3(mixed6e, 2) }; // Mixed_7a
}

/** Smallest square input side the stem accepts (75 for 'imagenet', 13 for 'small'). */
export function inceptionV3MinInputSize(stem: InceptionV3Config['stem']): number {
  let s = 1;
  while (inceptionV3Sides(s, stem).mixed7c < 1) s++;
  return s;
}
