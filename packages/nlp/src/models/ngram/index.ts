import { registry } from '@neuralzoo/core';
import type { NgramConfig } from './config';
import { KneserNeyBigram, kneserNeyBigram } from './ngram';
import { BIGRAM_KN_BIBLE_RECIPE } from './recipe';

export { KneserNeyBigram, kneserNeyBigram } from './ngram';
export { NGRAM_DEFAULTS, resolveNgramConfig } from './config';
export type { NgramConfig } from './config';
export { BIGRAM_KN_BIBLE_RECIPE, trainBigramLm } from './recipe';

registry.register<Partial<NgramConfig>, KneserNeyBigram>({
  name: 'bigram_kn',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => kneserNeyBigram(config),
  recipe: BIGRAM_KN_BIBLE_RECIPE,
  description: 'Interpolated Kneser-Ney bigram (count-based baseline, no parameters; call fit(stream))',
});
