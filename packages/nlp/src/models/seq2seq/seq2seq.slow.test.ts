import { manualSeed } from '@neuralzoo/core';
import { reverseTask } from '@neuralzoo/datasets';
import { greedyDecodeAll, Seq2Seq, trainPairs } from './index';
import { PointerNet, sequenceAccuracy, sortingTask } from '../pointer/index';
import { backward, optim, tf } from '@neuralzoo/core';

// Short learning checks (SYNTHETIC tasks); the recorded recipes are in the nlp README.
describe('seq2seq models learn (slow)', () => {
  it('attention GRU reverses 5-token sequences (SYNTHETIC reverse task)', () => {
    const task = reverseTask({ count: 1200, maxLength: 5, vocabSize: 8, seed: 3 });
    const rows = (a: Int32Array) => Array.from({ length: 1200 }, (_, i) => Array.from(a.subarray(i * 5, i * 5 + 5)).map((t) => t + 3)); // ids 4..10 (0-3 special)
    const src = rows(task.inputs);
    const tgt = rows(task.targets);
    manualSeed(0);
    const m = new Seq2Seq({ srcVocabSize: 11, tgtVocabSize: 11, embedDim: 16, hiddenSize: 32, attention: 'luong', dropout: 0 });
    trainPairs(m, src.slice(0, 1000), tgt.slice(0, 1000).map((t) => [2, ...t, 3]), { epochs: 6, batchSize: 32, lr: 1e-2 });
    const hyp = greedyDecodeAll(m, src.slice(1000), { bos: 2, eos: 3, maxLength: 6 });
    const exact = hyp.filter((h, i) => h.join() === tgt[1000 + i].join()).length / 200;
    expect(exact).toBeGreaterThan(0.8);
    m.dispose();
  });

  it('pointer network sorts 5 numbers (SYNTHETIC)', () => {
    manualSeed(0);
    const train = sortingTask(4096, 5, 1);
    const test = sortingTask(200, 5, 2);
    const m = new PointerNet({ inputDim: 1, hiddenSize: 32 });
    const opt = new optim.Adam(m.parameters(), { lr: 1e-2 });
    for (let step = 0; step < 64; step++) {
      const i = (step % 32) * 128;
      const x = tf.tensor3d(train.inputs.subarray(i * 5, (i + 128) * 5), [128, 5, 1]);
      const y = tf.tensor2d(train.targets.subarray(i * 6, (i + 128) * 6), [128, 6], 'int32');
      backward(() => m.loss(x, y), m);
      opt.step();
      opt.zeroGrad();
      tf.dispose([x, y]);
    }
    m.eval();
    const x = tf.tensor3d(test.inputs, [200, 5, 1]);
    const acc = sequenceAccuracy(m.decode(x), test.targets, 6);
    expect(acc).toBeGreaterThan(0.7);
    x.dispose();
    m.dispose();
  });
});
