import { Generator, manualSeed, optim, tf } from '@neuralzoo/core';
import type { LmCorpus } from '../../lm/corpus';
import { trainSteps } from '../../lm/train';
import { keepProbabilities, WordVecRecipe, WordVecRunResult, wordCounts, wordVecOptimizer, wordVecResult } from '../../lm/wordvec-recipe';
import type { Word2VecConfig } from './config';
import { Word2Vec } from './word2vec';

const base = {
  dataset: 'bible-web',
  metric: 'synonym-auc',
  vocabSize: 5000,
  steps: 500,
  batchSize: 512,
  epochs: 1,
  // word2vec's plain SGD with the loss summed over the batch (per-pair updates, batched); Adam
  // drifts all vectors along one direction here (random-pair cosine 0.4, AUC 0.52 after 800 steps),
  // and batches of 1,024 pairs collapse them (random-pair cosine 0.94).
  optimizer: { name: 'SGD', lr: 0.025 },
  subsample: 1e-3,
  seed: 0,
  target: 0.7,
} as const;

/**
 * word2vec recipes on the Bible: one per architecture × objective. All four learn a bias per output
 * word or inner node (`outputBias`); for negative sampling: without it every word vector drifted onto one shared
 * direction (skip-gram: random-pair cosine 0.85–0.9, AUC 0.44–0.62, and so did a per-pair,
 * unbatched SGD written to check the batching), because the scores' offsets (−log k, and
 * 0.25·log f(c) from the unigram^0.75 noise) can only be fitted by such a direction.
 */
export const WORD2VEC_BIBLE_RECIPES: Readonly<Record<'sgns' | 'sghs' | 'cbowns' | 'cbowhs', WordVecRecipe<Word2VecConfig>>> = Object.freeze({
  sgns: { ...base, steps: 10000, lrDecay: 'linear', config: { architecture: 'skipgram', objective: 'negative', embeddingDim: 64, window: 3, negatives: 5, outputBias: true } },
  sghs: { ...base, steps: 20000, lrDecay: 'linear', config: { architecture: 'skipgram', objective: 'hierarchical', embeddingDim: 64, window: 3, outputBias: true } },
  cbowns: { ...base, steps: 12000, lrDecay: 'linear', config: { architecture: 'cbow', objective: 'negative', embeddingDim: 64, window: 3, negatives: 10, outputBias: true } },
  cbowhs: { ...base, steps: 12000, lrDecay: 'linear', config: { architecture: 'cbow', objective: 'hierarchical', embeddingDim: 64, window: 3, outputBias: true } },
});

/**
 * One batch of training examples from `stream`: skip-gram (centre, context word at a random
 * distance ≤ window) or CBOW (2·window context words, centre) pairs at random positions, frequent
 * centre words subsampled by `keep`.
 */
export function word2vecBatch(stream: Int32Array, cfg: Pick<Word2VecConfig, 'architecture' | 'window'>, batch: number, keep: Float64Array, gen: Generator): { inputs: Int32Array; targets: Int32Array; contextSize: number } {
  const w = cfg.window;
  const C = cfg.architecture === 'cbow' ? 2 * w : 1;
  const inputs = new Int32Array(batch * C);
  const targets = new Int32Array(batch);
  for (let b = 0; b < batch; ) {
    const p = w + gen.randint(stream.length - 2 * w);
    if (gen.random() >= keep[stream[p]]) continue;
    if (C === 1) {
      const off = 1 + gen.randint(w);
      inputs[b] = stream[p];
      targets[b] = stream[gen.random() < 0.5 ? p - off : p + off];
    } else {
      let k = 0;
      for (let o = -w; o <= w; o++) if (o !== 0) inputs[b * C + k++] = stream[p + o];
      targets[b] = stream[p];
    }
    b++;
  }
  return { inputs, targets, contextSize: C };
}

/** Trains word2vec on the train split; scores WordNet synonym pairs (`synsets`) against random pairs. */
export function trainWord2Vec(
  corpus: LmCorpus,
  synsets: readonly (readonly string[])[],
  recipe: WordVecRecipe<Word2VecConfig> = WORD2VEC_BIBLE_RECIPES.sgns,
  onStep?: (step: number, loss: number) => void,
): { model: Word2Vec; result: WordVecRunResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const gen = new Generator(recipe.seed + 1);
  const V = corpus.vocab.size;
  const model = new Word2Vec({ ...recipe.config, vocabSize: V });
  const counts = wordCounts(corpus.train, V);
  model.setCounts(counts);
  const keep = keepProbabilities(counts, recipe.subsample);
  const trainLoss = trainSteps({
    model,
    optimizer: wordVecOptimizer(new optim.SGD(model.parameters(), { lr: Number(recipe.optimizer.lr) }), recipe),
    steps: recipe.steps,
    onStep,
    loss: () => {
      const { inputs, targets, contextSize } = word2vecBatch(corpus.train, model.config, recipe.batchSize, keep, gen);
      const x = contextSize === 1 ? tf.tensor1d(inputs, 'int32') : tf.tensor2d(inputs, [recipe.batchSize, contextSize], 'int32');
      return tf.mul(model.loss(x, tf.tensor1d(targets, 'int32'), gen), recipe.batchSize); // summed over pairs
    },
  });
  return { model, result: wordVecResult(model.vectors(), model.config.embeddingDim, corpus, synsets, trainLoss, start) };
}
