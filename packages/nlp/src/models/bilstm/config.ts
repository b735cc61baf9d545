/** Multi-layer bidirectional LSTM hyperparameters (sentence classifier and token tagger), plain data. */
export interface BiLstmConfig {
  /** Vocabulary size (rows of the embedding table); required. */
  vocabSize: number;
  /** Word vector size. Default 100. */
  embeddingDim: number;
  /** LSTM hidden units per direction. Default 128. */
  hiddenSize: number;
  /** Stacked BiLSTM layers. Default 2. */
  numLayers: number;
  /** Output classes: sentence classes for the classifier, tags per token for the tagger. Default 2. */
  numClasses: number;
  /** Dropout on the embeddings, between LSTM layers and before the head. Default 0.3. */
  dropout: number;
  /** Id of the padding token (zero embedding, no gradient, masked out of the LSTM). Default 0. */
  padId: number;
  /** Longest accepted input in tokens; longer inputs throw. Default 512. */
  maxLength: number;
}

export const BILSTM_DEFAULTS: Readonly<Omit<BiLstmConfig, 'vocabSize'>> = Object.freeze({
  embeddingDim: 100,
  hiddenSize: 128,
  numLayers: 2,
  numClasses: 2,
  dropout: 0.3,
  padId: 0,
  maxLength: 512,
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveBiLstmConfig(config: Partial<BiLstmConfig> & { vocabSize: number }, where = 'BiLstm'): BiLstmConfig {
  const cfg: BiLstmConfig = { ...BILSTM_DEFAULTS, ...config };
  for (const field of ['vocabSize', 'embeddingDim', 'hiddenSize', 'numLayers', 'numClasses', 'maxLength'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!Number.isInteger(cfg.padId) || cfg.padId < 0 || cfg.padId >= cfg.vocabSize) throw new Error(`${where}: padId (${cfg.padId}) must be in [0, vocabSize ${cfg.vocabSize})`);
  return cfg;
}
