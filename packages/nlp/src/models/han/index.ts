import { registry } from '@neuralzoo/core';
import type { HanConfig } from './config';
import { Han, han } from './han';
import { HAN_SPAM_RECIPE } from './recipe';

export { Han, HanAttention, han } from './han';
export { HAN_DEFAULTS, resolveHanConfig } from './config';
export type { HanConfig } from './config';
export { HAN_SPAM_RECIPE } from './recipe';
export type { HanRecipe } from './recipe';

registry.register<Partial<HanConfig>, Han>({
  name: 'han',
  task: 'text-classification',
  domain: 'nlp',
  create: (config) => han({ vocabSize: 8000, ...config }),
  recipe: HAN_SPAM_RECIPE,
  description: 'Hierarchical attention network (Yang et al., 2016): word and sentence BiGRUs with attention pooling',
});
