import { registry } from '@neuralzoo/core';
import type { LstmLmConfig } from './config';
import { LstmLM, lstmLm } from './lstm-lm';
import { LSTM_LM_BIBLE_RECIPE } from './recipe';

export { LstmLM, lstmLm } from './lstm-lm';
export type { LstmState } from './lstm-lm';
export { LSTM_LM_DEFAULTS, resolveLstmLmConfig } from './config';
export type { LstmLmConfig } from './config';
export { LSTM_LM_BIBLE_RECIPE, trainLstmLm } from './recipe';

registry.register<Partial<LstmLmConfig>, LstmLM>({
  name: 'lstm_lm',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => lstmLm(config),
  recipe: LSTM_LM_BIBLE_RECIPE,
  description: 'LSTM language model with truncated BPTT and tied embeddings (Zaremba et al., 2014; Press & Wolf, 2017)',
});
