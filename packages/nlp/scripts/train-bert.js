#!/usr/bin/env node
/**
 * BERT recipe of @neuralzoo/nlp: pretrains a small BERT by MLM + NSP on the English Bible (WEB
 * train verses, WordPiece vocabulary trained on them; BERT_BIBLE_RECIPE), saves it, then
 * fine-tunes it on the UCI sentiment sentences (fixed 80/20 split of the other sentiment models:
 * loadSentiment's train split vs its val + test splits) and compares with the same architecture
 * fine-tuned from scratch with the same recipe (BERT_SENTIMENT_RECIPE). Prints one JSON line per
 * phase. Build first: `npx tsc -b packages/nlp`.
 *
 *   nice -n 10 node packages/nlp/scripts/train-bert.js [--backend torch|wasm|cpu] [--threads 1]
 *        [--steps N] [--max-seconds S] [--out FILE.safetensors] [--pretrained FILE.safetensors]
 *        [--init pretrained,scratch] [--pretrain-only]
 *
 * --pretrain-only stops after pretraining; --pretrained skips pretraining and fine-tunes the checkpoint in FILE (written by --out).
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
    const run = nlp.pretrainBert(train, valid, tokenizer.vocab, recipe, (i, mlm, nsp) => {
      if (i % 100 === 0) log(`  step ${i} mlm ${mlm.toFixed(3)} nsp ${nsp.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    });
    model = run.model;
    const r = run.result;
    log(JSON.stringify({ model: 'bert_for_pre_training', dataset: 'bible-web', steps: r.steps, validMlmLoss: +r.mlmLoss.toFixed(4), validMlmAccuracy: +r.mlmAccuracy.toFixed(4), validNspAccuracy: +r.nspAccuracy.toFixed(4), firstTrainMlmLoss: +r.firstMlmLoss.toFixed(4), lastTrainMlmLoss: +r.lastMlmLoss.toFixed(4), mlmTokens: r.mlmTokens, backend: backendName, seconds: r.seconds }));
    const out = arg('out');
    if (out) {
      const { ['cls.predictions.decoder.weight']: _w, ['cls.predictions.decoder.bias']: _b, ...sd } = model.stateDict();
      await io.saveSafetensors(out, sd, { config: JSON.stringify(model.config), tokenizer: JSON.stringify(tokenizer.toJSON()), result: JSON.stringify(r) });
      log(`saved ${out} (${fs.statSync(out).size} bytes)`);
    }
  }

  if (process.argv.includes('--pretrain-only')) return;
  // Fine-tuning: pretrained vs scratch, same architecture, same recipe and seed.
  const ft = nlp.BERT_SENTIMENT_RECIPE;
  const tr = loadSentiment({ split: 'train' });
  const va = loadSentiment({ split: 'val' });
  const te = loadSentiment({ split: 'test' });
  const enc = (texts) => texts.map((t) => nlp.encodeSentence(tokenizer, t, ft.maxLength));
  const trainSet = { seqs: enc(tr.texts), labels: tr.labels };
  const testSet = { seqs: enc([...va.texts, ...te.texts]), labels: Int32Array.from([...va.labels, ...te.labels]) };
  const config = { ...model.config, maxPositionEmbeddings: model.config.maxPositionEmbeddings };
  for (const init of arg('init', 'pretrained,scratch').split(',')) {
    manualSeed(ft.seed);
    const clf = nlp.bertForSequenceClassification(config);
    if (init === 'pretrained') clf.bert.loadStateDict(model.bert.stateDict());
    const res = nlp.finetuneBertClassifier(clf, trainSet, testSet, ft, (e, loss, acc) => log(`  ${init} epoch ${e + 1} train loss ${loss.toFixed(4)} test accuracy ${(100 * acc).toFixed(2)}%`));
    log(JSON.stringify({ model: 'bert_for_sequence_classification', init, dataset: 'sentiment', metric: 'accuracy', value: +res.testAccuracy.toFixed(4), perEpoch: res.perEpoch.map((a) => +a.toFixed(4)), train: trainSet.seqs.length, test: testSet.seqs.length, epochs: ft.epochs, backend: backendName, seconds: res.seconds }));
    clf.dispose();
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
