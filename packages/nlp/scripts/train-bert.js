#!/usr/bin/env node
/**
 * BERT recipe of @neuralzoo/nlp: pretrains a small BERT by MLM + NSP on the English Bible (WEB
 * train verses, WordPiece vocabulary trained on them; BERT_BIBLE_RECIPE), saves it, then
 * fine-tunes it on the UCI sentiment sentences (fixed 80/20 split of the other sentiment models:
 * loadSentiment's train split vs its val + test splits) and compares with the same architecture
 * fine-tuned from scratch with the same recipe (BERT_SENTIMENT_RECIPE): for each init, every
 * learning rate of the grid, the (learning rate, epoch) with the best accuracy on sentences held
 * out from the train split is kept and its test accuracy reported. Prints one JSON line per phase.
 * Build first: `npx tsc -b packages/nlp`.
 *
 *   nice -n 10 node packages/nlp/scripts/train-bert.js [--backend torch|wasm|cpu] [--threads 1]
 *        [--steps N] [--max-seconds S] [--out FILE.safetensors] [--pretrained FILE.safetensors]
 *        [--init pretrained,scratch] [--lrs 1e-4,3e-4] [--seeds 1,2] [--pretrain-only]
 *        [--override JSON] [--ft-override JSON]
 *
 * --pretrain-only stops after pretraining; --pretrained skips pretraining and fine-tunes the checkpoint in FILE (written by --out).
 * --lrs replaces the recipe's learning-rate grid, --seeds the fine-tuning seed (the held-out carve stays).
 */
const fs = require('fs');
const path = require('path');
const { init, backendInfo, manualSeed } = require('@neuralzoo/core');
const { io } = require('@neuralzoo/core/node');
const { loadSentiment } = require('@neuralzoo/datasets');
const nlp = require('..');
const { loadBibleSplits } = require('../dist/lm/bible-node');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const log = (s) => process.stdout.write(`${s}\n`);

async function main() {
  const backend = arg('backend', 'torch');
  // backend-torch is not a dependency of nlp: in this workspace it sits beside it.
  if (backend === 'torch') require(path.join(__dirname, '../../backend-torch'));
  await init({ backend, threads: Number(arg('threads', 1)) });
  const info = backendInfo();
  const backendName = `${info.name} (${info.threads ?? '?'} thread${info.threads === 1 ? '' : 's'})`;
  // --override '{"optimizer":{...},"config":{...}}' replaces recipe fields (experiments; report only recipe runs).
  const over = JSON.parse(arg('override', '{}'));
  const base = nlp.BERT_BIBLE_RECIPE;
  const recipe = { ...base, ...over, optimizer: { ...base.optimizer, ...(over.optimizer ?? {}) }, config: { ...base.config, ...(over.config ?? {}) } };
  if (arg('steps')) recipe.steps = Number(arg('steps'));
  if (arg('max-seconds')) recipe.maxSeconds = Number(arg('max-seconds'));
  const t0 = Date.now();
  let model;
  let tokenizer;
  const pretrainedFile = arg('pretrained');
  if (pretrainedFile) {
    ({ model, tokenizer } = loadCheckpoint(pretrainedFile));
    log(`loaded ${pretrainedFile}: ${model.numParameters()} parameters, vocabulary ${tokenizer.vocab.size}`);
  } else {
    const splits = loadBibleSplits();
    tokenizer = nlp.WordPieceTokenizer.train(
      splits.train.map((v) => v.text),
      { vocabSize: recipe.vocabSize, score: recipe.wordPieceScore },
    );
    const enc = (vs) => vs.map((v) => tokenizer.encode(v.text)).filter((x) => x.length);
    const train = enc(splits.train);
    const valid = enc(splits.valid);
    log(`WordPiece ${tokenizer.vocab.size} pieces (${((Date.now() - t0) / 1000).toFixed(0)} s); ${train.length} train / ${valid.length} valid verses; backend ${backendName}`);
    let sums = [0, 0];
    const run = nlp.pretrainBert(train, valid, tokenizer.vocab, recipe, (i, mlm, nsp) => {
      sums = [sums[0] + mlm, sums[1] + nsp];
      if ((i + 1) % 100 === 0) {
        log(`  step ${i + 1} train mlm ${(sums[0] / 100).toFixed(3)} nsp ${(sums[1] / 100).toFixed(3)} (mean of 100; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
        sums = [0, 0];
      }
    }, (i, ev) => log(`  step ${i} held-out mlm loss ${ev.mlmLoss.toFixed(3)} accuracy ${(100 * ev.mlmAccuracy).toFixed(1)}% nsp ${(100 * ev.nspAccuracy).toFixed(1)}%`));
    model = run.model;
    const r = run.result;
    log(JSON.stringify({ model: 'bert_for_pre_training', dataset: 'bible-web', steps: r.steps, validMlmLoss: +r.mlmLoss.toFixed(4), validMlmAccuracy: +r.mlmAccuracy.toFixed(4), validNspAccuracy: +r.nspAccuracy.toFixed(4), firstTrainMlmLoss: +r.firstMlmLoss.toFixed(4), lastTrainMlmLoss: +r.lastMlmLoss.toFixed(4), mlmTokens: r.mlmTokens, curve: r.curve.map((c) => [c.step, +c.mlmLoss.toFixed(3), +c.mlmAccuracy.toFixed(4), +c.nspAccuracy.toFixed(4)]), backend: backendName, seconds: r.seconds }));
    const out = arg('out');
    if (out) {
      const { ['cls.predictions.decoder.weight']: _w, ['cls.predictions.decoder.bias']: _b, ...sd } = model.stateDict();
      await io.saveSafetensors(out, sd, { config: JSON.stringify(model.config), tokenizer: JSON.stringify(tokenizer.toJSON()), result: JSON.stringify(r) });
      log(`saved ${out} (${fs.statSync(out).size} bytes)`);
    }
  }

  if (process.argv.includes('--pretrain-only')) return;
  // Fine-tuning: pretrained vs scratch, same architecture, recipe, seeds and choice on held-out train sentences.
  // --ft-override '{"pooling":"cls"}' replaces fine-tuning recipe fields (experiments; report only recipe runs).
  const ftOver = JSON.parse(arg('ft-override', '{}'));
  const ft = { ...nlp.BERT_SENTIMENT_RECIPE, ...ftOver, optimizer: { ...nlp.BERT_SENTIMENT_RECIPE.optimizer, ...(ftOver.optimizer ?? {}) } };
  const tr = loadSentiment({ split: 'train' });
  const va = loadSentiment({ split: 'val' });
  const te = loadSentiment({ split: 'test' });
  const enc = (texts) => texts.map((t) => nlp.encodeSentence(tokenizer, t, ft.maxLength));
  const trSeqs = enc(tr.texts);
  const carve = nlp.carveValidation(trSeqs.length, ft.validSize, ft.seed);
  const pick = (idx) => ({ seqs: idx.map((i) => trSeqs[i]), labels: Int32Array.from(idx, (i) => tr.labels[i]) });
  const trainSet = pick(carve.train);
  const validSet = pick(carve.valid);
  const testSet = { seqs: enc([...va.texts, ...te.texts]), labels: Int32Array.from([...va.labels, ...te.labels]) };
  const config = { ...model.config, hiddenDropoutProb: ft.dropout, attentionProbsDropoutProb: ft.dropout };
  const lrs = arg('lrs') ? arg('lrs').split(',').map(Number) : ft.lrGrid;
  // --seeds 1,2 repeats the fine-tunings with other training seeds (init of the head / fresh trunk, shuffles); the carve stays.
  const seeds = arg('seeds') ? arg('seeds').split(',').map(Number) : [ft.seed];
  for (const seed of seeds) for (const init of arg('init', 'pretrained,scratch').split(',')) {
    const runs = [];
    for (const lr of lrs) {
      manualSeed(seed);
      const clf = nlp.bertForSequenceClassification(config, { pooling: ft.pooling });
      // The whole pretrained trunk (strict: every key), less the NSP-trained pooler when the classifier has none (mean pooling).
      if (init === 'pretrained') clf.bert.loadStateDict(Object.fromEntries(Object.entries(model.bert.stateDict()).filter(([k]) => clf.bert.pooler || !k.startsWith('pooler.'))));
      const res = nlp.finetuneBertClassifier(clf, trainSet, validSet, testSet, { ...ft, seed }, lr, (e, loss, vAcc, tAcc) =>
        log(`  ${init} seed ${seed} lr ${lr} epoch ${e + 1} train loss ${loss.toFixed(4)} valid ${(100 * vAcc).toFixed(2)}% test ${(100 * tAcc).toFixed(2)}%`));
      log(`  ${init} seed ${seed} lr ${lr}: best valid epoch ${res.bestEpoch} (${(100 * res.validAccuracy).toFixed(2)}%), test there ${(100 * res.testAccuracy).toFixed(2)}% (${res.seconds.toFixed(0)} s)`);
      runs.push(res);
      clf.dispose();
    }
    const best = runs.reduce((a, b) => (b.validAccuracy > a.validAccuracy ? b : a)); // ties: the earlier (lower) rate
    log(JSON.stringify({
      model: 'bert_for_sequence_classification', init, seed, pooling: ft.pooling, dataset: 'sentiment', metric: 'accuracy', value: +best.testAccuracy.toFixed(4),
      lr: best.lr, epoch: best.bestEpoch, validAccuracy: +best.validAccuracy.toFixed(4),
      grid: runs.map((r) => ({ lr: r.lr, valid: r.validPerEpoch.map((a) => +a.toFixed(4)), test: r.testPerEpoch.map((a) => +a.toFixed(4)), seconds: r.seconds })),
      train: trainSet.seqs.length, valid: validSet.seqs.length, test: testSet.seqs.length, epochs: ft.epochs, backend: backendName,
      seconds: +runs.reduce((a, r) => a + r.seconds, 0).toFixed(1),
    }));
  }
  log(`total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** A BertForPreTraining and its WordPiece tokenizer from a checkpoint written with --out. */
function loadCheckpoint(file) {
  const { tensors, metadata } = io.parseSafetensors(new Uint8Array(fs.readFileSync(file)), file);
  const model = nlp.bertForPreTraining(JSON.parse(metadata.config));
  model.loadStateDict(tensors);
  Object.values(tensors).forEach((t) => t.dispose());
  return { model: model.eval(), tokenizer: nlp.WordPieceTokenizer.fromJSON(metadata.tokenizer) };
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
