import { registry } from '@neuralzoo/core';
import type { InceptionV3Config } from './config';
import { InceptionV3, inceptionV3 } from './inception';
import { INCEPTION_V3_FASHION_MNIST_RECIPE } from './recipe';

export { InceptionA, InceptionB, InceptionC, InceptionD, InceptionE, InceptionAux as InceptionV3Aux, InceptionV3, inceptionV3 } from './inception';
export { BasicConv2d as InceptionV3BasicConv2d } from './inception';
export type { InceptionV3Outputs } from './inception';
export { INCEPTION_V3_DEFAULTS, inceptionV3MinInputSize, resolveInceptionV3Config } from './config';
export type { InceptionV3Config } from './config';
export { INCEPTION_V3_FASHION_MNIST_RECIPE } from './recipe';
export type { InceptionV3Recipe } from './recipe';

registry.register<Partial<InceptionV3Config>, InceptionV3>({
  name: 'inception_v3',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => inceptionV3(config),
  recipe: INCEPTION_V3_FASHION_MNIST_RECIPE,
  description: 'Inception v3 (Szegedy et al., 2015), torchvision layout, 23.8M parameters (aux head optional), 299×299 RGB',
});
