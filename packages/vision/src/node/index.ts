/**
 * @neuralzoo/vision/node — everything in `@neuralzoo/vision`, plus the Node-only parts: image
 * files <-> tensors with sharp (`readImage`, `writeImage`, `encodeImage`, `decodeImage`).
 */
export * from '../index';
export { readImage, writeImage, encodeImage, decodeImage, imageBytes, READ_FORMATS } from './image';
export type { ReadImageOptions, WriteImageOptions, DecodedImage } from './image';
