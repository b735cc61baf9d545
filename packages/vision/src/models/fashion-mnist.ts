import { ALEXNET_FASHION_MNIST_RECIPE } from './alexnet/recipe';
import { GOOGLENET_FASHION_MNIST_RECIPE } from './googlenet/recipe';
import { LENET5_FASHION_MNIST_RECIPE } from './lenet/recipe';
import { RESNET_SMALL_FASHION_MNIST_RECIPE } from './resnet/recipe';
import { VGG_SMALL_FASHION_MNIST_RECIPE } from './vgg/recipe';

/**
 * The small classifiers' Fashion-MNIST recipes by the key `scripts/train-fashion.js <key>` takes;
 * each recipe's `variant` (or the key) is the registry name and `model` the builder config.
 */
export const FASHION_MNIST_RECIPES = Object.freeze({
  resnet: RESNET_SMALL_FASHION_MNIST_RECIPE,
  lenet5: LENET5_FASHION_MNIST_RECIPE,
  alexnet: { ...ALEXNET_FASHION_MNIST_RECIPE, variant: 'alexnet' },
  vgg: VGG_SMALL_FASHION_MNIST_RECIPE,
  googlenet: { ...GOOGLENET_FASHION_MNIST_RECIPE, variant: 'googlenet' },
});
