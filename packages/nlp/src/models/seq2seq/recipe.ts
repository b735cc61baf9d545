import type { Recipe } from '@neuralzoo/core';
import type { Seq2SeqConfig } from './config';

/** A sequence-pair recipe: data set, subset, model config and training budget, all plain data. */
export interface Seq2SeqRecipe extends Recipe {
  optimizer: { name: 'Adam'; lr: number };
  /** Linear learning-rate warm-up steps. Default 0. */
  warmupSteps?: number;
  /** Training pairs used (a subset on CPU), taken from the start of the fixed train split. */
  trainSize: number;
  /** Wall-time budget of the run in seconds (training stops after it). */
  maxSeconds: number;
  /** Largest vocabulary per side, specials included. Default unlimited. */
  maxVocab?: number;
  /** Translation: verses of at most this many tokens on both sides. */
  maxWords?: number;
  model: Partial<Seq2SeqConfig>;
  seed: number;
}

/**
 * G2P on CMUdict (stress removed: 39 phonemes), attention GRU. Reaches `target` phoneme error
 * rate (lower is better) on the fixed test split; see the nlp README for the measured run.
 */
export const SEQ2SEQ_G2P_RECIPE: Readonly<Seq2SeqRecipe> = Object.freeze({
  dataset: 'cmudict',
  epochs: 10,
  batchSize: 64,
  optimizer: { name: 'Adam', lr: 5e-3 },
  trainSize: 40000,
  maxSeconds: 2400,
  model: { cell: 'gru', attention: 'luong', embedDim: 32, hiddenSize: 64, dropout: 0.1 },
  seed: 0,
  metric: 'phoneme_error_rate',
  target: 0.25,
} as const);

/** English→Spanish verses of the aligned Bibles (short verses), attention GRU; BLEU sacreBLEU-style. */
export const SEQ2SEQ_TRANSLATION_RECIPE: Readonly<Seq2SeqRecipe> = Object.freeze({
  dataset: 'parallel-bible',
  epochs: 10,
  batchSize: 64,
  optimizer: { name: 'Adam', lr: 3e-3 },
  trainSize: 20000,
  maxSeconds: 2100,
  maxVocab: 1200,
  /** Verses of at most this many tokens on both sides (CPU budget). */
  maxWords: 16,
  model: { cell: 'gru', attention: 'luong', embedDim: 48, hiddenSize: 64, dropout: 0.1 },
  seed: 0,
  metric: 'bleu',
} as const);
