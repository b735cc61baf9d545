/** RNNLM hyperparameters (Elman network LM, Mikolov et al., 2010), all plain data. */
export interface RnnlmConfig {
  /** Vocabulary size. Default 3000. */
  vocabSize: number;
  /** Size of the input word vectors. Default 64. */
  embeddingDim: number;
  /** Recurrent (context) layer units. Default 128. */
  hiddenSize: number;
}

export const RNNLM_DEFAULTS: Readonly<RnnlmConfig> = Object.freeze({ vocabSize: 3000, embeddingDim: 64, hiddenSize: 128 });

export function resolveRnnlmConfig(config: Partial<RnnlmConfig> = {}): RnnlmConfig {
  const cfg: RnnlmConfig = { ...RNNLM_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'embeddingDim', 'hiddenSize'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`RNNLM: ${f} must be a positive integer, got ${cfg[f]}`);
  return cfg;
}
