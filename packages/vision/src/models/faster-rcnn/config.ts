/** Faster R-CNN hyperparameters (Ren et al., 2015), small enough to train on CPU; plain data. */
export interface FasterRcnnConfig {
  /** Channels of the input images (1 for digit scenes). Default 1. */
  inChannels: number;
  /** Side of the square input images in pixels; must be divisible by the backbone stride. Default 96. */
  imageSize: number;
  /** Object classes, background excluded (labels 0 … numClasses-1). Default 10. */
  numClasses: number;
  /**
   * Widths of the backbone's 3×3 conv + ReLU stages; a 2×2 max pool follows every stage but the
   * last, so the stride is 2^(stages - 1). Default [8, 16, 32] (stride 4).
   */
  backboneChannels: number[];
  /** Width of the RPN's shared 3×3 conv. Default 32. */
  rpnChannels: number;
  /** Anchor sides in pixels (square root of the area). Default [16, 24]. */
  anchorSizes: number[];
  /** Anchor height / width ratios. Default [1, 2] (digits are upright). */
  aspectRatios: number[];
  /** Anchors with IoU >= this with a box are RPN positives. Default 0.6. */
  rpnFgIou: number;
  /** Anchors whose best IoU is < this are RPN negatives (between the two: ignored). Default 0.3. */
  rpnBgIou: number;
  /** Anchors sampled per image for the RPN loss. Default 64. */
  rpnBatchSizePerImage: number;
  /** Largest share of positives among them. Default 0.5. */
  rpnPositiveFraction: number;
  /** Highest-scoring anchors per image decoded before NMS. Default 300. */
  rpnPreNmsTopN: number;
  /** Proposals kept per image after NMS while training / at inference. Defaults 64 / 32. */
  rpnPostNmsTopNTrain: number;
  rpnPostNmsTopNTest: number;
  /** IoU of the proposal NMS. Default 0.7. */
  rpnNmsThresh: number;
  /** RoI feature extractor: 'align' (RoI Align, aligned) or 'pool' (RoI Pool). Default 'align'. */
  roiOp: 'align' | 'pool';
  /** Side of the RoI feature grid. Default 5. */
  roiOutputSize: number;
  /** RoI Align samples per bin along each axis (<= 0: adaptive, as torchvision's -1). Default 1 (cheapest; bins are about one feature cell here). */
  roiSamplingRatio: number;
  /** Width of the two fc layers of the box head. Default 128. */
  headChannels: number;
  /** Proposals with IoU >= this with a box are foreground for the box head. Default 0.5. */
  boxFgIou: number;
  /** RoIs sampled per image for the box head loss (ground truth boxes join the proposals). Default 64. */
  boxBatchSizePerImage: number;
  /** Largest share of foreground among them. Default 0.5 (more digit examples per backbone pass than torchvision's 0.25). */
  boxPositiveFraction: number;
  /** Detections scoring below this are dropped. Default 0.05. */
  boxScoreThresh: number;
  /** IoU of the per-class detection NMS. Default 0.5. */
  boxNmsThresh: number;
  /** At most this many detections per image. Default 20. */
  detectionsPerImage: number;
}

export const FASTER_RCNN_DEFAULTS: Readonly<FasterRcnnConfig> = Object.freeze({
  inChannels: 1,
  imageSize: 96,
  numClasses: 10,
  backboneChannels: [8, 16, 32],
  rpnChannels: 32,
  anchorSizes: [16, 24],
  aspectRatios: [1, 2],
  rpnFgIou: 0.6,
  rpnBgIou: 0.3,
  rpnBatchSizePerImage: 64,
  rpnPositiveFraction: 0.5,
  rpnPreNmsTopN: 300,
  rpnPostNmsTopNTrain: 64,
  rpnPostNmsTopNTest: 32,
  rpnNmsThresh: 0.7,
  roiOp: 'align',
  roiOutputSize: 5,
  roiSamplingRatio: 1,
  headChannels: 128,
  boxFgIou: 0.5,
  boxBatchSizePerImage: 64,
  boxPositiveFraction: 0.5,
  boxScoreThresh: 0.05,
  boxNmsThresh: 0.5,
  detectionsPerImage: 20,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveFasterRcnnConfig(config: Partial<FasterRcnnConfig> = {}, where = 'FasterRcnn'): FasterRcnnConfig {
  const cfg: FasterRcnnConfig = { ...FASTER_RCNN_DEFAULTS, ...config };
  const ints = ['inChannels', 'imageSize', 'numClasses', 'rpnChannels', 'rpnBatchSizePerImage', 'rpnPreNmsTopN', 'rpnPostNmsTopNTrain', 'rpnPostNmsTopNTest', 'roiOutputSize', 'headChannels', 'boxBatchSizePerImage', 'detectionsPerImage'] as const;
  for (const field of ints)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!cfg.backboneChannels.length || !cfg.backboneChannels.every((c) => Number.isInteger(c) && c > 0))
    throw new Error(`${where}: backboneChannels must be positive integers, got [${cfg.backboneChannels}]`);
  const stride = 2 ** (cfg.backboneChannels.length - 1);
  if (cfg.imageSize % stride !== 0) throw new Error(`${where}: imageSize (${cfg.imageSize}) must be divisible by the backbone stride (${stride})`);
  for (const field of ['anchorSizes', 'aspectRatios'] as const)
    if (!cfg[field].length || !cfg[field].every((v) => v > 0)) throw new Error(`${where}: ${field} must be positive numbers, got [${cfg[field]}]`);
  for (const field of ['rpnFgIou', 'rpnBgIou', 'rpnPositiveFraction', 'rpnNmsThresh', 'boxFgIou', 'boxPositiveFraction', 'boxNmsThresh'] as const)
    if (!(cfg[field] > 0 && cfg[field] <= 1)) throw new Error(`${where}: ${field} must be in (0, 1], got ${cfg[field]}`);
  if (!(cfg.rpnBgIou <= cfg.rpnFgIou)) throw new Error(`${where}: rpnBgIou (${cfg.rpnBgIou}) must be <= rpnFgIou (${cfg.rpnFgIou})`);
  if (!(cfg.boxScoreThresh >= 0 && cfg.boxScoreThresh < 1)) throw new Error(`${where}: boxScoreThresh must be in [0, 1), got ${cfg.boxScoreThresh}`);
  if (cfg.roiOp !== 'align' && cfg.roiOp !== 'pool') throw new Error(`${where}: roiOp must be 'align' or 'pool', got '${cfg.roiOp}'`);
  if (!Number.isInteger(cfg.roiSamplingRatio)) throw new Error(`${where}: roiSamplingRatio must be an integer, got ${cfg.roiSamplingRatio}`);
  return cfg;
}

/** R-CNN hyperparameters (Girshick et al., 2014), small: grouping proposals, warped crops, a small CNN; plain data. */
export interface RcnnConfig {
  /** Channels of the input images. Default 1. */
  inChannels: number;
  /** Side of the square input images in pixels. Default 96. */
  imageSize: number;
  /** Object classes, background excluded. Default 10. */
  numClasses: number;
  /** Side every proposal is warped to (bilinear), in pixels; must be divisible by 2^(conv stages). Default 24. */
  cropSize: number;
  /** Context added around each proposal before warping, in pixels per side (R-CNN used 16 at 227 px). Default 2. */
  context: number;
  /** Widths of the crop CNN's 3×3 conv + ReLU + 2×2 max pool stages. Default [16, 32]. */
  channels: number[];
  /** Width of its fc layer. Default 128. */
  hidden: number;
  /** Foreground threshold of the grouping proposals (see `groupingProposals`). Default 0.2. */
  proposalThreshold: number;
  /** Largest box gap (pixels) across which regions are grouped. Default 8. */
  proposalMaxGap: number;
  /** Largest proposal side in pixels. Default 48. */
  proposalMaxSide: number;
  /** Crops with IoU >= this with a box are foreground. Default 0.5. */
  fgIou: number;
  /** Crops sampled per image for the loss (proposals, ground truth and jittered ground truth). Default 16. */
  batchSizePerImage: number;
  /** Largest share of foreground among them. Default 0.5. */
  positiveFraction: number;
  /** Jittered copies of each ground truth box added to the training candidates (shift and scale up to ±15%). Default 2. */
  jitterPerBox: number;
  /** Detections scoring below this are dropped. Default 0.05. */
  scoreThresh: number;
  /** IoU of the per-class detection NMS. Default 0.5. */
  nmsThresh: number;
  /** At most this many detections per image. Default 20. */
  detectionsPerImage: number;
}

export const RCNN_DEFAULTS: Readonly<RcnnConfig> = Object.freeze({
  inChannels: 1,
  imageSize: 96,
  numClasses: 10,
  cropSize: 24,
  context: 2,
  channels: [16, 32],
  hidden: 128,
  proposalThreshold: 0.2,
  proposalMaxGap: 8,
  proposalMaxSide: 48,
  fgIou: 0.5,
  batchSizePerImage: 16,
  positiveFraction: 0.5,
  jitterPerBox: 2,
  scoreThresh: 0.05,
  nmsThresh: 0.5,
  detectionsPerImage: 20,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveRcnnConfig(config: Partial<RcnnConfig> = {}, where = 'Rcnn'): RcnnConfig {
  const cfg: RcnnConfig = { ...RCNN_DEFAULTS, ...config };
  for (const field of ['inChannels', 'imageSize', 'numClasses', 'cropSize', 'hidden', 'batchSizePerImage', 'detectionsPerImage'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  for (const field of ['context', 'jitterPerBox'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] < 0) throw new Error(`${where}: ${field} must be a non-negative integer, got ${cfg[field]}`);
  if (!cfg.channels.length || !cfg.channels.every((c) => Number.isInteger(c) && c > 0)) throw new Error(`${where}: channels must be positive integers, got [${cfg.channels}]`);
  if (cfg.cropSize % 2 ** cfg.channels.length !== 0)
    throw new Error(`${where}: cropSize (${cfg.cropSize}) must be divisible by 2^${cfg.channels.length} (one 2×2 pool per conv stage)`);
  for (const field of ['fgIou', 'positiveFraction', 'nmsThresh'] as const)
    if (!(cfg[field] > 0 && cfg[field] <= 1)) throw new Error(`${where}: ${field} must be in (0, 1], got ${cfg[field]}`);
  if (!(cfg.scoreThresh >= 0 && cfg.scoreThresh < 1)) throw new Error(`${where}: scoreThresh must be in [0, 1), got ${cfg.scoreThresh}`);
  if (!(cfg.proposalThreshold >= 0 && cfg.proposalMaxGap >= 0 && cfg.proposalMaxSide > 0))
    throw new Error(`${where}: proposalThreshold (${cfg.proposalThreshold}) and proposalMaxGap (${cfg.proposalMaxGap}) must be >= 0 and proposalMaxSide (${cfg.proposalMaxSide}) > 0`);
  return cfg;
}
