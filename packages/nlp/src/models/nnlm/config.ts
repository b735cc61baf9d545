/** NNLM hyperparameters (Bengio et al., 2003), all plain data. */
export interface NnlmConfig {
  /** Vocabulary size. Default 3000. */
  vocabSize: number;
  /** Words of context (n - 1 of the n-gram). Default 4. */
  context: number;
  /** Word feature size m (rows of C). Default 64. */
  embeddingDim: number;
  /** Hidden tanh units h. Default 128. */
  hiddenSize: number;
  /** The paper's optional direct connections W from the features to the output. Default false. */
  directConnections: boolean;
}

export const NNLM_DEFAULTS: Readonly<NnlmConfig> = Object.freeze({ vocabSize: 3000, context: 4, embeddingDim: 64, hiddenSize: 128, directConnections: false });

export function resolveNnlmConfig(config: Partial<NnlmConfig> = {}): NnlmConfig {
  const cfg: NnlmConfig = { ...NNLM_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'context', 'embeddingDim', 'hiddenSize'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`NNLM: ${f} must be a positive integer, got ${cfg[f]}`);
  return cfg;
}
