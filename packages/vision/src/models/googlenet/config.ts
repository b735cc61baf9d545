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
  if (cfg.transformInput && cfg.inChannels !== 3) throw new Error(`${where}: transformInput needs inChannels 3, got ${cfg.inChannels}`);
  return cfg;
}

/** Channel count c scaled by the width multiplier (nearest integer, at least 1). */
export function scaleWidth(c: number, widthMultiplier: number): number {
  return Math.max(1, Math.round(c * widthMultiplier));
}

/** Side of inception5b's maps for a square input of side s (< 1: too small for the stride-2 convs and ceil-mode pools). */
export function googlenetFeatureSide(s: number): number {
  const pool = (v: number, k: number) => (v < k ? 0 : Math.ceil((v - k) / 2) + 1); // ceil-mode max pool, stride 2
  let v = Math.floor((s - 1) / 2) + 1; // conv1 7×7, stride 2, padding 3
  v = pool(pool(pool(v, 3), 3), 3); // maxpool1, maxpool2, maxpool3
  return pool(v, 2); // maxpool4
}

/** Smallest square input side: 31 (28×28 images: pad by 2 to 32 first). */
export function googlenetMinInputSize(): number {
  let s = 1;
  while (googlenetFeatureSide(s) < 1) s++;
  return s;
}
