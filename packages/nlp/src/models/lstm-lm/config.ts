/** LSTM LM hyperparameters (Zaremba et al., 2014 style; tied embeddings per Press & Wolf, 2017), all plain data. */
export interface LstmLmConfig {
  /** Vocabulary size. Default 3000. */
  vocabSize: number;
  /** Word vector size; equals hiddenSize when tieWeights. Default 128. */
  embeddingDim: number;
  /** LSTM units per layer. Default 128. */
  hiddenSize: number;
  /** Stacked LSTM layers. Default 1. */
  numLayers: number;
  /** Dropout on the embeddings and the LSTM output. Default 0. */
  dropout: number;
  /** Share the output weights with the embedding (needs embeddingDim === hiddenSize). Default true. */
  tieWeights: boolean;
}

export const LSTM_LM_DEFAULTS: Readonly<LstmLmConfig> = Object.freeze({ vocabSize: 3000, embeddingDim: 128, hiddenSize: 128, numLayers: 1, dropout: 0, tieWeights: true });

export function resolveLstmLmConfig(config: Partial<LstmLmConfig> = {}): LstmLmConfig {
  const cfg: LstmLmConfig = { ...LSTM_LM_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'embeddingDim', 'hiddenSize', 'numLayers'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`LstmLM: ${f} must be a positive integer, got ${cfg[f]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`LstmLM: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (cfg.tieWeights && cfg.embeddingDim !== cfg.hiddenSize)
    throw new Error(`LstmLM: tieWeights needs embeddingDim (${cfg.embeddingDim}) === hiddenSize (${cfg.hiddenSize})`);
  return cfg;
}
