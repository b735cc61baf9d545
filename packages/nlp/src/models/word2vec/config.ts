/** word2vec hyperparameters (Mikolov et al., 2013a/b), all plain data. */
export interface Word2VecConfig {
  /** Vocabulary size. Default 5000. */
  vocabSize: number;
  /** Vector size. Default 64. */
  embeddingDim: number;
  /** Context words on each side of the centre word. Default 3. */
  window: number;
  /** 'cbow' predicts the centre from the mean of its context; 'skipgram' predicts each context word from the centre. Default 'skipgram'. */
  architecture: 'cbow' | 'skipgram';
  /** 'negative' sampling (k noise words from unigram^0.75) or 'hierarchical' softmax over a Huffman tree. Default 'negative'. */
  objective: 'negative' | 'hierarchical';
  /** Noise words per positive pair with negative sampling. Default 5. */
  negatives: number;
  /**
   * A learned bias per output word (negative sampling) or inner node (hierarchical softmax), added
   * to every score. Not in Mikolov et al.; without it the scores' offsets (−log k for unrelated
   * pairs, 0.25·log f(c) from the unigram^0.75 noise) can only be fitted by one direction shared by
   * all word vectors, which on a small corpus dominates them (random-pair cosine ≈ 0.9). Default false.
   */
  outputBias: boolean;
}

export const WORD2VEC_DEFAULTS: Readonly<Word2VecConfig> = Object.freeze({ vocabSize: 5000, embeddingDim: 64, window: 3, architecture: 'skipgram', objective: 'negative', negatives: 5, outputBias: false });

export function resolveWord2VecConfig(config: Partial<Word2VecConfig> = {}): Word2VecConfig {
  const cfg: Word2VecConfig = { ...WORD2VEC_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'embeddingDim', 'window', 'negatives'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`Word2Vec: ${f} must be a positive integer, got ${cfg[f]}`);
  if (cfg.vocabSize < 2) throw new Error(`Word2Vec: vocabSize must be >= 2, got ${cfg.vocabSize}`);
  if (cfg.architecture !== 'cbow' && cfg.architecture !== 'skipgram') throw new Error(`Word2Vec: architecture must be 'cbow' or 'skipgram', got '${cfg.architecture}'`);
  if (cfg.objective !== 'negative' && cfg.objective !== 'hierarchical') throw new Error(`Word2Vec: objective must be 'negative' or 'hierarchical', got '${cfg.objective}'`);
  if (typeof cfg.outputBias !== 'boolean') throw new Error(`Word2Vec: outputBias must be a boolean, got ${String(cfg.outputBias)}`);
  return cfg;
}
