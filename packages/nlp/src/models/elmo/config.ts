/** ELMo hyperparameters (Peters et al., 2018), scaled down; all plain data. */
export interface ElmoConfig {
  /** Word vocabulary size (the biLM's softmax). Default 3000. */
  vocabSize: number;
  /** Characters kept per word, begin/end-of-word marks included (longer words are cut). Default 14. */
  maxChars: number;
  /** Character ids: 0 padding, 1 begin-of-word, 2 end-of-word, 3.. code points modulo (charVocabSize - 3). Default 256. */
  charVocabSize: number;
  /** Character embedding size. Default 16. */
  charDim: number;
  /** Char-CNN filters as [width, count] pairs, max-pooled over the word. Default [[1, 32], [2, 32], [3, 64], [4, 64]]. */
  filters: Array<[number, number]>;
  /** Highway layers after the char-CNN. Default 1. */
  highwayLayers: number;
  /** Size of the token representation and of each LSTM direction's output (layers are 2·dim wide). Default 64. */
  dim: number;
  /** biLM layers per direction (ELMo: 2). Default 2. */
  numLayers: number;
  /** Dropout on token representations and LSTM outputs while training. Default 0. */
  dropout: number;
}

export const ELMO_DEFAULTS: Readonly<ElmoConfig> = Object.freeze({
  vocabSize: 3000,
  maxChars: 14,
  charVocabSize: 256,
  charDim: 16,
  filters: [[1, 32], [2, 32], [3, 64], [4, 64]] as Array<[number, number]>,
  highwayLayers: 1,
  dim: 64,
  numLayers: 2,
  dropout: 0,
});

export function resolveElmoConfig(config: Partial<ElmoConfig> = {}): ElmoConfig {
  const cfg: ElmoConfig = { ...ELMO_DEFAULTS, ...config, filters: (config.filters ?? ELMO_DEFAULTS.filters).map(([w, n]) => [w, n] as [number, number]) };
  for (const f of ['vocabSize', 'maxChars', 'charVocabSize', 'charDim', 'dim', 'numLayers'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`ELMo: ${f} must be a positive integer, got ${cfg[f]}`);
  if (cfg.charVocabSize < 4) throw new Error(`ELMo: charVocabSize must be >= 4 (3 reserved ids), got ${cfg.charVocabSize}`);
  if (!Number.isInteger(cfg.highwayLayers) || cfg.highwayLayers < 0) throw new Error(`ELMo: highwayLayers must be a non-negative integer, got ${cfg.highwayLayers}`);
  if (!cfg.filters.length || cfg.filters.some(([w, n]) => !Number.isInteger(w) || !Number.isInteger(n) || w < 1 || n < 1 || w > cfg.maxChars))
    throw new Error(`ELMo: filters must be [width, count] pairs with 1 <= width <= maxChars (${cfg.maxChars}), got ${JSON.stringify(cfg.filters)}`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`ELMo: dropout must be in [0, 1), got ${cfg.dropout}`);
  return cfg;
}
