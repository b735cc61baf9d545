/** GPT hyperparameters (decoder-only Transformer; GPT-2 layout and names), all plain data. */
export interface GptConfig {
  /** Vocabulary size (rows of the tied token embedding / output layer). Default 5000. */
  vocabSize: number;
  /** Longest sequence the model reads (rows of the learned position embedding). Default 64. */
  nPositions: number;
  /** Width of the residual stream (GPT-2's n_embd); must be divisible by nHead. Default 128. */
  nEmbd: number;
  /** Number of Transformer blocks. Default 2. */
  nLayer: number;
  /** Attention heads per block. Default 4. */
  nHead: number;
  /** Dropout on embeddings, attention weights and residual branches (GPT-2's *_pdrop). Default 0.1. */
  dropout: number;
  /** LayerNorm epsilon (GPT-2's layer_norm_epsilon). Default 1e-5. */
  layerNormEps: number;
}

export const GPT_DEFAULTS: Readonly<GptConfig> = Object.freeze({
  vocabSize: 5000,
  nPositions: 64,
  nEmbd: 128,
  nLayer: 2,
  nHead: 4,
  dropout: 0.1,
  layerNormEps: 1e-5,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveGptConfig(config: Partial<GptConfig> = {}): GptConfig {
  const cfg: GptConfig = { ...GPT_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'nPositions', 'nEmbd', 'nLayer', 'nHead'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`GPT: ${f} must be a positive integer, got ${cfg[f]}`);
  if (cfg.nEmbd % cfg.nHead !== 0) throw new Error(`GPT: nEmbd (${cfg.nEmbd}) must be divisible by nHead (${cfg.nHead})`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`GPT: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!(cfg.layerNormEps > 0)) throw new Error(`GPT: layerNormEps must be > 0, got ${cfg.layerNormEps}`);
  return cfg;
}
