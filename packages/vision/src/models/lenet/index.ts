import { registry } from '@neuralzoo/core';
import type { LeNetConfig } from './config';
import { LeNet5, lenet5 } from './lenet';
import { LENET5_MNIST_RECIPE } from './recipe';

export { LeNet5, lenet5 } from './lenet';
export { LENET_DEFAULTS, resolveLeNetConfig, featureSize } from './config';
export type { LeNetConfig } from './config';
export { LENET5_MNIST_RECIPE, LENET5_FASHION_MNIST_RECIPE } from './recipe';
export type { LeNetRecipe, LeNetFashionRecipe } from './recipe';

registry.register<Partial<LeNetConfig>, LeNet5>({
  name: 'lenet5',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => lenet5(config),
  recipe: LENET5_MNIST_RECIPE,
  description: 'LeNet-5 (LeCun et al., 1998): 2 conv + 3 fc layers, 61.7k parameters, 28×28 grey digits',
});
