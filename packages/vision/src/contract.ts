/**
 * Small examples for the registry contract test (src/contract.test.ts) of models registered before
 * `ModelEntry.example` existed. New models declare `example` on their registry entry instead.
 */
import type { ModelEntry, ModelExample } from '@neuralzoo/core';

/** A contract example; `wrongLayout: false` skips the NHWC input checks (models without image input). */
export type ContractExample = ModelExample & { wrongLayout?: boolean };

const grey = { inChannels: 1, numClasses: 10 };
const VGG = { config: { ...grey, widthMultiplier: 0.03125 }, input: [2, 32, 32, 1], output: [2, 10] };
const RESNET = { config: { ...grey, stem: 'small', widthMultiplier: 0.0625 }, input: [2, 16, 16, 1], output: [2, 10] };

/** Per-model examples: tiny widths and inputs, so the whole contract stays fast on wasm. */
export const CONTRACT_EXAMPLES: Readonly<Record<string, ContractExample>> = Object.freeze({
  lenet5: { config: {}, input: [2, 28, 28, 1], output: [2, 10] },
  alexnet: { config: { ...grey, stem: 'small', widthMultiplier: 0.0625 }, input: [2, 28, 28, 1], output: [2, 10] },
  googlenet: { config: { ...grey, widthMultiplier: 0.0625, auxLogits: true }, input: [2, 32, 32, 1], output: [2, 10] },
  inception_v3: { config: { ...grey, stem: 'small', widthMultiplier: 0.0625 }, input: [2, 16, 16, 1], output: [2, 10] },
  ...Object.fromEntries(['vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn'].map((n) => [n, VGG])),
  ...Object.fromEntries(['resnet18', 'resnet34', 'resnet50', 'resnet101', 'resnet152'].map((n) => [n, RESNET])),
});

/**
 * The example of a registry entry: its own `example`, else the table above, else its recipe's
 * model config on 28×28 (plus the recipe's `pad`) single-channel images for MNIST-style sets.
 */
export function contractExample(entry: ModelEntry): ContractExample {
  if (entry.example) return entry.example;
  const listed = CONTRACT_EXAMPLES[entry.name];
  if (listed) return listed;
  const recipe = entry.recipe;
  if (recipe && ['mnist', 'fashion-mnist'].includes(recipe.dataset) && recipe.model && typeof recipe.model === 'object') {
    const side = 28 + 2 * (typeof recipe.pad === 'number' ? recipe.pad : 0);
    return { config: recipe.model, input: [2, side, side, 1] };
  }
  throw new Error(
    `contract test: model '${entry.name}' has no small example: add \`example: { config, input: [B, H, W, C], output? }\` to its registry entry`,
  );
}
