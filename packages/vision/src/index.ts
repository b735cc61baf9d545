/**
 * @neuralzoo/vision — vision models on TensorFlow.js with PyTorch-compatible state dicts.
 * Importing it registers every model in core's `registry` (`lenet5`). Browser-safe.
 */
export * from './models/lenet/index';
export * from './models/alexnet/index';
export * from './models/vgg/index';
export * from './models/resnet/index';
export * from './models/googlenet/index';
export * from './models/inception/index';
export * from './detection/index';
export * from './models/yolo/index';
export * from './models/ssd/index';
export * from './models/pixelcnn/index';
export * from './models/inception-v4/index';
export * from './models/bn-inception/index';
export { FASHION_MNIST_RECIPES } from './models/fashion-mnist';
export * from './transforms/index';
export { encodePng, imageGrid } from './io/png';
export type { ImageGridOptions } from './io/png';
export * from './ops/index';
export * from './models/faster-rcnn/index';
