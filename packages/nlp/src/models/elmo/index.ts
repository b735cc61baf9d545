import { registry } from '@neuralzoo/core';
import type { ElmoConfig } from './config';
import { ELMo, elmo } from './elmo';
import { ELMO_BIBLE_RECIPE } from './recipe';

export { ELMo, elmo, CharCnnEncoder, Highway, ScalarMix, charIds } from './elmo';
export type { ElmoOutput } from './elmo';
export { ELMO_DEFAULTS, resolveElmoConfig } from './config';
export type { ElmoConfig } from './config';
export { ELMO_BIBLE_RECIPE, trainElmo, bilmNll, bilmPerplexity } from './recipe';

registry.register<Partial<ElmoConfig>, ELMo>({
  name: 'elmo',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => elmo(config),
  recipe: ELMO_BIBLE_RECIPE,
  description: 'ELMo (Peters et al., 2018): char-CNN tokens, 2-layer forward/backward LSTM biLM, scalar mix of layers as features',
});
