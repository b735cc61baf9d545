/**
 * BERT recipes: MLM + NSP pretraining on the English Bible (WEB verses, WordPiece vocabulary
 * trained on the train split) and fine-tuning on the UCI sentiment sentences. Browser-safe: the
 * functions take texts as data; `scripts/train-bert.js` reads them from disk and runs both.
 */
import { backward, F, Generator, manualSeed, optim, tf } from '@neuralzoo/core';
import type { Recipe } from '@neuralzoo/core';
import type { WordPieceTokenizer } from '../../text/wordpiece';
import type { Vocab } from '../../text/vocab';
import { BertForPreTraining, BertForSequenceClassification } from './bert';
import type { BertConfig } from './config';

/** Pretraining recipe: data, masking, model size, optimizer and a step / wall-time budget. */
export interface BertPretrainRecipe extends Recipe {
  /** WordPiece vocabulary size (specials included), trained on the train verses. */
  vocabSize: number;
  /** WordPiece merge score (see `WordPieceTrainOptions.score`). */
  wordPieceScore: 'likelihood' | 'frequency';
  /** Tokens per example: [CLS] A [SEP] B [SEP] (longest segment cut first). */
  seqLen: number;
  /** At most this many optimizer steps. */
  steps: number;
  /** Stop earlier once this many seconds of training have passed (0: no limit). */
  maxSeconds: number;
  /** Fraction of real tokens chosen for MLM; of those 80% -> [MASK], 10% -> random, 10% kept. */
  maskProb: number;
  optimizer: { name: 'AdamW'; lr: number; weightDecay: number; warmupSteps: number };
  clipNorm: number;
  seed: number;
  /** Held-out MLM / NSP evaluation (5 seeded batches) every this many steps (0: only at the end). */
  evalEvery: number;
  config: Partial<BertConfig>;
}

/**
 * A small BERT (2 layers, hidden 128, 2 heads) on Bible verse pairs: 64-token examples, batch 32,
 * 4,000 word pieces merged by frequency (likelihood merges leave 'the' as 'th ##e' at this size),
 * 20% of real pieces masked, no dropout (a few passes over the verses: underfitting, not
 * overfitting), AdamW 1e-3 with 150 warm-up steps and linear decay, 3,000 steps (stopped after
 * 45 minutes at most) on one thread; held-out MLM / NSP measured every `evalEvery` steps.
 */
export const BERT_BIBLE_RECIPE: Readonly<BertPretrainRecipe> = Object.freeze({
  dataset: 'bible-web',
  metric: 'mlm_accuracy',
  epochs: 1,
  batchSize: 32,
  vocabSize: 4000,
  wordPieceScore: 'frequency',
  seqLen: 64,
  steps: 3000,
  maxSeconds: 2700,
  maskProb: 0.2,
  optimizer: { name: 'AdamW', lr: 1e-3, weightDecay: 0.01, warmupSteps: 150 },
  clipNorm: 1,
  seed: 0,
  evalEvery: 500,
  config: { hiddenSize: 128, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 512, maxPositionEmbeddings: 64, hiddenDropoutProb: 0, attentionProbsDropoutProb: 0 },
}) as Readonly<BertPretrainRecipe>;

/**
 * Fine-tuning recipe, the same for the pretrained and the from-scratch model: each tries every
 * peak learning rate of `lrGrid` for `epochs` epochs and keeps the (learning rate, epoch) with the
 * best accuracy on `validSize` sentences carved (seeded) from the train split; the test split is
 * only reported, never used for a choice.
 */
export interface BertFinetuneRecipe extends Recipe {
  /** Peak learning rates tried (AdamW, linear warm-up then linear decay to 0 at the last epoch). */
  lrGrid: number[];
  optimizer: { name: 'AdamW'; weightDecay: number; warmupFraction: number };
  /** Sentences of the train split held out for the choice of learning rate and epoch. */
  validSize: number;
  /** Dropout of the trunk and before the classifier while fine-tuning (both inits). */
  dropout: number;
  /** Sentence vector: the tanh pooler on [CLS] (HF's; the pretrained init takes the NSP-trained pooler) or the mean of the last hidden states (no pooler). */
  pooling: 'cls' | 'mean';
  /** Longest input in word pieces, [CLS] and [SEP] included (longer sentences are cut). */
  maxLength: number;
  seed: number;
}

/**
 * UCI sentiment: [CLS] sentence [SEP] -> mean of the last hidden states -> 2 classes; 8 epochs of
 * batch 32, AdamW at 1e-4 / 3e-4 / 1e-3 (ties: the lower), epoch and rate chosen on 400 sentences
 * held out from the train split.
 */
export const BERT_SENTIMENT_RECIPE: Readonly<BertFinetuneRecipe> = Object.freeze({
  dataset: 'sentiment',
  metric: 'accuracy',
  epochs: 8,
  batchSize: 32,
  maxLength: 64,
  lrGrid: [1e-4, 3e-4, 1e-3],
  optimizer: { name: 'AdamW', weightDecay: 0.01, warmupFraction: 0.1 },
  validSize: 400,
  dropout: 0.1,
  pooling: 'mean',
  seed: 0,
}) as Readonly<BertFinetuneRecipe>;

/** One padded batch of pretraining examples (row-major typed arrays, shape [B, T]). */
export interface PretrainingBatch {
  ids: Int32Array;
  tokenTypeIds: Int32Array;
  attentionMask: Float32Array;
  /** Original id at the positions chosen for MLM, -100 elsewhere. */
  mlmLabels: Int32Array;
  /** 0 when segment B is the verse after A, 1 when it is a random verse (HF's convention). */
  nspLabels: Int32Array;
  shape: [number, number];
}

/**
 * BERT's masking of one sequence in place: each position with `candidate[i]` is chosen with
 * probability `p`; a chosen token becomes `maskId` (80%), a random id in [firstRandom, vocabSize)
 * (10%) or stays (10%); returns the labels (original id where chosen, -100 elsewhere). At least
 * one candidate is chosen when there is one.
 */
export function maskTokens(ids: Int32Array, candidate: ArrayLike<boolean>, p: number, maskId: number, firstRandom: number, vocabSize: number, gen: Generator): Int32Array {
  const labels = new Int32Array(ids.length).fill(-100);
  const cands: number[] = [];
  for (let i = 0; i < ids.length; i++) if (candidate[i]) cands.push(i);
  const chosen = cands.filter(() => gen.random() < p);
  if (!chosen.length && cands.length) chosen.push(cands[Math.floor(gen.random() * cands.length)]);
  for (const i of chosen) {
    labels[i] = ids[i];
    const r = gen.random();
    if (r < 0.8) ids[i] = maskId;
    else if (r < 0.9) ids[i] = firstRandom + Math.floor(gen.random() * (vocabSize - firstRandom));
  }
  return labels;
}

/**
 * Builds `batchSize` NSP examples from encoded verses (in reading order): A = verse i, B = verse
 * i + 1 (label 0) or a random other verse (label 1), each half of the time; [CLS] A [SEP] B [SEP]
 * with the longer segment cut first to fit `seqLen`, right-padded to the batch's longest, masked.
 */
export function pretrainingBatch(verses: readonly number[][], vocab: Vocab, batchSize: number, seqLen: number, maskProb: number, gen: Generator): PretrainingBatch {
  if (verses.length < 3) throw new Error(`pretrainingBatch: need at least 3 verses, got ${verses.length}`);
  if (seqLen < 5) throw new Error(`pretrainingBatch: seqLen must be >= 5, got ${seqLen}`);
  const rows: { ids: number[]; types: number[]; nsp: number }[] = [];
  for (let b = 0; b < batchSize; b++) {
    const i = Math.floor(gen.random() * (verses.length - 1));
    const isNext = gen.random() < 0.5;
    let j = i + 1;
    if (!isNext) while (j === i + 1 || j === i) j = Math.floor(gen.random() * verses.length);
    const a = verses[i].slice();
    const c = verses[j].slice();
    while (a.length + c.length > seqLen - 3) (a.length >= c.length ? a : c).pop();
    const ids = [vocab.clsId, ...a, vocab.sepId, ...c, vocab.sepId];
    rows.push({ ids, types: ids.map((_, k) => (k <= a.length + 1 ? 0 : 1)), nsp: isNext ? 0 : 1 });
  }
  const T = Math.max(...rows.map((r) => r.ids.length));
  const B = batchSize;
  const out: PretrainingBatch = {
    ids: new Int32Array(B * T),
    tokenTypeIds: new Int32Array(B * T),
    attentionMask: new Float32Array(B * T),
    mlmLabels: new Int32Array(B * T).fill(-100),
    nspLabels: Int32Array.from(rows.map((r) => r.nsp)),
    shape: [B, T],
  };
  rows.forEach((r, b) => {
    const ids = Int32Array.from(r.ids);
    const labels = maskTokens(ids, Array.from(ids, (id) => id >= vocab.numSpecial), maskProb, vocab.maskId, vocab.numSpecial, vocab.size, gen);
    out.ids.set(ids, b * T);
    out.mlmLabels.set(labels, b * T);
    out.tokenTypeIds.set(r.types, b * T);
    out.attentionMask.fill(1, b * T, b * T + ids.length);
  });
  return out;
}

/** Tensors of a batch (the caller disposes them). */
export function batchTensors(b: PretrainingBatch): { ids: tf.Tensor2D; tokenTypeIds: tf.Tensor2D; attentionMask: tf.Tensor2D; mlmLabels: tf.Tensor2D; nspLabels: tf.Tensor1D } {
  return {
    ids: tf.tensor2d(b.ids, b.shape, 'int32'),
    tokenTypeIds: tf.tensor2d(b.tokenTypeIds, b.shape, 'int32'),
    attentionMask: tf.tensor2d(b.attentionMask, b.shape),
    mlmLabels: tf.tensor2d(b.mlmLabels, b.shape, 'int32'),
    nspLabels: tf.tensor1d(b.nspLabels, 'int32'),
  };
}

/** MLM and NSP metrics of a pretrained model on held-out batches. */
export interface PretrainEval {
  mlmLoss: number;
  mlmAccuracy: number;
  nspAccuracy: number;
  /** Masked positions scored. */
  mlmTokens: number;
}

/** Evaluates MLM loss / accuracy (at the masked positions) and NSP accuracy on `numBatches` seeded batches of `verses`. */
export function evaluatePretraining(model: BertForPreTraining, verses: readonly number[][], vocab: Vocab, recipe: Pick<BertPretrainRecipe, 'batchSize' | 'seqLen' | 'maskProb'>, numBatches = 20, seed = 1): PretrainEval {
  const gen = new Generator(seed);
  const wasTraining = model.training;
  model.eval();
  let nll = 0;
  let correct = 0;
  let n = 0;
  let nspCorrect = 0;
  let nspN = 0;
  for (let k = 0; k < numBatches; k++) {
    const b = pretrainingBatch(verses, vocab, recipe.batchSize, recipe.seqLen, recipe.maskProb, gen);
    const t = batchTensors(b);
    const pos: number[] = [];
    const tgt: number[] = [];
    b.mlmLabels.forEach((l, i) => {
      if (l !== -100) {
        pos.push(i);
        tgt.push(l);
      }
    });
    const [lossSum, hits, nspHits] = tf.tidy(() => {
      const { lastHiddenState: h, poolerOutput } = model.bert.forward(t.ids, { tokenTypeIds: t.tokenTypeIds, attentionMask: t.attentionMask });
      const logits = model.mlmLogitsAt(h, tf.tensor1d(pos, 'int32')); // [N, V]
      const target = tf.tensor1d(tgt, 'int32');
      const ls = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), tf.oneHot(target, logits.shape[1])))).dataSync()[0];
      const h1 = tf.sum(tf.equal(tf.argMax(logits, 1), target).toInt()).dataSync()[0];
      const nsp = tf.sum(tf.equal(tf.argMax(model.cls.seq_relationship.forward(poolerOutput!), 1), t.nspLabels).toInt()).dataSync()[0];
      return [ls, h1, nsp];
    });
    tf.dispose(Object.values(t));
    nll += lossSum;
    correct += hits;
    n += pos.length;
    nspCorrect += nspHits;
    nspN += b.shape[0];
  }
  model.train(wasTraining);
  return { mlmLoss: nll / n, mlmAccuracy: correct / n, nspAccuracy: nspCorrect / nspN, mlmTokens: n };
}

/** Result of `pretrainBert`. */
export interface PretrainResult extends PretrainEval {
  steps: number;
  /** Held-out evaluation (5 batches) every `recipe.evalEvery` steps, with the step it was taken after. */
  curve: (PretrainEval & { step: number })[];
  /** Mean MLM loss of the first and last 100 steps (training batches, with the recipe's dropout). */
  firstMlmLoss: number;
  lastMlmLoss: number;
  seconds: number;
}

/** Linear warm-up over `warmup` steps, then linear decay to 0 at `total`. */
export function warmupLinear(step: number, warmup: number, total: number): number {
  return step < warmup ? (step + 1) / warmup : Math.max(0, (total - step) / Math.max(1, total - warmup));
}

/**
 * Pretrains a fresh BertForPreTraining with `recipe` on encoded train verses; evaluates on the
 * encoded valid verses. Stops at `recipe.steps` or after `recipe.maxSeconds` (the schedule is
 * laid out for `recipe.steps`; when time runs out first the lr has not fully decayed).
 */
export function pretrainBert(
  train: readonly number[][],
  valid: readonly number[][],
  vocab: Vocab,
  recipe: BertPretrainRecipe = BERT_BIBLE_RECIPE,
  onStep?: (step: number, mlm: number, nsp: number) => void,
  onEval?: (step: number, ev: PretrainEval) => void,
): { model: BertForPreTraining; result: PretrainResult } {
  const start = Date.now();
  manualSeed(recipe.seed);
  const gen = new Generator(recipe.seed);
  const model = new BertForPreTraining({ ...recipe.config, vocabSize: vocab.size, maxPositionEmbeddings: Math.max(recipe.seqLen, recipe.config.maxPositionEmbeddings ?? 0) });
  const { lr, weightDecay, warmupSteps } = recipe.optimizer;
  const opt = new optim.AdamW(model.parameters(), { lr, weightDecay });
  const params = model.parameters();
  const mlmLosses: number[] = [];
  const curve: (PretrainEval & { step: number })[] = [];
  model.train();
  let step = 0;
  for (; step < recipe.steps; step++) {
    if (recipe.maxSeconds > 0 && (Date.now() - start) / 1000 > recipe.maxSeconds) break;
    const t = batchTensors(pretrainingBatch(train, vocab, recipe.batchSize, recipe.seqLen, recipe.maskProb, gen));
    let mlm = 0;
    let nsp = 0;
    backward(() => {
      const r = model.pretrainingLoss(t.ids, { tokenTypeIds: t.tokenTypeIds, attentionMask: t.attentionMask }, t.mlmLabels, t.nspLabels);
      mlm = r.mlm.dataSync()[0];
      nsp = r.nsp.dataSync()[0];
      return r.loss;
    }, params);
    tf.dispose(Object.values(t));
    if (!Number.isFinite(mlm + nsp)) throw new Error(`pretrainBert: loss is ${mlm + nsp} at step ${step}`);
    optim.clipGradNorm(params, recipe.clipNorm);
    for (const g of opt.paramGroups) g.lr = lr * warmupLinear(step, warmupSteps, recipe.steps);
    opt.step();
    opt.zeroGrad();
    mlmLosses.push(mlm);
    onStep?.(step, mlm, nsp);
    if (recipe.evalEvery > 0 && (step + 1) % recipe.evalEvery === 0 && step + 1 < recipe.steps) {
      const ev = evaluatePretraining(model, valid, vocab, recipe, 5);
      curve.push({ step: step + 1, ...ev });
      onEval?.(step + 1, ev);
    }
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const ev = evaluatePretraining(model, valid, vocab, recipe);
  model.eval();
  return { model, result: { ...ev, steps: step, curve, firstMlmLoss: mean(mlmLosses.slice(0, 100)), lastMlmLoss: mean(mlmLosses.slice(-100)), seconds: (Date.now() - start) / 1000 } };
}

/** [CLS] pieces [SEP], cut to `maxLength`. */
export function encodeSentence(tokenizer: WordPieceTokenizer, text: string, maxLength: number): number[] {
  const v = tokenizer.vocab;
  return [v.clsId, ...tokenizer.encode(text).slice(0, maxLength - 2), v.sepId];
}

/** Pads encoded sentences to the longest: ids [B, T] int32 and attention mask [B, T]. */
export function padClassificationBatch(seqs: readonly number[][]): { ids: tf.Tensor2D; attentionMask: tf.Tensor2D } {
  const T = Math.max(...seqs.map((s) => s.length));
  const ids = new Int32Array(seqs.length * T);
  const mask = new Float32Array(seqs.length * T);
  seqs.forEach((s, b) => {
    ids.set(s, b * T);
    mask.fill(1, b * T, b * T + s.length);
  });
  return { ids: tf.tensor2d(ids, [seqs.length, T], 'int32'), attentionMask: tf.tensor2d(mask, [seqs.length, T]) };
}

/** Accuracy of a sequence classifier on encoded sentences. */
export function classificationAccuracy(model: BertForSequenceClassification, seqs: readonly number[][], labels: ArrayLike<number>, batchSize = 100): number {
  const wasTraining = model.training;
  model.eval();
  let correct = 0;
  // Batches of similar lengths (less padding; padding never changes the outputs of real tokens).
  const order = Array.from(seqs, (_, i) => i).sort((a, b) => seqs[a].length - seqs[b].length);
  for (let s = 0; s < seqs.length; s += batchSize) {
    const idx = order.slice(s, s + batchSize);
    const { ids, attentionMask } = padClassificationBatch(idx.map((i) => seqs[i]));
    const pred = tf.tidy(() => tf.argMax(model.forward(ids, { attentionMask }), 1).dataSync());
    pred.forEach((p, k) => (correct += p === labels[idx[k]] ? 1 : 0));
    tf.dispose([ids, attentionMask]);
  }
  model.train(wasTraining);
  return correct / seqs.length;
}

/**
 * A seeded split of `n` train examples into `validSize` held out for model selection and the rest
 * (both index lists sorted).
 */
export function carveValidation(n: number, validSize: number, seed: number): { train: number[]; valid: number[] } {
  if (!Number.isInteger(validSize) || validSize <= 0 || validSize >= n) throw new Error(`carveValidation: validSize must be an integer in [1, ${n - 1}], got ${validSize}`);
  const order = Array.from(new Generator(seed).permutation(n));
  const byIndex = (a: number, b: number) => a - b;
  return { valid: order.slice(0, validSize).sort(byIndex), train: order.slice(validSize).sort(byIndex) };
}

/** Encoded sentences and their labels. */
export interface ClassificationSet {
  seqs: number[][];
  labels: ArrayLike<number>;
}

/**
 * One epoch of seeded, length-bucketed batches over `seqs` (indices): shuffle, cut into pools of
 * 8 batches, sort each pool by length and cut it into batches, then shuffle the batch order. Each
 * example appears once; batches hold similar lengths, so padding (the cost) shrinks.
 */
export function bucketedBatches(seqs: readonly number[][], batchSize: number, gen: Generator, poolBatches = 8): number[][] {
  const order = Array.from(gen.permutation(seqs.length));
  const batches: number[][] = [];
  const pool = batchSize * poolBatches;
  for (let p = 0; p < order.length; p += pool) {
    const part = order.slice(p, p + pool).sort((a, b) => seqs[a].length - seqs[b].length);
    for (let s = 0; s < part.length; s += batchSize) batches.push(part.slice(s, s + batchSize));
  }
  return Array.from(gen.permutation(batches.length), (i) => batches[i]);
}

/** Result of `finetuneBertClassifier`. */
export interface FinetuneResult {
  /** Peak learning rate of this run. */
  lr: number;
  /** Validation and test accuracy after each epoch. */
  validPerEpoch: number[];
  testPerEpoch: number[];
  /** The epoch (1-based) with the best validation accuracy (the earliest on ties), and its accuracies. */
  bestEpoch: number;
  validAccuracy: number;
  testAccuracy: number;
  /** Mean training loss of the last epoch. */
  trainLoss: number;
  seconds: number;
}

/**
 * Fine-tunes `model` (pretrained or fresh) on encoded sentences with `recipe` at peak learning
 * rate `lr`: seeded length-bucketed batches (`bucketedBatches`), AdamW with linear warm-up / decay, cross entropy on the pooled [CLS]
 * logits. Measures validation and test accuracy after every epoch and reports the epoch with the
 * best validation accuracy (test is never used for a choice).
 */
export function finetuneBertClassifier(
  model: BertForSequenceClassification,
  train: ClassificationSet,
  valid: ClassificationSet,
  test: ClassificationSet,
  recipe: BertFinetuneRecipe,
  lr: number,
  onEpoch?: (epoch: number, trainLoss: number, validAccuracy: number, testAccuracy: number) => void,
): FinetuneResult {
  const start = Date.now();
  const gen = new Generator(recipe.seed);
  const { weightDecay, warmupFraction } = recipe.optimizer;
  const opt = new optim.AdamW(model.parameters(), { lr, weightDecay });
  const params = model.parameters();
  const n = train.seqs.length;
  const pool = 8 * recipe.batchSize; // bucketedBatches' pools
  const perEpoch = Math.floor(n / pool) * 8 + Math.ceil((n % pool) / recipe.batchSize);
  const total = perEpoch * recipe.epochs;
  const warmup = Math.max(1, Math.round(total * warmupFraction));
  const validPerEpoch: number[] = [];
  const testPerEpoch: number[] = [];
  let step = 0;
  let epochLoss = 0;
  model.train();
  for (let e = 0; e < recipe.epochs; e++) {
    epochLoss = 0;
    for (const idx of bucketedBatches(train.seqs, recipe.batchSize, gen)) {
      const { ids, attentionMask } = padClassificationBatch(idx.map((i) => train.seqs[i]));
      const y = tf.tensor1d(idx.map((i) => train.labels[i]), 'int32');
      const loss = backward(() => F.crossEntropy(model.forward(ids, { attentionMask }), y), params);
      tf.dispose([ids, attentionMask, y]);
      optim.clipGradNorm(params, 1);
      for (const g of opt.paramGroups) g.lr = lr * warmupLinear(step, warmup, total);
      opt.step();
      opt.zeroGrad();
      step++;
      epochLoss += loss / perEpoch;
    }
    validPerEpoch.push(classificationAccuracy(model, valid.seqs, valid.labels));
    testPerEpoch.push(classificationAccuracy(model, test.seqs, test.labels));
    onEpoch?.(e, epochLoss, validPerEpoch[e], testPerEpoch[e]);
  }
  model.eval();
  const best = validPerEpoch.indexOf(Math.max(...validPerEpoch));
  return { lr, validPerEpoch, testPerEpoch, bestEpoch: best + 1, validAccuracy: validPerEpoch[best], testAccuracy: testPerEpoch[best], trainLoss: epochLoss, seconds: (Date.now() - start) / 1000 };
}
