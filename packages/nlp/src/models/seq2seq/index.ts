import { registry } from '@neuralzoo/core';
import type { Seq2SeqConfig } from './config';
import { Seq2Seq, seq2seqGru, seq2seqGruAttention, seq2seqLstmAttention } from './seq2seq';
import { SEQ2SEQ_G2P_RECIPE, SEQ2SEQ_TRANSLATION_RECIPE } from './recipe';

export { Seq2Seq, seq2seqGru, seq2seqGruAttention, seq2seqLstmAttention } from './seq2seq';
export { SEQ2SEQ_DEFAULTS, resolveSeq2SeqConfig } from './config';
export type { Seq2SeqConfig } from './config';
export { SEQ2SEQ_G2P_RECIPE, SEQ2SEQ_TRANSLATION_RECIPE } from './recipe';
export type { Seq2SeqRecipe } from './recipe';
export { verseTokens, detokenize } from './text';
export { trainPairs, greedyDecodeAll, padIds, bucketBatches, trainableLength } from './train';
export type { PairModel, TrainPairsOptions } from './train';

type Cfg = Partial<Seq2SeqConfig>;
/** Registry configs may omit the vocabularies (small defaults for contract tests). */
const withVocab = (c: Cfg = {}) => ({ srcVocabSize: 32, tgtVocabSize: 32, ...c });

registry.register<Cfg, Seq2Seq>({
  name: 'seq2seq_gru_attention',
  task: 'seq2seq',
  domain: 'nlp',
  create: (c) => seq2seqGruAttention(withVocab(c)),
  recipe: SEQ2SEQ_G2P_RECIPE,
  description: 'GRU encoder–decoder with Bahdanau attention and input feeding (Bahdanau et al., 2015; Luong et al., 2015)',
});
registry.register<Cfg, Seq2Seq>({
  name: 'seq2seq_lstm_attention',
  task: 'seq2seq',
  domain: 'nlp',
  create: (c) => seq2seqLstmAttention(withVocab(c)),
  description: 'LSTM encoder–decoder with Luong (general) attention',
});
registry.register<Cfg, Seq2Seq>({
  name: 'seq2seq_gru',
  task: 'seq2seq',
  domain: 'nlp',
  create: (c) => seq2seqGru(withVocab(c)),
  recipe: { ...SEQ2SEQ_TRANSLATION_RECIPE, model: { ...SEQ2SEQ_TRANSLATION_RECIPE.model, attention: 'none' } },
  description: 'GRU encoder–decoder without attention (Sutskever et al., 2014; Cho et al., 2014): the baseline',
});
