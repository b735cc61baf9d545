/**
 * Short learning test of BERT pretraining on a slice of the real Bible (WEB): a 1-layer BERT with
 * a 400-piece WordPiece vocabulary trained by MLM + NSP for 150 steps must bring its held-out MLM
 * loss well under the loss of the same model at initialisation (≈ ln 400 ≈ 6.0) and predict masked
 * pieces far above chance.
 */
import { init, manualSeed } from '@neuralzoo/core';
import { loadBibleSplits } from '../../lm/bible-node';
import { WordPieceTokenizer } from '../../text/wordpiece';
import { BertForPreTraining } from './bert';
import { BERT_BIBLE_RECIPE, BertPretrainRecipe, evaluatePretraining, pretrainBert } from './recipe';

jest.setTimeout(120_000);

it('MLM + NSP pretraining lowers the held-out MLM loss on a Bible slice', async () => {
  await init({ backend: 'wasm' });
  const splits = loadBibleSplits();
  const tok = WordPieceTokenizer.train(
    splits.train.slice(0, 3000).map((v) => v.text),
    { vocabSize: 400 },
  );
  const enc = (vs: { text: string }[]) => vs.map((v) => tok.encode(v.text)).filter((x) => x.length);
  const train = enc(splits.train.slice(0, 3000));
  const valid = enc(splits.valid.slice(0, 400));
  const recipe: BertPretrainRecipe = {
    ...BERT_BIBLE_RECIPE,
    steps: 150,
    maxSeconds: 0,
    batchSize: 16,
    seqLen: 32,
    optimizer: { ...BERT_BIBLE_RECIPE.optimizer, lr: 2e-3, warmupSteps: 10 },
    config: { hiddenSize: 32, numHiddenLayers: 1, numAttentionHeads: 2, intermediateSize: 64, maxPositionEmbeddings: 32, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 },
  };
  manualSeed(recipe.seed);
  const fresh = new BertForPreTraining({ ...recipe.config, vocabSize: tok.vocab.size });
  const before = evaluatePretraining(fresh, valid, tok.vocab, recipe, 5);
  fresh.dispose();
  const { model, result } = pretrainBert(train, valid, tok.vocab, recipe);
  expect(result.steps).toBe(150);
  expect(before.mlmLoss).toBeGreaterThan(5.5); // ≈ ln 400 at init
  expect(result.mlmLoss).toBeLessThan(0.8 * before.mlmLoss);
  expect(result.lastMlmLoss).toBeLessThan(result.firstMlmLoss - 0.5);
  expect(result.mlmAccuracy).toBeGreaterThan(0.1); // chance: 1 / 393 pieces
  model.dispose();
});
