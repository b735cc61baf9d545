/**
 * Short learning tests of every LM / word-vector family on a slice of the real Bible corpus
 * (vocabulary 500; 100k train tokens; 3,000 valid/test tokens): each LM, run for a few dozen
 * steps, must bring its test perplexity from ≈ 500 (uniform, at init) under 0.4 · 500 = 200 (the
 * add-one unigram of the slice scores ≈ 95; the bigram must beat 0.6 × that), and the word-vector
 * losses must fall (negative sampling and C&W by 5 %).
 */
import { init } from '@neuralzoo/core';
import { loadBibleLm, loadWordNetSynsets } from './bible-node';
import type { LmCorpus } from './corpus';
import { perplexity } from './perplexity';
import { trainBigramLm, BIGRAM_KN_BIBLE_RECIPE } from '../models/ngram/recipe';
import { NNLM_BIBLE_RECIPE, trainNnlm } from '../models/nnlm/recipe';
import { LBL_BIBLE_RECIPE, trainLbl } from '../models/lbl/recipe';
import { RNNLM_BIBLE_RECIPE, trainRnnlm } from '../models/rnnlm/recipe';
import { LSTM_LM_BIBLE_RECIPE, trainLstmLm } from '../models/lstm-lm/recipe';
import { GPT_BIBLE_RECIPE, trainGptLm } from '../models/gpt/recipe';
import { ELMO_BIBLE_RECIPE, trainElmo } from '../models/elmo/recipe';
import { trainWord2Vec, WORD2VEC_BIBLE_RECIPES } from '../models/word2vec/recipe';
import { CW_BIBLE_RECIPE, trainCw } from '../models/cw/recipe';

jest.setTimeout(120_000);

let corpus: LmCorpus;
let unigram: number;

beforeAll(async () => {
  await init({ backend: 'wasm' });
  const full = loadBibleLm({ vocabSize: 500 });
  corpus = { ...full, train: full.train.subarray(0, 100_000), valid: full.valid.subarray(0, 3000), test: full.test.subarray(0, 3000) };
  const counts = new Float64Array(500);
  for (const id of corpus.train) counts[id]++;
  let nll = 0;
  for (const id of corpus.test) nll -= Math.log((counts[id] + 1) / (corpus.train.length + 500));
  unigram = perplexity(nll, corpus.test.length);
});

describe('LM families learn the Bible (slice)', () => {
  it('Kneser-Ney bigram beats the unigram', () => {
    const { result } = trainBigramLm(corpus, BIGRAM_KN_BIBLE_RECIPE);
    expect(result.testPerplexity).toBeLessThan(0.6 * unigram);
  });

  it.each([
    ['NNLM', () => trainNnlm(corpus, { ...NNLM_BIBLE_RECIPE, steps: 120, batchSize: 64, config: { context: 3, embeddingDim: 32, hiddenSize: 64 } })],
    ['LBL', () => trainLbl(corpus, { ...LBL_BIBLE_RECIPE, steps: 120, batchSize: 64, config: { context: 3, embeddingDim: 32 } })],
    ['RNNLM', () => trainRnnlm(corpus, { ...RNNLM_BIBLE_RECIPE, steps: 60, batchSize: 8, seqLen: 20, config: { embeddingDim: 32, hiddenSize: 48 } })],
    ['LSTM LM', () => trainLstmLm(corpus, { ...LSTM_LM_BIBLE_RECIPE, steps: 60, batchSize: 8, seqLen: 20, config: { embeddingDim: 48, hiddenSize: 48 } })],
    ['GPT', () => trainGptLm(corpus, { ...GPT_BIBLE_RECIPE, steps: 80, batchSize: 8, seqLen: 32, optimizer: { ...GPT_BIBLE_RECIPE.optimizer, warmupSteps: 10 }, config: { nEmbd: 32, nLayer: 1, nHead: 2, dropout: 0 } })],
    ['ELMo biLM', () => trainElmo(corpus, { ...ELMO_BIBLE_RECIPE, steps: 25, batchSize: 8, evalTokens: 1000, config: { dim: 32, numLayers: 2, maxChars: 12, charDim: 8, filters: [[1, 16], [2, 16], [3, 16]] } })],
  ])('%s learns: test perplexity from ≈ 500 to under 200 in a few dozen steps', (_name, run) => {
    const { model, result } = run();
    expect(result.testPerplexity).toBeLessThan(0.4 * 500);
    expect(Number.isFinite(result.trainLoss)).toBe(true);
    model.dispose();
  });

  it('word2vec (4 variants) and C&W lower their training losses', () => {
    const synsets = loadWordNetSynsets();
    for (const key of ['sgns', 'sghs', 'cbowns', 'cbowhs'] as const) {
      const losses: number[] = [];
      const { model, result } = trainWord2Vec(corpus, synsets, { ...WORD2VEC_BIBLE_RECIPES[key], steps: 150, batchSize: 128 }, (_i, l) => losses.push(l));
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      // Negative sampling falls fast; the hierarchical softmax (zero node vectors at init) slowly.
      const bar = key.endsWith('ns') ? 0.95 : 0.99;
      expect([key, mean(losses.slice(-15)) < bar * mean(losses.slice(0, 5))]).toEqual([key, true]);
      expect(result.pairs).toBeGreaterThan(50);
      model.dispose();
    }
    const losses: number[] = [];
    // Uniform corruption here: with the recipe's unigram corruption the loss stays near 1 for the
    // first few hundred steps (f is linear until hard-tanh units saturate), too long for this test.
    const { model } = trainCw(corpus, synsets, { ...CW_BIBLE_RECIPE, steps: 60, batchSize: 64, corruptionPower: 0, lrDecay: 'none' }, (_i, l) => losses.push(l));
    expect(losses.slice(-10).reduce((a, b) => a + b, 0) / 10).toBeLessThan(0.95 * losses[0]);
    model.dispose();
  });
});
