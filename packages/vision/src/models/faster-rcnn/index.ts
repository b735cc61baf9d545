import { registry } from '@neuralzoo/core';
import type { FasterRcnnConfig, RcnnConfig } from './config';
import { FasterRcnn, fasterRcnn } from './faster-rcnn';
import { Rcnn, rcnn } from './rcnn';
import { FASTER_RCNN_DIGITS_RECIPE, RCNN_DIGITS_RECIPE } from './recipe';

export { FasterRcnn, fasterRcnn, ConvBackbone, RpnHead, BoxHead, sampleBalanced, checkTarget, ownClassBoxLoss } from './faster-rcnn';
export type { DetectionTarget, FasterRcnnOutput, FasterRcnnLosses, Target } from './faster-rcnn';
export { Rcnn, rcnn, CropCnn } from './rcnn';
export type { RcnnOutput } from './rcnn';
export { groupingProposals } from './proposals';
export type { GroupingOptions } from './proposals';
export { FASTER_RCNN_DEFAULTS, resolveFasterRcnnConfig, RCNN_DEFAULTS, resolveRcnnConfig } from './config';
export type { FasterRcnnConfig, RcnnConfig } from './config';
export { trainTwoStage, detectTwoStage, evaluateTwoStage } from './train';
export type { DetectionData, TwoStageDetector, TrainTwoStageOptions } from './train';
export { FASTER_RCNN_DIGITS_RECIPE, RCNN_DIGITS_RECIPE, DIGIT_SCENES_96 } from './recipe';
export type { DetectorRecipe, DigitScenesSpec } from './recipe';

registry.register<Partial<FasterRcnnConfig>, FasterRcnn>({
  name: 'faster_rcnn',
  task: 'object-detection',
  domain: 'vision',
  create: (config) => fasterRcnn(config),
  recipe: FASTER_RCNN_DIGITS_RECIPE,
  example: { config: { imageSize: 32, backboneChannels: [4, 8], rpnChannels: 8, anchorSizes: [8], roiOutputSize: 3, headChannels: 16 }, input: [2, 32, 32, 1] },
  description: 'Faster R-CNN (Ren et al., 2015): conv backbone, RPN, RoI Align, two-fc box head; 96×96 digit scenes',
});

registry.register<Partial<RcnnConfig>, Rcnn>({
  name: 'rcnn',
  task: 'object-detection',
  domain: 'vision',
  create: (config) => rcnn(config),
  recipe: RCNN_DIGITS_RECIPE,
  example: { config: { imageSize: 32, cropSize: 8, channels: [4], hidden: 8 }, input: [2, 32, 32, 1] },
  description: 'R-CNN (Girshick et al., 2014): grouping proposals, warped crops classified by a small CNN, box regression',
});
