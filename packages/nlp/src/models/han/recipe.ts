import type { TextClassificationRecipe } from '../textcnn/recipe';

/** HAN recipe: a text classification recipe plus the document shape. */
export interface HanRecipe extends TextClassificationRecipe {
  /** Sentences kept per document (the first ones) and words kept per sentence. */
  document: { maxSentences: number; maxWords: number };
}

/**
 * HAN on SpamAssassin message bodies (train split 80%, accuracy on the 10% test split): bodies
 * split into sentences (`splitSentences`), words stemmed with natural's Porter stemmer, the first
 * 10 sentences of at most 20 words each.
 */
export const HAN_SPAM_RECIPE: Readonly<HanRecipe> = Object.freeze({
  dataset: 'spam_assassin',
  epochs: 3,
  batchSize: 64,
  optimizer: { name: 'Adam', lr: 3e-3 },
  tokenizer: { stem: 'porter' },
  vocab: { minFreq: 2, maxSize: 20000 },
  maxLength: 10 * 20,
  document: { maxSentences: 10, maxWords: 20 },
  model: { embeddingDim: 64, wordHiddenSize: 32, sentenceHiddenSize: 32, attentionDim: 64, dropout: 0.3 },
  clipGradNorm: 5,
  seed: 0,
  metric: 'accuracy',
  target: 0.97,
} as const);
