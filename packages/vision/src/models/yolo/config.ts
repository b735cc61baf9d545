/** YOLO v1 hyperparameters (Redmon et al., 2016), scaled down for 96×96 single-channel scenes. */
export interface YoloV1Config {
  /** Side of the square input images, in pixels; must equal gridSize · 2^widths.length. Default 96. */
  imageSize: number;
  /** Channels of the input images. Default 1. */
  inChannels: number;
  /** Object classes. Default 10. */
  numClasses: number;
  /** S: the output grid is S×S cells, each predicting `boxesPerCell` boxes and one class distribution. Default 12. */
  gridSize: number;
  /** B: boxes per cell. Default 2 (as the paper). */
  boxesPerCell: number;
  /** Output channels of the stride-2 conv stages of the backbone (each halves the side). Default [16, 32, 64]. */
  widths: number[];
  /** Channels of the 3×3 convs at grid resolution before the 1×1 prediction conv. Default [64]. */
  neckWidths: number[];
  /** λ_coord: weight of the box coordinate terms. Default 5 (paper). */
  lambdaCoord: number;
  /** λ_noobj: weight of the confidence term of predictors without an object. Default 0.5 (paper). */
  lambdaNoobj: number;
}

export const YOLO_V1_DEFAULTS: Readonly<YoloV1Config> = Object.freeze({
  imageSize: 96,
  inChannels: 1,
  numClasses: 10,
  gridSize: 12,
  boxesPerCell: 2,
  widths: [16, 32, 64],
  neckWidths: [64],
  lambdaCoord: 5,
  lambdaNoobj: 0.5,
});

/** YOLO v3-style hyperparameters (Redmon & Farhadi, 2018): anchors on two scales, scaled down. */
export interface YoloV3Config {
  /** Side of the square input images, in pixels; must be divisible by 2^widths.length. Default 96. */
  imageSize: number;
  /** Channels of the input images. Default 1. */
  inChannels: number;
  /** Object classes (independent sigmoid scores, as v3). Default 10. */
  numClasses: number;
  /**
   * Output channels of the stride-2 conv stages (at least 2). The last stage (stride 2^n) feeds the
   * coarse head; the one before (stride 2^(n-1)) is merged with the upsampled coarse features for
   * the fine head. Default [16, 32, 64, 128] (strides 8 and 16 on 96×96: 12×12 and 6×6 grids).
   */
  widths: number[];
  /**
   * Anchor [width, height] pairs in pixels: `anchors[0]` for the fine head (stride 2^(n-1)),
   * `anchors[1]` for the coarse head (stride 2^n). Default: sizes of the digit boxes of the scenes
   * recipe, small ones on the fine grid.
   */
  anchors: [number, number][][];
  /** Channels of the lateral 1×1 conv from the coarse to the fine head. Default 32. */
  lateralWidth: number;
  /** An unassigned prediction whose box overlaps a ground truth box by more than this gets no objectness loss. Default 0.5 (paper). */
  ignoreIou: number;
  /**
   * Besides the best-fitting anchor (over both heads), every anchor whose shape fits a ground truth
   * box with IoU >= this (boxes of the same centre) is assigned to it too, at its own head's centre
   * cell. 1 gives the paper's single anchor per object. Default 0.5.
   */
  assignIou: number;
}

export const YOLO_V3_DEFAULTS: Readonly<YoloV3Config> = Object.freeze({
  imageSize: 96,
  inChannels: 1,
  numClasses: 10,
  widths: [16, 32, 64, 128],
  anchors: [
    [[7, 12], [10, 16], [14, 18]],
    [[16, 22], [20, 22], [22, 26]],
  ] as [number, number][][],
  lateralWidth: 32,
  ignoreIou: 0.5,
  assignIou: 0.5,
});

function checkCommon(where: string, cfg: { imageSize: number; inChannels: number; numClasses: number; widths: number[] }): void {
  for (const field of ['imageSize', 'inChannels', 'numClasses'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!Array.isArray(cfg.widths) || !cfg.widths.length || !cfg.widths.every((w) => Number.isInteger(w) && w > 0))
    throw new Error(`${where}: widths must be positive integers, got [${cfg.widths}]`);
}

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveYoloV1Config(config: Partial<YoloV1Config> = {}): YoloV1Config {
  const cfg: YoloV1Config = { ...YOLO_V1_DEFAULTS, ...config };
  const where = 'YoloV1';
  checkCommon(where, cfg);
  for (const field of ['gridSize', 'boxesPerCell'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!cfg.neckWidths.every((w) => Number.isInteger(w) && w > 0)) throw new Error(`${where}: neckWidths must be positive integers, got [${cfg.neckWidths}]`);
  const stride = 2 ** cfg.widths.length;
  if (cfg.gridSize * stride !== cfg.imageSize)
    throw new Error(`${where}: imageSize (${cfg.imageSize}) must equal gridSize (${cfg.gridSize}) · 2^${cfg.widths.length} (${cfg.gridSize * stride}) for ${cfg.widths.length} stride-2 stages`);
  if (!(cfg.lambdaCoord >= 0 && cfg.lambdaNoobj >= 0)) throw new Error(`${where}: lambdaCoord (${cfg.lambdaCoord}) and lambdaNoobj (${cfg.lambdaNoobj}) must be >= 0`);
  return cfg;
}

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveYoloV3Config(config: Partial<YoloV3Config> = {}): YoloV3Config {
  const cfg: YoloV3Config = { ...YOLO_V3_DEFAULTS, ...config };
  const where = 'YoloV3';
  checkCommon(where, cfg);
  if (cfg.widths.length < 2) throw new Error(`${where}: widths needs at least 2 stages (fine and coarse heads), got [${cfg.widths}]`);
  const stride = 2 ** cfg.widths.length;
  if (cfg.imageSize % stride !== 0) throw new Error(`${where}: imageSize (${cfg.imageSize}) must be divisible by 2^${cfg.widths.length} (${stride})`);
  if (cfg.anchors.length !== 2 || cfg.anchors.some((level) => !level.length || level.length !== cfg.anchors[0].length))
    throw new Error(`${where}: anchors must hold 2 lists (fine, coarse) of the same length, got lengths [${cfg.anchors.map((l) => l.length)}]`);
  if (!cfg.anchors.flat().every((a) => a.length === 2 && a[0] > 0 && a[1] > 0)) throw new Error(`${where}: every anchor must be a positive [width, height] pair`);
  if (!Number.isInteger(cfg.lateralWidth) || cfg.lateralWidth <= 0) throw new Error(`${where}: lateralWidth must be a positive integer, got ${cfg.lateralWidth}`);
  if (!(cfg.ignoreIou >= 0 && cfg.ignoreIou <= 1)) throw new Error(`${where}: ignoreIou must be in [0, 1], got ${cfg.ignoreIou}`);
  if (!(cfg.assignIou >= 0 && cfg.assignIou <= 1)) throw new Error(`${where}: assignIou must be in [0, 1], got ${cfg.assignIou}`);
  return cfg;
}
