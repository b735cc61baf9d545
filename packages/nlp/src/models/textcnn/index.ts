import { registry } from '@neuralzoo/core';
import type { TextCnnConfig } from './config';
import { TEXT_CNN_SENTIMENT_RECIPE } from './recipe';
import { TextCnn, textCnn } from './textcnn';

export { TextCnn, textCnn } from './textcnn';
export { TEXT_CNN_DEFAULTS, resolveTextCnnConfig } from './config';
export type { TextCnnConfig } from './config';
export { TEXT_CNN_SENTIMENT_RECIPE } from './recipe';
export type { TextClassificationRecipe } from './recipe';

registry.register<Partial<TextCnnConfig>, TextCnn>({
  name: 'text_cnn',
  task: 'text-classification',
  domain: 'nlp',
  create: (config) => textCnn({ vocabSize: 8000, ...config }),
  recipe: TEXT_CNN_SENTIMENT_RECIPE,
  description: 'Text CNN (Kim, 2014): filter widths 3/4/5 × 100 maps, max-over-time pooling, dropout 0.5',
});
