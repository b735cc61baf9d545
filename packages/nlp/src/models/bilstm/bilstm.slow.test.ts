import { data, F, Generator, manualSeed, optim, tf, train } from '@neuralzoo/core';
import { TextClassificationDataset } from '../../text/index';
import { bilstmClassifier, bilstmTagger } from './index';

/** Variable-length sequences of tokens 1..9 (lengths 3–10), drawn from a seeded generator. */
function sequences(n: number, seed: number): number[][] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => Array.from({ length: 3 + g.randint(8) }, () => 1 + g.randint(9)));
}

describe('BiLSTM learns tasks that need context from both sides', () => {
  it('tagger: tags each token with whether its left neighbour is larger than its right one (> 95% of real tokens)', async () => {
    manualSeed(0);
    // Tag 1 when the previous token is larger than the next one (missing neighbours count as 0), else 0.
    const tags = (s: number[]) => s.map((_, t) => ((s[t - 1] ?? 0) > (s[t + 1] ?? 0) ? 1 : 0));
    const [trS, teS] = [sequences(1200, 1), sequences(300, 2)];
    const pad = (ss: number[][], f: (s: number[]) => number[], fill: number) => {
      const T = Math.max(...ss.map((s) => s.length));
      return ss.map((s) => [...f(s), ...new Array(T - s.length).fill(fill)]);
    };
    const model = bilstmTagger({ vocabSize: 10, embeddingDim: 16, hiddenSize: 32, numLayers: 1, dropout: 0, numClasses: 2 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const loss = (out: tf.Tensor, y: tf.Tensor) => F.crossEntropy(out.reshape([-1, 2]), y.reshape([-1]), { ignoreIndex: -100 });
    const trainLoader = new data.DataLoader(new data.TensorDataset(tf.tensor2d(pad(trS, (s) => s, 0), undefined, 'int32'), tf.tensor2d(pad(trS, tags, -100), undefined, 'int32')), {
      batchSize: 50,
      shuffle: true,
    });
    await train.fit(model, { train: trainLoader, loss, optimizer, epochs: 6, verbose: false });
    model.eval();
    const x = tf.tensor2d(pad(teS, (s) => s, 0), undefined, 'int32');
    const pred = tf.tidy(() => model.forward(x).argMax(2).arraySync() as number[][]);
    let ok = 0;
    let n = 0;
    teS.forEach((s, b) => tags(s).forEach((t, i) => ((ok += pred[b][i] === t ? 1 : 0), n++)));
    expect(ok / n).toBeGreaterThan(0.95);
    x.dispose();
    model.dispose();
  });

  it('classifier: is the first token larger than the last real one? (> 90% held out)', async () => {
    manualSeed(0);
    const label = (s: number[]) => (s[0] > s[s.length - 1] ? 1 : 0);
    const [trS, teS] = [sequences(1200, 3), sequences(300, 4)];
    const model = bilstmClassifier({ vocabSize: 10, embeddingDim: 16, hiddenSize: 32, numLayers: 1, dropout: 0 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 1e-2 });
    const trainDs = new TextClassificationDataset(trS, Int32Array.from(trS, label));
    const testDs = new TextClassificationDataset(teS, Int32Array.from(teS, label));
    await train.fit(model, { train: new data.DataLoader(trainDs, { batchSize: 50, shuffle: true }), loss: 'crossEntropy', optimizer, epochs: 6, verbose: false });
    const { accuracy } = await train.evaluate(model, new data.DataLoader(testDs, { batchSize: 100 }), { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(accuracy).toBeGreaterThan(0.9);
    model.dispose();
  });
});
