import { DetectionRecipe, DIGIT_SCENES } from '../../detection/recipe';

/** YOLO v1 on the SYNTHETIC digit scenes (see the vision README for the measured mAP, time and backend). */
export const YOLO_V1_SCENES_RECIPE: Readonly<DetectionRecipe> = Object.freeze({
  dataset: 'mnist-scenes',
  scenes: DIGIT_SCENES,
  epochs: 15,
  batchSize: 16,
  optimizer: { name: 'Adam', lr: 3e-3, weightDecay: 0 },
  scheduler: { name: 'CosineAnnealingLR', step: 'batch' },
  metric: 'mAP@0.5',
  target: 0.85,
  seed: 0,
} as const);

/** YOLO v3-style on the SYNTHETIC digit scenes. */
export const YOLO_V3_SCENES_RECIPE: Readonly<DetectionRecipe> = Object.freeze({
  ...YOLO_V1_SCENES_RECIPE,
  epochs: 14,
  augment: { maxShift: 8 },
});
