/**
 * @neuralzoo/vision/node — everything in `@neuralzoo/vision`, plus the Node-only parts: image
 * files <-> tensors with sharp (`readImage`, `writeImage`, `encodeImage`, `decodeImage`) and
 * detection on image files (`loadDetector`, `detectImage`, `defaultDetectorWeights`), and models
 * rebuilt from self-describing weights files (`loadModelFile`).
 */
export * from '../index';
export { readImage, writeImage, encodeImage, decodeImage, imageBytes, READ_FORMATS } from './image';
export type { ReadImageOptions, WriteImageOptions, DecodedImage } from './image';
export { loadDetector, detectImage, defaultDetectorWeights, WEIGHTS_DIR } from './detect';
export type { LoadedDetector } from './detect';
export { loadModelFile } from './model-file';
export type { LoadedModel, LoadModelFileOptions } from './model-file';
