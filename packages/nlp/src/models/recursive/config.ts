/** Hyperparameters of the tree models (Recursive NN, child-sum and N-ary Tree-LSTM), plain data. */
export interface TreeModelConfig {
  /** Vocabulary size (rows of the embedding table); required. */
  vocabSize: number;
  /** Size of each node's input vector. Default 64. */
  embeddingDim: number;
  /** Size of each node's state (h, and c for Tree-LSTMs). Default 64. */
  hiddenSize: number;
  /** Output classes of the classifier on the root state. Default 2. */
  numClasses: number;
  /**
   * Child slots N of the Recursive NN and the N-ary Tree-LSTM (one weight matrix per position; a
   * node with more children throws). The child-sum Tree-LSTM takes any number. Default 2.
   */
  arity: number;
  /** Dropout on the root state before the classifier. Default 0. */
  dropout: number;
  /** Id given to nodes without a token (zero embedding). Default 0. */
  padId: number;
}

export const TREE_MODEL_DEFAULTS: Readonly<Omit<TreeModelConfig, 'vocabSize'>> = Object.freeze({
  embeddingDim: 64,
  hiddenSize: 64,
  numClasses: 2,
  arity: 2,
  dropout: 0,
  padId: 0,
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveTreeModelConfig(config: Partial<TreeModelConfig> & { vocabSize: number }, where: string): TreeModelConfig {
  const cfg: TreeModelConfig = { ...TREE_MODEL_DEFAULTS, ...config };
  for (const field of ['vocabSize', 'embeddingDim', 'hiddenSize', 'numClasses', 'arity'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!Number.isInteger(cfg.padId) || cfg.padId < 0 || cfg.padId >= cfg.vocabSize) throw new Error(`${where}: padId (${cfg.padId}) must be in [0, vocabSize ${cfg.vocabSize})`);
  return cfg;
}
