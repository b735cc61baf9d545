import { registry } from '@neuralzoo/core';
import type { VggConfig } from './config';
import { VGG_FASHION_MNIST_RECIPES } from './recipe';
import { VGG, vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg';

export { VGG, vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg';
export type { VggDepth } from './vgg';
export { VGG_DEFAULTS, VGG_MIN_INPUT_SIZE, resolveVggConfig } from './config';
export type { VggConfig } from './config';
export { VGG_FASHION_MNIST_RECIPES, VGG_SMALL_FASHION_MNIST_RECIPE } from './recipe';
export type { VggRecipe } from './recipe';

const BUILDERS: Array<[string, (config?: Partial<VggConfig>) => VGG, string]> = [
  ['vgg11', vgg11, 'VGG-11 (config A), 132.9M parameters'],
  ['vgg11_bn', vgg11Bn, 'VGG-11 with BatchNorm, 132.9M parameters'],
  ['vgg13', vgg13, 'VGG-13 (config B), 133.0M parameters'],
  ['vgg13_bn', vgg13Bn, 'VGG-13 with BatchNorm, 133.1M parameters'],
  ['vgg16', vgg16, 'VGG-16 (config D), 138.4M parameters'],
  ['vgg16_bn', vgg16Bn, 'VGG-16 with BatchNorm, 138.4M parameters'],
  ['vgg19', vgg19, 'VGG-19 (config E), 143.7M parameters'],
  ['vgg19_bn', vgg19Bn, 'VGG-19 with BatchNorm, 143.7M parameters'],
];

for (const [name, build, what] of BUILDERS)
  registry.register<Partial<VggConfig>, VGG>({
    name,
    task: 'image-classification',
    domain: 'vision',
    create: (config) => build(config),
    recipe: VGG_FASHION_MNIST_RECIPES[name],
    description: `${what} (Simonyan & Zisserman, 2014), torchvision layout, 224×224 RGB`,
  });
