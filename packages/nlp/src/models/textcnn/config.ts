/** Text CNN hyperparameters (Kim, 2014), all plain data. */
export interface TextCnnConfig {
  /** Vocabulary size (rows of the embedding table); required. */
  vocabSize: number;
  /** Word vector size. Default 128. */
  embeddingDim: number;
  /** Filter widths in tokens, one convolution per width (Kim: 3, 4, 5). Default [3, 4, 5]. */
  filterSizes: number[];
  /** Feature maps per filter width (Kim: 100). Default 100. */
  numFilters: number;
  /** Output classes. Default 2. */
  numClasses: number;
  /** Dropout on the pooled features before the classifier (Kim: 0.5). Default 0.5. */
  dropout: number;
  /** Id of the padding token: its embedding row is zero and gets no gradient. Default 0. */
  padId: number;
  /** Longest accepted input in tokens; longer inputs throw. Default 512. */
  maxLength: number;
}

export const TEXT_CNN_DEFAULTS: Readonly<Omit<TextCnnConfig, 'vocabSize'>> = Object.freeze({
  embeddingDim: 128,
  filterSizes: [3, 4, 5],
  numFilters: 100,
  numClasses: 2,
  dropout: 0.5,
  padId: 0,
  maxLength: 512,
});

/** Defaults overridden by `config` (a new object; `config` is not touched). */
export function resolveTextCnnConfig(config: Partial<TextCnnConfig> & { vocabSize: number }): TextCnnConfig {
  const cfg: TextCnnConfig = { ...TEXT_CNN_DEFAULTS, ...config, filterSizes: [...(config.filterSizes ?? TEXT_CNN_DEFAULTS.filterSizes)] };
  const where = 'TextCnn';
  for (const field of ['vocabSize', 'embeddingDim', 'numFilters', 'numClasses', 'maxLength'] as const)
    if (!Number.isInteger(cfg[field]) || cfg[field] <= 0) throw new Error(`${where}: ${field} must be a positive integer, got ${cfg[field]}`);
  if (!cfg.filterSizes.length || cfg.filterSizes.some((k) => !Number.isInteger(k) || k < 1))
    throw new Error(`${where}: filterSizes must be a non-empty list of positive integers, got [${cfg.filterSizes}]`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!Number.isInteger(cfg.padId) || cfg.padId < 0 || cfg.padId >= cfg.vocabSize) throw new Error(`${where}: padId (${cfg.padId}) must be in [0, vocabSize ${cfg.vocabSize})`);
  return cfg;
}
