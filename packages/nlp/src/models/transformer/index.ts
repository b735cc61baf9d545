import { registry } from '@neuralzoo/core';
import type { TransformerSeq2SeqConfig } from './config';
import { seq2seqTransformer, TransformerSeq2Seq } from './transformer';
import { TRANSFORMER_G2P_RECIPE } from './recipe';

export { TransformerSeq2Seq, seq2seqTransformer } from './transformer';
export { SinusoidalPositionalEncoding, LearnedPositionalEncoding, sinusoidTable } from './positional';
export { TRANSFORMER_SEQ2SEQ_DEFAULTS, resolveTransformerSeq2SeqConfig } from './config';
export type { TransformerSeq2SeqConfig } from './config';
export { TRANSFORMER_G2P_RECIPE } from './recipe';

registry.register<Partial<TransformerSeq2SeqConfig>, TransformerSeq2Seq>({
  name: 'seq2seq_transformer',
  task: 'seq2seq',
  domain: 'nlp',
  create: (c = {}) => seq2seqTransformer({ srcVocabSize: 32, tgtVocabSize: 32, ...c }),
  recipe: TRANSFORMER_G2P_RECIPE,
  description: 'Transformer encoder–decoder (Vaswani et al., 2017) on core layers, sinusoidal or learned positions',
});
