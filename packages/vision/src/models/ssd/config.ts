/** SSD hyperparameters (Liu et al., 2016), scaled down for 96×96 single-channel scenes. */
export interface SsdConfig {
  /** Side of the square input images, in pixels; must be divisible by 2^(widths.length + extraWidths.length). Default 96. */
  imageSize: number;
  /** Channels of the input images. Default 1. */
  inChannels: number;
  /** Object classes, background excluded (the head predicts numClasses + 1 scores). Default 10. */
  numClasses: number;
  /** Output channels of the backbone's stride-2 conv stages; the last one is the first source map. Default [16, 32, 64] (12×12 on 96×96). */
  widths: number[];
  /** Channels of the stride-1 3×3 convs after the backbone, at the first source map's resolution; the last one is that map. Default [64]; [] feeds the backbone's output to the first head. */
  neckWidths: number[];
  /** Channels of the extra stride-2 layers, each adding a coarser source map. Default [64, 64] (6×6 and 3×3). */
  extraWidths: number[];
  /** Default box scale (side / image side) on the finest map. Default 0.12 (11.5 px on 96×96). */
  minScale: number;
  /** Default box scale on the coarsest map; scales in between are linear (paper: 0.2 … 0.9 for 300×300 natural images). Default 0.36. */
  maxScale: number;
  /** Extra aspect ratios per source map (each r adds w/h = r and 1/r). Default [[2, 3], [2, 3], [2]]. */
  aspectRatios: number[][];
  /**
   * A default box matched to a ground truth box with IoU >= this is a positive (each box also takes
   * its best default box). Default 0.4 (paper: 0.5): on the 96×96 digit scenes, whose small digits
   * sit anywhere between the 8-px-spaced default boxes, 0.5 left 24% of the test objects with no
   * default box above it (1.8 positives per object); 0.4 gives 5.2 per object, 5.8% without.
   */
  posIou: number;
  /** Hard negatives kept per positive. Default 3 (paper). */
  negPosRatio: number;
  /** Box coding variances (centre x, centre y, width, height). Default [0.1, 0.1, 0.2, 0.2]. */
  variances: [number, number, number, number];
}

export const SSD_DEFAULTS: Readonly<SsdConfig> = Object.freeze({
  imageSize: 96,
  inChannels: 1,
  numClasses: 10,
  widths: [16, 32, 64],
  neckWidths: [64],
  extraWidths: [64, 64],
  minScale: 0.12,
  maxScale: 0.36,
  aspectRatios: [[2, 3], [2, 3], [2]],
  posIou: 0.4,
  negPosRatio: 3,
  variances: [0.1, 0.1, 0.2, 0.2] as [number, number, number, number],
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveSsdConfig(config: Partial<SsdConfig> = {}): SsdConfig {
  const cfg: SsdConfig = { ...SSD_DEFAULTS, ...config };
  const where = 'Ssd';
  for (const field of ['imageSize', 'inChannels', 'numClasses'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  for (const field of ['widths', 'neckWidths', 'extraWidths'] as const)
    if (!Array.isArray(cfg[field]) || !cfg[field].every((w) => Number.isInteger(w) && w > 0)) throw new Error(`${where}: ${field} must be positive integers, got [${cfg[field]}]`);
  if (!cfg.widths.length) throw new Error(`${where}: widths needs at least one stage`);
  const stages = cfg.widths.length + cfg.extraWidths.length;
  if (cfg.imageSize % 2 ** stages !== 0) throw new Error(`${where}: imageSize (${cfg.imageSize}) must be divisible by 2^${stages} (${2 ** stages}) for ${stages} stride-2 layers`);
  if (cfg.aspectRatios.length !== cfg.extraWidths.length + 1)
    throw new Error(`${where}: aspectRatios needs one list per source map (${cfg.extraWidths.length + 1}), got ${cfg.aspectRatios.length}`);
  if (!(cfg.minScale > 0 && cfg.maxScale >= cfg.minScale && cfg.maxScale <= 1)) throw new Error(`${where}: need 0 < minScale (${cfg.minScale}) <= maxScale (${cfg.maxScale}) <= 1`);
  if (!(cfg.posIou > 0 && cfg.posIou <= 1)) throw new Error(`${where}: posIou must be in (0, 1], got ${cfg.posIou}`);
  if (!(cfg.negPosRatio >= 0)) throw new Error(`${where}: negPosRatio must be >= 0, got ${cfg.negPosRatio}`);
  return cfg;
}
