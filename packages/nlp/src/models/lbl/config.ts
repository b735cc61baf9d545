/** Log-bilinear LM hyperparameters (Mnih & Hinton, 2007), all plain data. */
export interface LblConfig {
  /** Vocabulary size. Default 3000. */
  vocabSize: number;
  /** Words of context. Default 4. */
  context: number;
  /** Size of the word representations (shared by context and predicted words). Default 64. */
  embeddingDim: number;
}

export const LBL_DEFAULTS: Readonly<LblConfig> = Object.freeze({ vocabSize: 3000, context: 4, embeddingDim: 64 });

export function resolveLblConfig(config: Partial<LblConfig> = {}): LblConfig {
  const cfg: LblConfig = { ...LBL_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'context', 'embeddingDim'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`LBL: ${f} must be a positive integer, got ${cfg[f]}`);
  return cfg;
}
