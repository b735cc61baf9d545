import type { LmCorpus } from '../../lm/corpus';
import { perplexity } from '../../lm/perplexity';
import type { LmRecipe, LmRunResult } from '../../lm/recipe';
import type { NgramConfig } from './config';
import { KneserNeyBigram } from './ngram';

/** Interpolated Kneser-Ney bigram on the whole Bible train split (counting, no optimizer). */
export const BIGRAM_KN_BIBLE_RECIPE: LmRecipe<NgramConfig> = Object.freeze({
  dataset: 'bible-web',
  metric: 'perplexity',
  vocabSize: 3000,
  steps: 0,
  batchSize: 0,
  seqLen: 2,
  epochs: 1,
  optimizer: { name: 'none' },
  seed: 0,
  config: { discount: null },
}) as LmRecipe<NgramConfig>;

/** Counts the train split and scores valid and test. */
export function trainBigramLm(corpus: LmCorpus, recipe: LmRecipe<NgramConfig> = BIGRAM_KN_BIBLE_RECIPE): { model: KneserNeyBigram; result: LmRunResult } {
  const start = Date.now();
  const model = new KneserNeyBigram({ ...recipe.config, vocabSize: corpus.vocab.size }).fit(corpus.train);
  const v = model.nll(corpus.valid);
  const t = model.nll(corpus.test);
  return {
    model,
    result: { testPerplexity: perplexity(t.nll, t.tokens), validPerplexity: perplexity(v.nll, v.tokens), trainLoss: NaN, trainTokens: corpus.train.length, seconds: (Date.now() - start) / 1000 },
  };
}
