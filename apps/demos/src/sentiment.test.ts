import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manualSeed, tf } from '@neuralzoo/core';
import { io } from '@neuralzoo/core/node';
import { TEXT_CNN_SENTIMENT_RECIPE, Vocab, WordTokenizer, textCnn } from '@neuralzoo/nlp';
import { classify, sentimentClassifier } from './sentiment';

describe('sentiment demo', () => {
  it('loads a cached Text CNN and vocabulary and classifies like the saved model', async () => {
    manualSeed(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-sentiment-'));
    const vocab = Vocab.build([['good', 'great', 'bad', 'awful']]);
    const model = textCnn({ ...TEXT_CNN_SENTIMENT_RECIPE.model, vocabSize: vocab.size });
    model.eval();
    await io.saveSafetensors(path.join(dir, 'text_cnn.safetensors'), model.stateDict());
    fs.writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab));
    const lines: string[] = [];
    const clf = await sentimentClassifier({ cacheDir: dir, print: (l) => lines.push(l) });
    expect(lines).toEqual([`loaded the Text CNN from ${dir} (pass --epochs N to retrain)`]);
    expect(clf.vocab.tokens()).toEqual(vocab.tokens());
    const direct = { model, vocab, tokenizer: new WordTokenizer({ stem: 'porter' }) };
    for (const text of ['Good, great!', 'awful and bad', 'unknown words only', '']) {
      const a = classify(clf, text);
      const b = classify(direct, text);
      expect(a.positive).toBeCloseTo(b.positive, 6);
      expect(a.label).toBe(a.positive >= 0.5 ? 'positive' : 'negative');
      expect(a.positive).toBeGreaterThanOrEqual(0);
      expect(a.positive).toBeLessThanOrEqual(1);
    }
    const before = tf.memory().numTensors;
    classify(clf, 'good');
    expect(tf.memory().numTensors).toBe(before);
    clf.model.dispose();
    model.dispose();
    fs.rmSync(dir, { recursive: true });
  });
});
