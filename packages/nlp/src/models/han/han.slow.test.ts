import { data, manualSeed, optim, train } from '@neuralzoo/core';
import { loadSpamAssassin } from '@neuralzoo/datasets';
import { DocumentClassificationDataset, Vocab, WordTokenizer, splitSentences } from '../../text/index';
import { han } from './index';

// Real emails: a small HAN trained 3 epochs on 600 SpamAssassin training bodies (first 8 sentences
// of at most 16 words) must separate spam from ham on 300 test bodies, 35% of them spam
// (majority class 65%; 85.7% measured with this seed).
describe('Han learns SpamAssassin', () => {
  it('gets > 80% test accuracy on 300 emails after 3 epochs on 600 (majority class 65%)', async () => {
    manualSeed(0);
    const tok = new WordTokenizer({ stem: 'porter' });
    const docs = (texts: string[]) => texts.map((t) => splitSentences(t).slice(0, 8).map((s) => tok.tokenize(s).slice(0, 16)));
    const tr = loadSpamAssassin({ split: 'train', bodyOnly: true });
    const te = loadSpamAssassin({ split: 'test', bodyOnly: true });
    const trDocs = docs(tr.texts.slice(0, 600));
    const vocab = Vocab.build(trDocs.flat(), { minFreq: 2 });
    const enc = (d: string[][]) => d.map((s) => vocab.encode(s));
    const shape = { maxSentences: 8, maxWords: 16 };
    const trainDs = new DocumentClassificationDataset(trDocs.map(enc), tr.labels.slice(0, 600), shape);
    const testDs = new DocumentClassificationDataset(docs(te.texts.slice(0, 300)).map(enc), te.labels.slice(0, 300), shape);
    const model = han({ vocabSize: vocab.size, embeddingDim: 32, wordHiddenSize: 16, sentenceHiddenSize: 16, attentionDim: 32, dropout: 0.2 });
    const optimizer = new optim.Adam(model.parameters(), { lr: 3e-3 });
    await train.fit(model, { train: new data.DataLoader(trainDs, { batchSize: 32, shuffle: true }), loss: 'crossEntropy', optimizer, epochs: 3, verbose: false });
    const { accuracy } = await train.evaluate(model, new data.DataLoader(testDs, { batchSize: 100 }), { loss: 'crossEntropy', metrics: ['accuracy'] });
    expect(accuracy).toBeGreaterThan(0.8);
    model.dispose();
  });
});
