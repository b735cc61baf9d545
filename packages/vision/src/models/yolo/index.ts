import { registry } from '@neuralzoo/core';
import type { YoloV1Config, YoloV3Config } from './config';
import { YOLO_V1_SCENES_RECIPE, YOLO_V3_SCENES_RECIPE } from './recipe';
import { YoloV1, yoloV1, YoloV3, yoloV3 } from './yolo';

export { YoloV1, yoloV1, YoloV3, yoloV3, yoloV1Loss, yoloV3Loss, yoloV3Layout, DarkConv } from './yolo';
export type { YoloV3Layout } from './yolo';
export { YOLO_V1_DEFAULTS, YOLO_V3_DEFAULTS, resolveYoloV1Config, resolveYoloV3Config } from './config';
export type { YoloV1Config, YoloV3Config } from './config';
export { YOLO_V1_SCENES_RECIPE, YOLO_V3_SCENES_RECIPE } from './recipe';

registry.register<Partial<YoloV1Config>, YoloV1>({
  name: 'yolo_v1',
  task: 'object-detection',
  domain: 'vision',
  create: (config) => yoloV1(config),
  recipe: YOLO_V1_SCENES_RECIPE,
  description: 'YOLO v1 (Redmon et al., 2016): S×S grid, B boxes + class distribution per cell, sum-squared loss; small Darknet-like backbone for 96×96 scenes',
  example: { config: { imageSize: 32, widths: [4, 8], neckWidths: [8], gridSize: 8 }, input: [2, 32, 32, 1], output: [2, 8, 8, 20] },
});

registry.register<Partial<YoloV3Config>, YoloV3>({
  name: 'yolo_v3',
  task: 'object-detection',
  domain: 'vision',
  create: (config) => yoloV3(config),
  recipe: YOLO_V3_SCENES_RECIPE,
  description: 'YOLO v3-style (Redmon & Farhadi, 2018): anchors on two scales with an upsampled merge, sigmoid offsets, objectness/class BCE',
  example: { config: { imageSize: 32, widths: [4, 8, 8] }, input: [2, 32, 32, 1], output: [2, 8 * 8 * 3 + 4 * 4 * 3, 15] },
});
