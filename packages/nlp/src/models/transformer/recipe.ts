import type { Recipe } from '@neuralzoo/core';
import type { Seq2SeqRecipe } from '../seq2seq/recipe';
import type { TransformerSeq2SeqConfig } from './config';

/** G2P on CMUdict (stress removed), small Transformer; see the nlp README for the measured run. */
export const TRANSFORMER_G2P_RECIPE: Readonly<Recipe & Omit<Seq2SeqRecipe, 'model'> & { model: Partial<TransformerSeq2SeqConfig> }> = Object.freeze({
  dataset: 'cmudict',
  epochs: 10,
  batchSize: 64,
  optimizer: { name: 'Adam', lr: 2e-3 },
  warmupSteps: 200,
  trainSize: 40000,
  maxSeconds: 1100,
  model: { dModel: 64, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 128, dropout: 0.1, maxLength: 48 },
  seed: 0,
  metric: 'phoneme_error_rate',
  target: 0.25,
} as const);
