/**
 * The shape of every LM / word-vector recipe of this package, and the shared step that trains a
 * model on the Bible corpus and reports its test perplexity.
 */
import type { Recipe } from '@neuralzoo/core';

/** A language-model recipe on the fixed Bible corpus (`BIBLE_LM_SPLIT`). */
export interface LmRecipe<C = unknown> extends Recipe {
  dataset: 'bible-web';
  metric: 'perplexity';
  /** Vocabulary size, specials included (train words by frequency). */
  vocabSize: number;
  /** Optimizer steps (the corpus is sampled, not swept: steps · batchSize · seqLen tokens are seen). */
  steps: number;
  /** Tokens per sequence (window, BPTT length or block size). */
  seqLen: number;
  /** Model config used by the recipe. */
  config: Partial<C>;
  /** Learning-rate multipliers by parameter-name prefix (recurrent recipes), e.g. `{ 'rnn.': 0.5 }`. Default none. */
  lrScale?: Readonly<Record<string, number>>;
  /** Global gradient-norm clip. */
  clipNorm?: number;
  /** RNG seed. */
  seed: number;
}

/** What a recipe run returns. */
export interface LmRunResult {
  /** Test perplexity (the metric of the README table). */
  testPerplexity: number;
  validPerplexity: number;
  /** Mean training loss (nats/token) of the last 10 % of steps. */
  trainLoss: number;
  /** Tokens the model was trained on (steps · batch · seqLen). */
  trainTokens: number;
  seconds: number;
}
