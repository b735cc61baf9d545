import type { Recipe } from '@neuralzoo/core';

/**
 * Text classification recipe: tokenizer, vocabulary and training hyperparameters as plain data,
 * run by `node packages/nlp/scripts/train-text.js <model> <dataset>`.
 */
export interface TextClassificationRecipe extends Recipe {
  dataset: 'sentiment' | 'spam_assassin';
  optimizer: { name: 'Adam'; lr: number; weightDecay?: number };
  /** WordTokenizer options (lower-cased words and punctuation; `stem` with natural). */
  tokenizer: { stem: 'none' | 'porter' | 'lancaster' };
  /** Vocabulary: tokens seen at least `minFreq` times in the training texts, at most `maxSize`. */
  vocab: { minFreq: number; maxSize: number };
  /** Longest input in tokens (longer texts are cut on the right). */
  maxLength: number;
  /** Model config overrides (vocabSize comes from the vocabulary). */
  model: Record<string, unknown>;
  /** Emails only: put the message's Subject line before its body (other headers are never used). Default false. */
  subject?: boolean;
  /** Gradient norm clipping. */
  clipGradNorm: number;
  seed: number;
}

/**
 * Kim's CNN-rand on the UCI sentiment sentences (amazon + imdb + yelp, 3,000): train on the fixed
 * 80% train split, report accuracy on the other 20% (val + test splits of `loadSentiment`). With
 * 2,400 short sentences and random embeddings, Porter-stemmed words seen twice (1,745 types),
 * 64-d embeddings and widths 1–3 (unigram to trigram detectors) generalise better than Kim's
 * 300-d / widths 3–5 (71% with those).
 */
export const TEXT_CNN_SENTIMENT_RECIPE: Readonly<TextClassificationRecipe> = Object.freeze({
  dataset: 'sentiment',
  epochs: 10,
  batchSize: 32,
  optimizer: { name: 'Adam', lr: 1e-3 },
  tokenizer: { stem: 'porter' },
  vocab: { minFreq: 2, maxSize: 8000 },
  maxLength: 64,
  model: { embeddingDim: 64, filterSizes: [1, 2, 3], numFilters: 64, dropout: 0.5 },
  clipGradNorm: 5,
  seed: 0,
  metric: 'accuracy',
  target: 0.8,
} as const);
