#!/usr/bin/env node
/**
 * Tree models against a sequential LSTM on the SYNTHETIC ListOps task of @neuralzoo/datasets:
 * trains the tree model's recipe (TREE_LSTM_LISTOPS_RECIPE or RECURSIVE_NN_LISTOPS_RECIPE) on
 * parsed expression trees and the BiLSTM baseline (LISTOPS_LSTM_BASELINE) on the same expressions
 * as token sequences, then prints both test accuracies (one JSON line each).
 * Build first: `npx tsc -b packages/nlp`.
 *
 *   node packages/nlp/scripts/train-listops.js [tree_lstm_child_sum|tree_lstm_nary|recursive_nn|bilstm_classifier|all]
 *        [--epochs N] [--backend wasm|cpu]
 */
const { init, backendInfo, backward, data, F, Generator, manualSeed, optim, registry, tf, train } = require('@neuralzoo/core');
const { listOps, LISTOPS_VOCAB } = require('@neuralzoo/datasets');
const nlp = require('..');

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function sets(recipe) {
  const d = recipe.data;
  const opts = { maxDepth: d.maxDepth, maxArgs: d.maxArgs, maxLength: d.maxLength };
  return { train: listOps({ count: d.train, seed: d.trainSeed, ...opts }), test: listOps({ count: d.test, seed: d.testSeed, ...opts }) };
}

async function trainTree(name, recipe, epochs, log) {
  manualSeed(recipe.seed);
  const { train: tr, test: te } = sets(recipe);
  const model = registry.create(name, { ...recipe.model, vocabSize: LISTOPS_VOCAB.length, numClasses: 10 });
  const nary = name !== 'tree_lstm_child_sum';
  const trees = (set) => set.tokens.map((t) => nlp.parsePrefixTree(t, LISTOPS_VOCAB));
  const [trTrees, teTrees] = [trees(tr), trees(te)];
  const batch = (ts) => nlp.batchTrees(ts, nary ? { maxChildren: model.config.arity } : {});
  const opt = new optim.Adam(model.parameters(), { lr: recipe.optimizer.lr });
  const gen = new Generator(recipe.seed);
  const B = recipe.batchSize;
  const accuracy = (ts, labels) => {
    model.eval();
    let ok = 0;
    for (let i = 0; i < ts.length; i += 200) {
      const pred = tf.tidy(() => model.forward(batch(ts.slice(i, i + 200))).argMax(1).dataSync());
      pred.forEach((p, k) => (ok += p === labels[i + k] ? 1 : 0));
    }
    model.train();
    return ok / ts.length;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    const t0 = Date.now();
    const order = Array.from({ length: trTrees.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = gen.randint(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    let total = 0;
    for (let s = 0; s < order.length; s += B) {
      const idx = order.slice(s, s + B);
      const tb = batch(idx.map((i) => trTrees[i]));
      const y = tf.tensor1d(idx.map((i) => tr.labels[i]), 'int32');
      total += backward(() => F.crossEntropy(model.forward(tb), y), model) * idx.length;
      optim.clipGradNorm(model.parameters(), recipe.clipGradNorm);
      opt.step();
      opt.zeroGrad();
      y.dispose();
    }
    log(`${name} epoch ${epoch + 1}/${epochs} - loss ${(total / order.length).toFixed(4)} - test accuracy ${accuracy(teTrees, te.labels).toFixed(4)} - ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  const acc = accuracy(teTrees, te.labels);
  model.dispose();
  return acc;
}

async function trainSequential(recipe, epochs, log) {
  manualSeed(recipe.seed);
  const { train: tr, test: te } = sets(recipe);
  const model = registry.create('bilstm_classifier', { ...recipe.model, vocabSize: LISTOPS_VOCAB.length, numClasses: 10, maxLength: recipe.data.maxLength });
  // Token ids padded per batch (to the batch's longest expression), as the trees see them.
  const toDs = (set) => new nlp.TextClassificationDataset(set.tokens.map((t) => t.map((w) => LISTOPS_VOCAB.indexOf(w))), set.labels);
  const trainLoader = new data.DataLoader(toDs(tr), { batchSize: recipe.batchSize, shuffle: true, seed: recipe.seed });
  const testLoader = new data.DataLoader(toDs(te), { batchSize: 200 });
  const opt = new optim.Adam(model.parameters(), { lr: recipe.optimizer.lr });
  await train.fit(model, { train: trainLoader, val: testLoader, loss: 'crossEntropy', optimizer: opt, epochs, metrics: ['accuracy'], clipGradNorm: recipe.clipGradNorm, verbose: true });
  const res = await train.evaluate(model, testLoader, { loss: 'crossEntropy', metrics: ['accuracy'] });
  model.dispose();
  return res.accuracy;
}

async function main() {
  const which = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'all';
  await init({ backend: arg('backend', 'wasm') });
  const backend = backendInfo().name;
  const log = (s) => console.log(s);
  const names = which === 'all' ? ['tree_lstm_child_sum', 'tree_lstm_nary', 'recursive_nn', 'bilstm_classifier'] : [which];
  for (const name of names) {
    const recipe = name === 'bilstm_classifier' ? nlp.LISTOPS_LSTM_BASELINE : name === 'recursive_nn' ? nlp.RECURSIVE_NN_LISTOPS_RECIPE : nlp.TREE_LSTM_LISTOPS_RECIPE;
    const epochs = Number(arg('epochs', recipe.epochs));
    const t0 = Date.now();
    const acc = name === 'bilstm_classifier' ? await trainSequential(recipe, epochs, log) : await trainTree(name, recipe, epochs, log);
    console.log(JSON.stringify({ model: name, dataset: 'listops (SYNTHETIC)', metric: 'accuracy', value: Number(acc.toFixed(4)), epochs, backend, seconds: (Date.now() - t0) / 1000 }));
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
