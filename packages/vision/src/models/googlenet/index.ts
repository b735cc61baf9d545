import { registry } from '@neuralzoo/core';
import type { GoogLeNetConfig } from './config';
import { GoogLeNet, googlenet } from './googlenet';
import { GOOGLENET_FASHION_MNIST_RECIPE } from './recipe';

export { BasicConv2d, GoogLeNet, Inception, InceptionAux, googlenet } from './googlenet';
export type { GoogLeNetOutputs } from './googlenet';
export { GOOGLENET_DEFAULTS, googlenetMinInputSize, resolveGoogLeNetConfig } from './config';
export type { GoogLeNetConfig } from './config';
export { GOOGLENET_FASHION_MNIST_RECIPE } from './recipe';
export type { GoogLeNetRecipe } from './recipe';

registry.register<Partial<GoogLeNetConfig>, GoogLeNet>({
  name: 'googlenet',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => googlenet(config),
  recipe: GOOGLENET_FASHION_MNIST_RECIPE,
  description: 'GoogLeNet / Inception v1 (Szegedy et al., 2014), torchvision layout with BatchNorm, 6.6M parameters (aux heads optional), 224×224 RGB',
});
