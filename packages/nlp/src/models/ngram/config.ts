/** Kneser-Ney bigram hyperparameters, all plain data. */
export interface NgramConfig {
  /** Vocabulary size: ids are in [0, vocabSize). Default 3000. */
  vocabSize: number;
  /**
   * Absolute discount D in (0, 1), or null to estimate it from the counts of counts as
   * n1 / (n1 + 2 n2) (Ney, Essen & Kneser, 1994). Default null.
   */
  discount: number | null;
}

export const NGRAM_DEFAULTS: Readonly<NgramConfig> = Object.freeze({ vocabSize: 3000, discount: null });

export function resolveNgramConfig(config: Partial<NgramConfig> = {}): NgramConfig {
  const cfg: NgramConfig = { ...NGRAM_DEFAULTS, ...config };
  if (!Number.isInteger(cfg.vocabSize) || cfg.vocabSize <= 0) throw new Error(`KneserNeyBigram: vocabSize must be a positive integer, got ${cfg.vocabSize}`);
  if (cfg.discount !== null && !(cfg.discount > 0 && cfg.discount < 1)) throw new Error(`KneserNeyBigram: discount must be in (0, 1) or null, got ${cfg.discount}`);
  return cfg;
}
