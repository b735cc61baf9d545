import { data, manualSeed, optim, train } from '@neuralzoo/core';
import { loadSentiment } from '@neuralzoo/datasets';
import { TextClassificationDataset, Vocab, WordTokenizer } from '../../text/index';
import { textCnn } from './index';

// Real sentences: a small Text CNN trained 4 epochs on the 800 amazon training sentences must
// classify the 200 held-out amazon sentences (val + test splits) well above chance (5 standard errors).
describe('TextCnn learns sentiment', () => {
  it('gets > 68% held-out accuracy on amazon reviews after 4 epochs (chance 50%; 72% measured)', async () => {
    manualSeed(0);
    const tok = new WordTokenizer({ stem: 'porter' });
    const tr = loadSentiment({ split: 'train', source: 'amazon' });
    const held = [loadSentiment({ split: 'val', source: 'amazon' }), loadSentiment({ split: 'test', source: 'amazon' })];
    const trTok = tr.texts.map((t) => tok.tokenize(t));
    const vocab = Vocab.build(trTok, { minFreq: 2 });
    const trainDs = new TextClassificationDataset(trTok.map((t) => vocab.encode(t)), tr.labels, { maxLength: 64, truncation: 'right' });
    const testDs = new TextClassificationDataset(
      held.flatMap((s) => s.texts.map((t) => vocab.encode(tok.tokenize(t)))),
      Int32Array.from(held.flatMap((s) => Array.from(s.labels))),
      { maxLength: 64, truncation: 'right' },
    );
    const model = textCnn({ vocabSize: vocab.size, embeddingDim: 32, filterSizes: [1, 2, 3], numFilters: 32, dropout: 0.5 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 3e-3 });
    await train.fit(model, { train: new data.DataLoader(trainDs, { batchSize: 32, shuffle: true }), loss: 'crossEntropy', optimizer, epochs: 4, verbose: false });
    const { accuracy } = await train.evaluate(model, new data.DataLoader(testDs, { batchSize: 100 }), { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(testDs.length).toBe(200);
    expect(accuracy).toBeGreaterThan(0.68);
    model.dispose();
  });
});
