/** Transformer encoder–decoder hyperparameters (Vaswani et al., 2017). */
export interface TransformerSeq2SeqConfig {
  /** Source vocabulary size (id 0 = padding). Required. */
  srcVocabSize: number;
  /** Target vocabulary size (id 0 = padding). Required. */
  tgtVocabSize: number;
  /** Model width E; must be divisible by nhead. Default 64. */
  dModel: number;
  /** Attention heads. Default 4. */
  nhead: number;
  /** Encoder layers. Default 2. */
  numEncoderLayers: number;
  /** Decoder layers. Default 2. */
  numDecoderLayers: number;
  /** Feed-forward width. Default 128. */
  dimFeedforward: number;
  /** Dropout in every layer and on the embeddings. Default 0.1. */
  dropout: number;
  /** Longest source or target sequence (positions). Default 64. */
  maxLength: number;
  /** 'sinusoidal' (fixed, the paper's) or 'learned' (an embedding per position). Default 'sinusoidal'. */
  positional: 'sinusoidal' | 'learned';
  /** Padding id of both vocabularies. Default 0. */
  padId: number;
}

export const TRANSFORMER_SEQ2SEQ_DEFAULTS: Readonly<Omit<TransformerSeq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>> = Object.freeze({
  dModel: 64,
  nhead: 4,
  numEncoderLayers: 2,
  numDecoderLayers: 2,
  dimFeedforward: 128,
  dropout: 0.1,
  maxLength: 64,
  positional: 'sinusoidal',
  padId: 0,
});

export function resolveTransformerSeq2SeqConfig(config: Partial<TransformerSeq2SeqConfig> & Pick<TransformerSeq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>): TransformerSeq2SeqConfig {
  const cfg: TransformerSeq2SeqConfig = { ...TRANSFORMER_SEQ2SEQ_DEFAULTS, ...config };
  const where = 'TransformerSeq2Seq';
  for (const f of ['srcVocabSize', 'tgtVocabSize', 'dModel', 'nhead', 'numEncoderLayers', 'numDecoderLayers', 'dimFeedforward', 'maxLength'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`${where}: ${f} must be a positive integer, got ${cfg[f]}`);
  if (cfg.dModel % cfg.nhead !== 0) throw new Error(`${where}: dModel (${cfg.dModel}) must be divisible by nhead (${cfg.nhead})`);
  if (cfg.positional !== 'sinusoidal' && cfg.positional !== 'learned') throw new Error(`${where}: positional must be 'sinusoidal' or 'learned', got '${cfg.positional}'`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  return cfg;
}
