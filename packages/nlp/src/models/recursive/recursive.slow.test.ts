import { F, Generator, backward, manualSeed, optim, tf } from '@neuralzoo/core';
import { LISTOPS_VOCAB, listOps } from '@neuralzoo/datasets';
import { batchTrees, parsePrefixTree, treeLstmChildSum } from './index';

// SYNTHETIC ListOps (value 0–9 of nested MAX/MIN/MED/SM expressions): a small child-sum Tree-LSTM
// must learn far above the majority class within a few short epochs (the recipe run in the README
// compares it with a sequential LSTM).
describe('child-sum Tree-LSTM learns ListOps', () => {
  it('beats the majority class by 25 points after 4 epochs on 1,000 expressions', () => {
    manualSeed(0);
    const opts = { maxDepth: 2, maxArgs: 3, maxLength: 32 };
    const train = listOps({ count: 1000, seed: 11, ...opts });
    const test = listOps({ count: 300, seed: 12, ...opts });
    const trees = (s: typeof train) => s.tokens.map((t) => parsePrefixTree(t, LISTOPS_VOCAB));
    const [trTrees, teTrees] = [trees(train), trees(test)];
    const model = treeLstmChildSum({ vocabSize: LISTOPS_VOCAB.length, numClasses: 10, embeddingDim: 16, hiddenSize: 32 });
    const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const gen = new Generator(0);
    for (let epoch = 0; epoch < 4; epoch++) {
      const order = Array.from({ length: trTrees.length }, (_, i) => i).sort(() => gen.random() - 0.5);
      for (let s = 0; s < order.length; s += 25) {
        const idx = order.slice(s, s + 25);
        const y = tf.tensor1d(idx.map((i) => train.labels[i]), 'int32');
        const tb = batchTrees(idx.map((i) => trTrees[i]));
        backward(() => F.crossEntropy(model.forward(tb), y), model);
        opt.step();
        opt.zeroGrad();
        y.dispose();
      }
    }
    const pred = tf.tidy(() => model.forward(teTrees).argMax(1).dataSync());
    const acc = Array.from(pred).reduce((a: number, p: number, i: number) => a + (p === test.labels[i] ? 1 : 0), 0) / pred.length;
    const counts = new Array(10).fill(0);
    test.labels.forEach((l) => counts[l]++);
    const majority = Math.max(...counts) / test.labels.length;
    expect(acc).toBeGreaterThan(majority + 0.25);
    model.dispose();
  });
});
