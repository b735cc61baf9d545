import { registry } from '@neuralzoo/core';
import { AlexNet, alexnet } from './alexnet';
import type { AlexNetConfig } from './config';
import { ALEXNET_FASHION_MNIST_RECIPE } from './recipe';

export { AlexNet, alexnet } from './alexnet';
export { ALEXNET_DEFAULTS, resolveAlexNetConfig, alexnetMinInputSize } from './config';
export type { AlexNetConfig } from './config';
export { ALEXNET_FASHION_MNIST_RECIPE } from './recipe';
export type { AlexNetRecipe } from './recipe';

registry.register<Partial<AlexNetConfig>, AlexNet>({
  name: 'alexnet',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => alexnet(config),
  recipe: ALEXNET_FASHION_MNIST_RECIPE,
  description: 'AlexNet (Krizhevsky et al., 2012), torchvision layout: 5 conv + 3 fc layers, 61.1M parameters, 224×224 RGB',
});
