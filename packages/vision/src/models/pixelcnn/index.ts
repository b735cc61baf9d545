import { registry } from '@neuralzoo/core';
import type { PixelCnnConfig } from './config';
import { PixelCNN, pixelCnn } from './pixelcnn';
import { PIXELCNN_MNIST_RECIPE } from './recipe';

export { MaskedConv2d, PixelCNN, PixelCnnGatedBlock, PixelCnnResidualBlock, natsToBitsPerDim, pixelCnn, rasterMask } from './pixelcnn';
export type { MaskType, PixelCnnSampleOptions } from './pixelcnn';
export { PIXELCNN_DEFAULTS, resolvePixelCnnConfig } from './config';
export type { PixelCnnConfig } from './config';
export { BinaryImageDataset, PIXELCNN_MNIST_RECIPE, bernoulliNll, binarize } from './recipe';
export type { PixelCnnRecipe } from './recipe';

registry.register<Partial<PixelCnnConfig>, PixelCNN>({
  name: 'pixelcnn',
  task: 'image-generation',
  domain: 'vision',
  create: (config) => pixelCnn(config),
  recipe: PIXELCNN_MNIST_RECIPE,
  description: 'PixelCNN (van den Oord et al., 2016): masked convolutions A/B, residual or gated blocks, Bernoulli pixels',
  example: { config: { hiddenChannels: 8, numBlocks: 2, outputChannels: 8 }, input: [2, 8, 8, 1], output: [2, 8, 8, 1] },
});
