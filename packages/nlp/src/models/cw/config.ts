/** C&W hyperparameters (Collobert & Weston, 2008; Collobert et al., 2011), all plain data. */
export interface CwConfig {
  /** Vocabulary size. Default 5000. */
  vocabSize: number;
  /** Word vector size. Default 64. */
  embeddingDim: number;
  /** Words per window (odd; the centre word is the one corrupted). Default 5. */
  windowSize: number;
  /** Hidden hard-tanh units. Default 100. */
  hiddenSize: number;
  /**
   * Standard deviation of the N(0, σ²) word vectors at init. Default 0.01 (was 0.1): Adam moves a
   * rare word by a few lr-sized steps per occurrence, which must be able to take it away from its
   * random start.
   */
  embeddingInitStd: number;
}

export const CW_DEFAULTS: Readonly<CwConfig> = Object.freeze({ vocabSize: 5000, embeddingDim: 64, windowSize: 5, hiddenSize: 100, embeddingInitStd: 0.01 });

export function resolveCwConfig(config: Partial<CwConfig> = {}): CwConfig {
  const cfg: CwConfig = { ...CW_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'embeddingDim', 'windowSize', 'hiddenSize'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`CW: ${f} must be a positive integer, got ${cfg[f]}`);
  if (!(cfg.embeddingInitStd > 0)) throw new Error(`CW: embeddingInitStd must be > 0, got ${cfg.embeddingInitStd}`);
  if (cfg.windowSize % 2 !== 1) throw new Error(`CW: windowSize must be odd (a centre word), got ${cfg.windowSize}`);
  return cfg;
}
