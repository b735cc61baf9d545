import { registry } from '@neuralzoo/core';
import type { GptConfig } from './config';
import { GPT, gpt } from './gpt';
import { GPT_BIBLE_RECIPE } from './recipe';

export { GPT, gpt, GptAttention, GptBlock, GptMlp, GptTransformer, Conv1D, causalBias } from './gpt';
export { GPT_DEFAULTS, resolveGptConfig } from './config';
export type { GptConfig } from './config';
export { GPT_BIBLE_RECIPE, trainGptLm } from './recipe';
export { generate, pickNext } from './generate';
export type { GenerateOptions, GenerativeLm } from './generate';

registry.register<Partial<GptConfig>, GPT>({
  name: 'gpt',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => gpt(config),
  recipe: GPT_BIBLE_RECIPE,
  description: 'GPT (Radford et al., 2018/2019): decoder-only pre-LN Transformer LM, learned positions, tied embeddings, HF GPT-2 state dict',
});
