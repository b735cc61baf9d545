import { registry } from '@neuralzoo/core';
import { BiLstmClassifier, BiLstmTagger, bilstmClassifier, bilstmTagger } from './bilstm';
import type { BiLstmConfig } from './config';
import { BILSTM_SENTIMENT_RECIPE } from './recipe';

export { BiLstmEncoder, BiLstmClassifier, BiLstmTagger, bilstmClassifier, bilstmTagger } from './bilstm';
export { BILSTM_DEFAULTS, resolveBiLstmConfig } from './config';
export type { BiLstmConfig } from './config';
export { BILSTM_SENTIMENT_RECIPE, BILSTM_SPAM_RECIPE } from './recipe';

registry.register<Partial<BiLstmConfig>, BiLstmClassifier>({
  name: 'bilstm_classifier',
  task: 'text-classification',
  domain: 'nlp',
  create: (config) => bilstmClassifier({ vocabSize: 8000, ...config }),
  recipe: BILSTM_SENTIMENT_RECIPE,
  description: 'Multi-layer BiLSTM sentence classifier (last states of both directions), masked by length',
});

registry.register<Partial<BiLstmConfig>, BiLstmTagger>({
  name: 'bilstm_tagger',
  task: 'token-classification',
  domain: 'nlp',
  create: (config) => bilstmTagger({ vocabSize: 8000, ...config }),
  description: 'Multi-layer BiLSTM token tagger (one label per token), masked by length',
});
