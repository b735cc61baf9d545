import { registry } from '@neuralzoo/core';
import type { RnnlmConfig } from './config';
import { RNNLM, rnnlm } from './rnnlm';
import { RNNLM_BIBLE_RECIPE } from './recipe';

export { RNNLM, rnnlm } from './rnnlm';
export { RNNLM_DEFAULTS, resolveRnnlmConfig } from './config';
export type { RnnlmConfig } from './config';
export { RNNLM_BIBLE_RECIPE, trainRnnlm } from './recipe';

registry.register<Partial<RnnlmConfig>, RNNLM>({
  name: 'rnnlm',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => rnnlm(config),
  recipe: RNNLM_BIBLE_RECIPE,
  description: 'Elman RNN language model (Mikolov et al., 2010): embedding, tanh recurrent layer, softmax',
});
