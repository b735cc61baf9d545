import { registry } from '@neuralzoo/core';
import type { ResNetConfig } from './config';
import { RESNET_FASHION_MNIST_RECIPES } from './recipe';
import { ResNet, resnet101, resnet152, resnet18, resnet34, resnet50 } from './resnet';

export { BasicBlock, Bottleneck, ResNet, resnet18, resnet34, resnet50, resnet101, resnet152 } from './resnet';
export type { ResNetBlock } from './resnet';
export { RESNET_DEFAULTS, resolveResNetConfig } from './config';
export type { ResNetConfig } from './config';
export { RESNET_FASHION_MNIST_RECIPES, RESNET_SMALL_FASHION_MNIST_RECIPE } from './recipe';
export type { ResNetRecipe } from './recipe';

const BUILDERS: Array<[string, (config?: Partial<ResNetConfig>) => ResNet, string]> = [
  ['resnet18', resnet18, 'ResNet-18 (BasicBlock ×[2,2,2,2]), 11.7M parameters'],
  ['resnet34', resnet34, 'ResNet-34 (BasicBlock ×[3,4,6,3]), 21.8M parameters'],
  ['resnet50', resnet50, 'ResNet-50 (Bottleneck ×[3,4,6,3]), 25.6M parameters'],
  ['resnet101', resnet101, 'ResNet-101 (Bottleneck ×[3,4,23,3]), 44.5M parameters'],
  ['resnet152', resnet152, 'ResNet-152 (Bottleneck ×[3,8,36,3]), 60.2M parameters'],
];

for (const [name, build, what] of BUILDERS)
  registry.register<Partial<ResNetConfig>, ResNet>({
    name,
    task: 'image-classification',
    domain: 'vision',
    create: (config) => build(config),
    recipe: RESNET_FASHION_MNIST_RECIPES[name],
    description: `${what} (He et al., 2015), torchvision v1.5 layout, 224×224 RGB`,
  });
