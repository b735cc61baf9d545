import { registry } from '@neuralzoo/core';
import type { LblConfig } from './config';
import { LBL, lbl } from './lbl';
import { LBL_BIBLE_RECIPE } from './recipe';

export { LBL, lbl } from './lbl';
export { LBL_DEFAULTS, resolveLblConfig } from './config';
export type { LblConfig } from './config';
export { LBL_BIBLE_RECIPE, trainLbl } from './recipe';

registry.register<Partial<LblConfig>, LBL>({
  name: 'lbl',
  task: 'language-modeling',
  domain: 'nlp',
  create: (config) => lbl(config),
  recipe: LBL_BIBLE_RECIPE,
  description: 'Log-bilinear LM (Mnih & Hinton, 2007): predicted representation = Σ C_i r(w_i), scored against the shared word table',
});
