export { randomShift, RandomShiftDataset } from './random-shift';
export {
  compose,
  resize,
  centerCrop,
  randomCrop,
  randomHorizontalFlip,
  colorJitter,
  normalize,
  toGray,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  GRAY_WEIGHTS,
} from './image';
export type { Transform, RandomCropOptions, RandomFlipOptions, ColorJitterOptions } from './image';
