/** GoogLeNet (Inception v1) hyperparameters, torchvision's layout, all plain data. */
export interface GoogLeNetConfig {
  /** Output classes (logits of fc, aux1.fc2 and aux2.fc2). Default 1000. */
  numClasses: number;
  /** Channels of the input images (3 when transformInput). Default 3. */
  inChannels: number;
  /**
   * Build the two auxiliary classifiers (aux1 after inception4a, aux2 after inception4d);
   * `forwardWithAux` returns their logits in training mode. Off by default, which gives
   * torchvision's 6,624,904 parameters (13,004,888 with them). Default false.
   */
  auxLogits: boolean;
  /**
   * Re-normalise inputs from ImageNet mean/std normalisation to [-1, 1] scaling, as the ported
   * Google weights expect (torchvision sets it for its pretrained weights). Default false.
   */
  transformInput: boolean;
  /** Drop probability before fc. Default 0.2. */
  dropout: number;
  /** Drop probability inside each auxiliary classifier. Default 0.7. */
  dropoutAux: number;
  /** Scales every conv width and the aux classifiers' hidden widths (nearest integer, at least 1). Default 1. */
  widthMultiplier: number;
  /**
   * torchvision's init: conv and linear weights N(0, 0.01²) (truncated at ±2, which never binds),
   * BatchNorm 1/0. false keeps PyTorch's default layer init. Default true.
   */
  initWeights: boolean;
  /**
   * 'imagenet': torchvision's 7×7 stride-2 conv1 (inputs >= 31×31). 'small': a 3×3 stride-1
   * conv1 (padding 1) for 28×28 / 32×32 images, so every later map is twice as large per side
   * (inputs >= 16×16); same keys, conv1.conv.weight is [64, inChannels, 3, 3]. Default 'imagenet'.
   */
  stem: 'imagenet' | 'small';
}

export const GOOGLENET_DEFAULTS: Readonly<GoogLeNetConfig> = Object.freeze({
  numClasses: 1000,
  inChannels: 3,
  auxLogits: false,
  transformInput: false,
  dropout: 0.2,
  dropoutAux: 0.7,
  widthMultiplier: 1,
  initWeights: true,
  stem: 'imagenet',
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveGoogLeNetConfig(config: Partial<GoogLeNetConfig> = {}): GoogLeNetConfig {
  const cfg: GoogLeNetConfig = { ...GOOGLENET_DEFAULTS, ...config };
  const where = 'GoogLeNet';
  for (const field of ['numClasses', 'inChannels'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  for (const field of ['dropout', 'dropoutAux'] as const)
    if (!(cfg[field] >= 0 && cfg[field] <= 1)) throw new Error(`${where}: ${field} must be in [0, 1], got ${cfg[field]}`);
  if (!(cfg.widthMultiplier > 0)) throw new Error(`${where}: widthMultiplier must be > 0, got ${cfg.widthMultiplier}`);
  for (const field of ['auxLogits', 'transformInput', 'initWeights'] as const)
    if (typeof cfg[field] !== 'boolean') throw new Error(`${where}: ${field} must be a boolean, got ${cfg[field]}`);
  if (cfg.stem !== 'imagenet' && cfg.stem !== 'small') throw new Error(`${where}: stem must be 'imagenet' or 'small', got '${cfg.stem}'`);
  if (cfg.transformInput && cfg.inChannels !== 3) throw new Error(`${where}: transformInput needs inChannels 3, got ${cfg.inChannels}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Side of inception5b's maps for a square input of side s (< 1: too small for the stride-2 convs and ceil-mode pools). */
export function googlenetFeatureSide(s: number, stem: GoogLeNetConfig['stem'] = 'imagenet'): number {
  const pool = (v: number, k: number) => (v < k ? 0 : Math.ceil((v - k) / 2) + 1); // ceil-mode max pool, stride 2
  let v = stem === 'imagenet' ? Math.floor((s - 1) / 2) + 1 : s; // conv1 7×7 stride 2 padding 3, or 3×3 stride 1 padding 1
  v = pool(pool(pool(v, 3), 3), 3); // maxpool1, maxpool2, maxpool3
  return pool(v, 2); // maxpool4
}

/** Smallest square input side: 31 for the 'imagenet' stem (28×28 images: pad by 2 to 32 first), 16 for 'small'. */
export function googlenetMinInputSize(stem: GoogLeNetConfig['stem'] = 'imagenet'): number {
  let s = 1;
  while (googlenetFeatureSide(s, stem) < 1) s++;
  return s;
}
