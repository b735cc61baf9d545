import { registry } from '@neuralzoo/core';
import type { Word2VecConfig } from './config';
import { Word2Vec, word2vec } from './word2vec';
import { WORD2VEC_BIBLE_RECIPES } from './recipe';

export { Word2Vec, word2vec } from './word2vec';
export { buildHuffman } from './huffman';
export type { HuffmanTree } from './huffman';
export { WORD2VEC_DEFAULTS, resolveWord2VecConfig } from './config';
export type { Word2VecConfig } from './config';
export { WORD2VEC_BIBLE_RECIPES, trainWord2Vec, word2vecBatch } from './recipe';

const variants = [
  ['word2vec_skipgram_ns', 'sgns', 'skip-gram with negative sampling'],
  ['word2vec_skipgram_hs', 'sghs', 'skip-gram with hierarchical softmax (Huffman tree)'],
  ['word2vec_cbow_ns', 'cbowns', 'CBOW with negative sampling'],
  ['word2vec_cbow_hs', 'cbowhs', 'CBOW with hierarchical softmax (Huffman tree)'],
] as const;
for (const [name, key, what] of variants)
  registry.register<Partial<Word2VecConfig>, Word2Vec>({
    name,
    task: 'word-embedding',
    domain: 'nlp',
    create: (config) => word2vec({ ...WORD2VEC_BIBLE_RECIPES[key].config, ...config }),
    recipe: WORD2VEC_BIBLE_RECIPES[key],
    description: `word2vec (Mikolov et al., 2013): ${what}`,
  });
