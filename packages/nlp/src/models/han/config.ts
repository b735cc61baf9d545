/** Hierarchical attention network hyperparameters (Yang et al., 2016), plain data. */
export interface HanConfig {
  /** Vocabulary size (rows of the embedding table); required. */
  vocabSize: number;
  /** Word vector size (paper: 200). Default 100. */
  embeddingDim: number;
  /** Word-level BiGRU hidden units per direction (paper: 50). Default 50. */
  wordHiddenSize: number;
  /** Sentence-level BiGRU hidden units per direction (paper: 50). Default 50. */
  sentenceHiddenSize: number;
  /** Size of the attention MLP (u = tanh(W h + b)) at both levels (paper: 100). Default 100. */
  attentionDim: number;
  /** Output classes. Default 2. */
  numClasses: number;
  /** Dropout on the embeddings and on the document vector. Default 0.3. */
  dropout: number;
  /** Id of the padding token (zero embedding; padded words and empty sentences are masked). Default 0. */
  padId: number;
  /** Most sentences per document; more throw. Default 64. */
  maxSentences: number;
  /** Most words per sentence; more throw. Default 128. */
  maxWords: number;
}

export const HAN_DEFAULTS: Readonly<Omit<HanConfig, 'vocabSize'>> = Object.freeze({
  embeddingDim: 100,
  wordHiddenSize: 50,
  sentenceHiddenSize: 50,
  attentionDim: 100,
  numClasses: 2,
  dropout: 0.3,
  padId: 0,
  maxSentences: 64,
  maxWords: 128,
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveHanConfig(config: Partial<HanConfig> & { vocabSize: number }): HanConfig {
  const cfg: HanConfig = { ...HAN_DEFAULTS, ...config };
  const where = 'Han';
  for (const field of ['vocabSize', 'embeddingDim', 'wordHiddenSize', 'sentenceHiddenSize', 'attentionDim', 'numClasses', 'maxSentences', 'maxWords'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!Number.isInteger(cfg.padId) || cfg.padId < 0 || cfg.padId >= cfg.vocabSize) throw new Error(`${where}: padId (${cfg.padId}) must be in [0, vocabSize ${cfg.vocabSize})`);
  return cfg;
}
