/**
 * @neuralzoo/nlp — NLP models on TensorFlow.js: tokenizers and vocabularies, word embeddings,
 * recurrent and attention models, seq2seq with pointer and copy networks, GPT and BERT.
 * Importing it registers every model in core's `registry`.
 */
export const NLP_PACKAGE = '@neuralzoo/nlp';
export * from './text/index';
export * from './attention/index';
export * from './models/textcnn/index';
export * from './models/bilstm/index';
export * from './models/han/index';
export * from './models/recursive/index';
export * from './decode/index';
export * from './metrics/index';
export * from './models/seq2seq/index';
export * from './models/transformer/index';
export * from './lm/index';
export * from './models/ngram/index';
export * from './models/nnlm/index';
export * from './models/lbl/index';
export * from './models/rnnlm/index';
export * from './models/lstm-lm/index';
export * from './models/gpt/index';
export * from './models/pointer/index';
export * from './models/word2vec/index';
export * from './models/cw/index';
export * from './models/elmo/index';
export * from './models/copynet/index';
export * from './models/bert/index';
