/** BERT hyperparameters (Devlin et al., 2019; Hugging Face `BertConfig` names in camelCase), all plain data. */
export interface BertConfig {
  /** Word-piece vocabulary size (rows of the word embedding, tied to the MLM decoder). Default 5000. */
  vocabSize: number;
  /** Width of every hidden state (HF hidden_size); must be divisible by numAttentionHeads. Default 128. */
  hiddenSize: number;
  /** Number of encoder layers. Default 2. */
  numHiddenLayers: number;
  /** Attention heads per layer. Default 2. */
  numAttentionHeads: number;
  /** Width of the feed-forward layer inside each encoder layer. Default 512 (4 × hiddenSize). */
  intermediateSize: number;
  /** Feed-forward activation: 'gelu' (exact, erf; BERT's), 'gelu_new' (tanh approximation) or 'relu'. Default 'gelu'. */
  hiddenAct: 'gelu' | 'gelu_new' | 'relu';
  /** Dropout on embeddings, residual branches and the classifier input. Default 0.1. */
  hiddenDropoutProb: number;
  /** Dropout on attention probabilities. Default 0.1. */
  attentionProbsDropoutProb: number;
  /** Longest input in tokens (rows of the learned position embedding). Default 128. */
  maxPositionEmbeddings: number;
  /** Number of segment (token type) ids: 2 for sentence A / B. Default 2. */
  typeVocabSize: number;
  /** Standard deviation of the normal init of weights and embeddings. Default 0.02. */
  initializerRange: number;
  /** LayerNorm epsilon. Default 1e-12 (BERT's). */
  layerNormEps: number;
  /** Id of the padding token (its word-embedding row starts at zero). Default 0 (`<pad>`). */
  padTokenId: number;
  /** Output classes of the sequence / token classification heads. Default 2. */
  numLabels: number;
}

export const BERT_DEFAULTS: Readonly<BertConfig> = Object.freeze({
  vocabSize: 5000,
  hiddenSize: 128,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 512,
  hiddenAct: 'gelu',
  hiddenDropoutProb: 0.1,
  attentionProbsDropoutProb: 0.1,
  maxPositionEmbeddings: 128,
  typeVocabSize: 2,
  initializerRange: 0.02,
  layerNormEps: 1e-12,
  padTokenId: 0,
  numLabels: 2,
});

/** Defaults overridden by `config` (a new object; `config` is not touched), validated. */
export function resolveBertConfig(config: Partial<BertConfig> = {}): BertConfig {
  const cfg: BertConfig = { ...BERT_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'hiddenSize', 'numHiddenLayers', 'numAttentionHeads', 'intermediateSize', 'maxPositionEmbeddings', 'typeVocabSize', 'numLabels'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`BERT: ${f} must be a positive integer, got ${cfg[f]}`);
  if (cfg.hiddenSize % cfg.numAttentionHeads !== 0)
    throw new Error(`BERT: hiddenSize (${cfg.hiddenSize}) must be divisible by numAttentionHeads (${cfg.numAttentionHeads})`);
  if (!['gelu', 'gelu_new', 'relu'].includes(cfg.hiddenAct)) throw new Error(`BERT: hiddenAct must be 'gelu', 'gelu_new' or 'relu', got '${cfg.hiddenAct}'`);
  for (const f of ['hiddenDropoutProb', 'attentionProbsDropoutProb'] as const)
    if (!(cfg[f] >= 0 && cfg[f] < 1)) throw new Error(`BERT: ${f} must be in [0, 1), got ${cfg[f]}`);
  if (!(cfg.initializerRange > 0)) throw new Error(`BERT: initializerRange must be > 0, got ${cfg.initializerRange}`);
  if (!(cfg.layerNormEps > 0)) throw new Error(`BERT: layerNormEps must be > 0, got ${cfg.layerNormEps}`);
  if (!Number.isInteger(cfg.padTokenId) || cfg.padTokenId < 0 || cfg.padTokenId >= cfg.vocabSize)
    throw new Error(`BERT: padTokenId must be an integer in [0, vocabSize = ${cfg.vocabSize}), got ${cfg.padTokenId}`);
  return cfg;
}
