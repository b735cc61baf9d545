import { registry } from '@neuralzoo/core';
import type { NnlmConfig } from './config';
import { NNLM, nnlm } from './nnlm';
import { NNLM_BIBLE_RECIPE } from './recipe';

export { NNLM, nnlm } from './nnlm';
export { NNLM_DEFAULTS, resolveNnlmConfig } from './config';
export type { NnlmConfig } from './config';
export { NNLM_BIBLE_RECIPE, trainNnlm } from './recipe';

registry.register<Partial<NnlmConfig>, NNLM>({
  name: 'nnlm',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => nnlm(config),
  recipe: NNLM_BIBLE_RECIPE,
  description: 'Neural probabilistic LM (Bengio et al., 2003): concatenated word features, tanh hidden layer, softmax',
});
