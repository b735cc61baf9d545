/** Recurrent encoder–decoder hyperparameters (Sutskever et al., 2014; Bahdanau et al., 2015; Luong et al., 2015). */
export interface Seq2SeqConfig {
  /** Source vocabulary size, special tokens included (id 0 = padding). Required. */
  srcVocabSize: number;
  /** Target vocabulary size, special tokens included (0 = padding). Required. */
  tgtVocabSize: number;
  /** Width of the token embeddings (both sides). Default 64. */
  embedDim: number;
  /** Hidden size of the encoder (per direction) and of the decoder. Default 128. */
  hiddenSize: number;
  /** Recurrent cell of encoder and decoder: 'gru', 'lstm' or Elman 'rnn'. Default 'gru'. */
  cell: 'gru' | 'lstm' | 'rnn';
  /**
   * Decoder attention over the encoder outputs: 'bahdanau' (additive), 'luong' (general score)
   * or 'none' (the encoder's final state is all the decoder sees: the baseline). Default 'bahdanau'.
   */
  attention: 'bahdanau' | 'luong' | 'none';
  /** Stacked encoder layers. Default 1. */
  numLayers: number;
  /** Bidirectional encoder (its final states are bridged to the decoder's size). Default true. */
  bidirectional: boolean;
  /** Dropout on embeddings and on the attentional output, in training mode. Default 0.1. */
  dropout: number;
  /** Padding id of both vocabularies (masked in attention, ignored in the loss). Default 0. */
  padId: number;
}

export const SEQ2SEQ_DEFAULTS: Readonly<Omit<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>> = Object.freeze({
  embedDim: 64,
  hiddenSize: 128,
  cell: 'gru',
  attention: 'bahdanau',
  numLayers: 1,
  bidirectional: true,
  dropout: 0.1,
  padId: 0,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveSeq2SeqConfig(config: Partial<Seq2SeqConfig> & Pick<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>): Seq2SeqConfig {
  const cfg: Seq2SeqConfig = { ...SEQ2SEQ_DEFAULTS, ...config };
  const where = 'Seq2Seq';
  for (const f of ['srcVocabSize', 'tgtVocabSize', 'embedDim', 'hiddenSize', 'numLayers'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`${where}: ${f} must be a positive integer, got ${cfg[f]}`);
  if (!['gru', 'lstm', 'rnn'].includes(cfg.cell)) throw new Error(`${where}: cell must be 'gru', 'lstm' or 'rnn', got '${cfg.cell}'`);
  if (!['bahdanau', 'luong', 'none'].includes(cfg.attention)) throw new Error(`${where}: attention must be 'bahdanau', 'luong' or 'none', got '${cfg.attention}'`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`${where}: dropout must be in [0, 1), got ${cfg.dropout}`);
  if (!Number.isInteger(cfg.padId) || cfg.padId < 0 || cfg.padId >= Math.min(cfg.srcVocabSize, cfg.tgtVocabSize))
    throw new Error(`${where}: padId (${cfg.padId}) must be a token id of both vocabularies`);
  return cfg;
}
