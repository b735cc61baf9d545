#!/usr/bin/env node
/**
 * Trains a text classification recipe of @neuralzoo/nlp on its real data set and prints the test
 * accuracy, wall time and backend (one JSON line at the end). Build first: `npx tsc -b packages/nlp`.
 *
 *   node packages/nlp/scripts/train-text.js <text_cnn|bilstm_classifier|han> [sentiment|spam_assassin]
 *        [--epochs N] [--backend torch|wasm|cpu] [--threads N] [--limit N] [--out DIR] [--override JSON]
 *
 * sentiment: UCI sentences (amazon + imdb + yelp, 3,000); train on loadSentiment's train split
 * (80%), test on its val + test splits (the other 20%). spam_assassin: message bodies, train split
 * (80%), test split (10%): message bodies, preceded by the Subject line when the recipe sets `subject`,
 * HTML reduced to words when it sets `stripMarkup`. A recipe's `tailTokens` keeps the last tokens of
 * a long text after its first maxLength − tailTokens (head + tail) instead of the first maxLength. --out saves the weights (safetensors) and the vocabulary (JSON).
 */
const fs = require('fs');
const path = require('path');
const { init, backendInfo, data, manualSeed, optim, registry, train } = require('@neuralzoo/core');
const { io } = require('@neuralzoo/core/node');
const { emailBody, loadSentiment, loadSpamAssassin } = require('@neuralzoo/datasets');
const nlp = require('..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const RECIPES = {
  text_cnn: { sentiment: nlp.TEXT_CNN_SENTIMENT_RECIPE },
  bilstm_classifier: { sentiment: nlp.BILSTM_SENTIMENT_RECIPE, spam_assassin: nlp.BILSTM_SPAM_RECIPE },
  han: { spam_assassin: nlp.HAN_SPAM_RECIPE },
};

/**
 * Markup of HTML e-mails reduced to words: each run of tags (and comments, style/script blocks)
 * becomes one `htmltag` word (so an HTML message still looks like one, without tags filling the
 * token budget), entities become spaces, and base64 lines are dropped.
 */
function stripMarkup(text) {
  return text
    .replace(/^[A-Za-z0-9+/]{60,}={0,2}\s*$/gm, '')
    .replace(/<(style|script)\b[\s\S]*?<\/\1\s*>/gi, '<x>')
    .replace(/<!--[\s\S]*?-->/g, '<x>')
    .replace(/(?:\s*<[^<>]*>)+\s*/g, ' htmltag ')
    .replace(/&(?:[a-z]+|#\d+);/gi, ' ');
}

/** The first `max - tail` tokens and the last `tail` (head + tail truncation, Sun et al., 2019); all of them when they fit. */
function headTail(tokens, max, tail) {
  if (tokens.length <= max) return tokens;
  return tail > 0 ? [...tokens.slice(0, max - tail), ...tokens.slice(tokens.length - tail)] : tokens.slice(0, max);
}

function loadData(dataset, limit, subject, markup) {
  const cut = (s) => (limit ? { texts: s.texts.slice(0, limit), labels: s.labels.slice(0, limit) } : s);
  if (dataset === 'sentiment') {
    const tr = loadSentiment({ split: 'train' });
    const va = loadSentiment({ split: 'val' });
    const te = loadSentiment({ split: 'test' });
    return { train: cut(tr), test: cut({ texts: [...va.texts, ...te.texts], labels: Int32Array.from([...va.labels, ...te.labels]) }) };
  }
  // Message text: the Subject line (when the recipe asks for it) and the body; other headers are dropped.
  const text = (raw) => {
    const body = markup ? stripMarkup(emailBody(raw)) : emailBody(raw);
    if (!subject) return body;
    const head = raw.slice(0, raw.length - body.length);
    const m = /^Subject:[ \t]*(.*)$/im.exec(head);
    return `${m ? m[1] : ''}\n\n${body}`;
  };
  const load = (split) => {
    const s = loadSpamAssassin({ split });
    return { ...s, texts: s.texts.map(text) };
  };
  return { train: cut(load('train')), test: cut(load('test')) };
}

async function main() {
  const name = process.argv[2];
  if (!RECIPES[name]) throw new Error(`usage: train-text.js <${Object.keys(RECIPES).join('|')}> [dataset]`);
  const dataset = process.argv[3] && !process.argv[3].startsWith('--') ? process.argv[3] : Object.keys(RECIPES[name])[0];
  const base = RECIPES[name][dataset];
  // --override '{"model":{...},"vocab":{...}}' replaces recipe fields (for experiments; report only recipe runs).
  const over = JSON.parse(arg('override', '{}'));
  const recipe = base && { ...base, ...over, model: { ...base.model, ...(over.model ?? {}) } };
  if (!recipe) throw new Error(`${name} has no recipe for ${dataset}; recipes: ${Object.keys(RECIPES[name]).join(', ')}`);
  const epochs = Number(arg('epochs', recipe.epochs));
  await init({ backend: arg('backend', 'wasm'), ...(arg('threads') ? { threads: Number(arg('threads')) } : {}) });
  const backend = backendInfo().name;
  manualSeed(recipe.seed);
  const t0 = Date.now();
  const { train: trainSet, test: testSet } = loadData(dataset, arg('limit') ? Number(arg('limit')) : 0, Boolean(recipe.subject), Boolean(recipe.stripMarkup));
  const tok = new nlp.WordTokenizer({ stem: recipe.tokenizer.stem });
  const hierarchical = name === 'han';
  // Documents as sentences of tokens (HAN) or one token list per text.
  const tokenize = hierarchical
    ? (t) => nlp.splitSentences(t).map((s) => tok.tokenize(s).slice(0, recipe.document.maxWords)).filter((s) => s.length).slice(0, recipe.document.maxSentences)
    : (t) => headTail(tok.tokenize(t), recipe.maxLength, recipe.tailTokens ?? 0);
  const trainTok = trainSet.texts.map(tokenize);
  const vocab = nlp.Vocab.build(hierarchical ? trainTok.flat() : trainTok, recipe.vocab);
  const encode = hierarchical ? (doc) => doc.map((s) => vocab.encode(s)) : (toks) => vocab.encode(toks);
  const makeDs = (toks, labels) =>
    hierarchical
      ? new nlp.DocumentClassificationDataset(toks.map(encode), labels, recipe.document)
      : new nlp.TextClassificationDataset(toks.map(encode), labels, { maxLength: recipe.maxLength, truncation: 'right' });
  const trainDs = makeDs(trainTok, trainSet.labels);
  const testDs = makeDs(testSet.texts.map(tokenize), testSet.labels);
  const net = registry.create(name, { ...recipe.model, vocabSize: vocab.size, numClasses: 2 });
  const opt = new optim.Adam(net.parameters(), { lr: recipe.optimizer.lr, weightDecay: recipe.optimizer.weightDecay ?? 0 });
  const trainLoader = new data.DataLoader(trainDs, { batchSize: recipe.batchSize, shuffle: true, seed: recipe.seed });
  const testLoader = new data.DataLoader(testDs, { batchSize: 100 });
  console.log(`${name} on ${dataset}: ${trainDs.length} train / ${testDs.length} test, vocab ${vocab.size}, ${net.numParameters()} parameters, backend ${backend}`);
  await train.fit(net, { train: trainLoader, val: testLoader, loss: 'crossEntropy', optimizer: opt, epochs, metrics: ['accuracy'], clipGradNorm: recipe.clipGradNorm, verbose: true });
  const res = await train.evaluate(net, testLoader, { loss: 'crossEntropy', metrics: ['accuracy'] });
  const seconds = (Date.now() - t0) / 1000;
  const out = arg('out');
  if (out) {
    fs.mkdirSync(out, { recursive: true });
    await io.saveSafetensors(path.join(out, `${name}_${dataset}.safetensors`), net.stateDict());
    fs.writeFileSync(path.join(out, `${name}_${dataset}.vocab.json`), JSON.stringify(vocab));
  }
  console.log(JSON.stringify({ model: name, dataset, metric: 'accuracy', value: Number(res.accuracy.toFixed(4)), loss: Number(res.loss.toFixed(4)), target: recipe.target, epochs, backend, seconds }));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
