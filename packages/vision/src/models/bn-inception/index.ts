import { registry } from '@neuralzoo/core';
import { BNInception, bnInception } from './bn-inception';
import type { BnInceptionConfig } from './config';
import { BN_INCEPTION_FASHION_MNIST_RECIPE } from './recipe';

export { BN_INCEPTION_MODULES, BNInception, BnInceptionModule, ConvBn as BnInceptionConvBn, bnInception, bnInceptionSide } from './bn-inception';
export type { BnInceptionModuleSpec } from './bn-inception';
export { BN_INCEPTION_DEFAULTS, resolveBnInceptionConfig } from './config';
export type { BnInceptionConfig } from './config';
export { BN_INCEPTION_FASHION_MNIST_RECIPE } from './recipe';
export type { BnInceptionRecipe } from './recipe';

registry.register<Partial<BnInceptionConfig>, BNInception>({
  name: 'bn_inception',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => bnInception(config),
  recipe: BN_INCEPTION_FASHION_MNIST_RECIPE,
  description: 'BN-Inception / Inception v2 (Ioffe & Szegedy, 2015), 11.2M parameters, 224×224 RGB',
  example: { config: { inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.0625 }, input: [2, 12, 12, 1], output: [2, 10] },
});
