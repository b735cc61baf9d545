import { registry } from '@neuralzoo/core';
import type { CwConfig } from './config';
import { CW, cw } from './cw';
import { CW_BIBLE_RECIPE } from './recipe';

export { CW, corruptCentres, cw } from './cw';
export { CW_DEFAULTS, resolveCwConfig } from './config';
export type { CwConfig } from './config';
export { CW_BIBLE_RECIPE, corruptionCdf, trainCw } from './recipe';
export type { CwRecipe } from './recipe';

registry.register<Partial<CwConfig>, CW>({
  name: 'cw',
  task: 'word-embedding',
  domain: 'nlp',
  create: (config) => cw(config),
  recipe: CW_BIBLE_RECIPE,
  description: 'C&W embeddings (Collobert & Weston, 2008): window scorer trained with a ranking loss against corrupted centre words',
});
