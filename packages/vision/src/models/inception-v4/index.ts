import { registry } from '@neuralzoo/core';
import type { InceptionV4Config } from './config';
import { InceptionResNetV2, inceptionResNetV2, InceptionV4, inceptionV4 } from './inception-v4';
import { INCEPTION_RESNET_V2_FASHION_MNIST_RECIPE, INCEPTION_V4_FASHION_MNIST_RECIPE } from './recipe';

export {
  Block17,
  Block35,
  Block8,
  InceptionA as InceptionV4A,
  InceptionB as InceptionV4B,
  InceptionC as InceptionV4C,
  InceptionResNetV2,
  InceptionV4,
  Mixed3a,
  Mixed4a,
  Mixed5a,
  Mixed5b,
  Mixed6a,
  Mixed7a,
  ReductionA,
  ReductionB,
  inceptionResNetV2,
  inceptionResNetV2Side,
  inceptionV4,
  inceptionV4Side,
} from './inception-v4';
export { BasicConv2d as InceptionV4BasicConv2d } from './inception-v4';
export { INCEPTION_V4_DEFAULTS, resolveInceptionV4Config } from './config';
export type { InceptionV4Config } from './config';
export { INCEPTION_RESNET_V2_FASHION_MNIST_RECIPE, INCEPTION_V4_FASHION_MNIST_RECIPE } from './recipe';
export type { InceptionV4Recipe } from './recipe';

const small = { inChannels: 1, numClasses: 10, stem: 'small' as const, widthMultiplier: 0.0625, blocks: [1, 1, 1] as [number, number, number] };

registry.register<Partial<InceptionV4Config>, InceptionV4>({
  name: 'inception_v4',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => inceptionV4(config),
  recipe: INCEPTION_V4_FASHION_MNIST_RECIPE,
  description: 'Inception v4 (Szegedy et al., 2016), pretrainedmodels/timm layout, 42.7M parameters, 299×299 RGB',
  example: { config: small, input: [2, 24, 24, 1], output: [2, 10] },
});

registry.register<Partial<InceptionV4Config>, InceptionResNetV2>({
  name: 'inception_resnet_v2',
  task: 'image-classification',
  domain: 'vision',
  create: (config) => inceptionResNetV2(config),
  recipe: INCEPTION_RESNET_V2_FASHION_MNIST_RECIPE,
  description: 'Inception-ResNet v2 (Szegedy et al., 2016), pretrainedmodels/timm layout, 55.8M parameters, 299×299 RGB',
  example: { config: small, input: [2, 16, 16, 1], output: [2, 10] },
});
