/**
 * Demo `sentiment`: a Text CNN (Kim, 2014) trained on the UCI sentiment sentences (amazon + imdb +
 * yelp, the fixed 80% train split of @neuralzoo/datasets) classifies sentences as positive or
 * negative. The trained weights and vocabulary are cached under ~/.cache/neuralzoo/demos/sentiment,
 * so later runs start at once; `--epochs N` retrains. The sentence comes from the command line
 * (`pnpm demo sentiment "I loved it"`) or, without one, is read line by line from the terminal.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { BackendName, data, F, init, manualSeed, optim, tf, train } from '@neuralzoo/core';
import { io } from '@neuralzoo/core/node';
import { loadSentiment } from '@neuralzoo/datasets';
import { TEXT_CNN_SENTIMENT_RECIPE, TextClassificationDataset, TextCnn, textCnn, Vocab, WordTokenizer } from '@neuralzoo/nlp';

export interface SentimentOptions {
  /** TF.js backend. Default 'wasm'. */
  backend?: BackendName;
  /** Train this many epochs even when a cached model exists. Default: load the cache, else train the recipe's epochs. */
  epochs?: number;
  /** Sentences to classify; none = read lines from stdin until an empty line or end of input. */
  texts?: string[];
  /** Cache directory. Default ~/.cache/neuralzoo/demos/sentiment. */
  cacheDir?: string;
  /** Where lines go. Default stdout. */
  print?: (line: string) => void;
}

export interface SentimentPrediction {
  text: string;
  label: 'negative' | 'positive';
  /** Probability of the positive class. */
  positive: number;
}

/** A trained sentiment classifier: tokenizer, vocabulary and model. */
export interface SentimentClassifier {
  model: TextCnn;
  vocab: Vocab;
  tokenizer: WordTokenizer;
  /** Test accuracy on the 600 held-out sentences, when it was measured in this run. */
  accuracy?: number;
}

const RECIPE = TEXT_CNN_SENTIMENT_RECIPE;

/** Positive/negative with the probability of 'positive'; an empty sentence is all padding (still classified). */
export function classify(c: SentimentClassifier, text: string): SentimentPrediction {
  const ids = c.vocab.encode(c.tokenizer.tokenize(text)).slice(0, RECIPE.maxLength);
  const p = tf.tidy(() => {
    const x = tf.tensor2d(ids.length ? [ids] : [[c.vocab.padId]], [1, Math.max(1, ids.length)], 'int32');
    return F.softmax(c.model.forward(x)).dataSync()[1];
  });
  return { text, label: p >= 0.5 ? 'positive' : 'negative', positive: p };
}

/** Trains the recipe's Text CNN (or loads it from the cache). */
export async function sentimentClassifier(opts: SentimentOptions = {}): Promise<SentimentClassifier> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = opts.cacheDir ?? path.join(os.homedir(), '.cache', 'neuralzoo', 'demos', 'sentiment');
  const weights = path.join(dir, 'text_cnn.safetensors');
  const vocabFile = path.join(dir, 'vocab.json');
  const tokenizer = new WordTokenizer({ stem: RECIPE.tokenizer.stem });
  if (opts.epochs === undefined && fs.existsSync(weights) && fs.existsSync(vocabFile)) {
    const vocab = Vocab.fromJSON(fs.readFileSync(vocabFile, 'utf8'));
    const model = textCnn({ ...RECIPE.model, vocabSize: vocab.size });
    const sd = await io.loadSafetensors(weights);
    model.loadStateDict(sd.tensors);
    tf.dispose(Object.values(sd.tensors));
    model.eval();
    print(`loaded the Text CNN from ${dir} (pass --epochs N to retrain)`);
    return { model, vocab, tokenizer };
  }
  manualSeed(RECIPE.seed);
  const trainSet = loadSentiment({ split: 'train' });
  const heldOut = [loadSentiment({ split: 'val' }), loadSentiment({ split: 'test' })];
  const trainTok = trainSet.texts.map((t) => tokenizer.tokenize(t).slice(0, RECIPE.maxLength));
  const vocab = Vocab.build(trainTok, RECIPE.vocab);
  const encode = (t: string) => vocab.encode(tokenizer.tokenize(t));
  const trainDs = new TextClassificationDataset(trainTok.map((t) => vocab.encode(t)), trainSet.labels);
  const testDs = new TextClassificationDataset(
    heldOut.flatMap((s) => s.texts.map(encode)),
    Int32Array.from(heldOut.flatMap((s) => Array.from(s.labels))),
    { maxLength: RECIPE.maxLength, truncation: 'right' },
  );
  const model = textCnn({ ...RECIPE.model, vocabSize: vocab.size });
  const epochs = opts.epochs ?? RECIPE.epochs;
  print(`training a Text CNN (${model.numParameters().toLocaleString('en-US')} parameters, vocabulary ${vocab.size}) on ${trainDs.length} sentences for ${epochs} epochs…`);
  const optimizer = new optim.Adam(model.parameters(), { lr: RECIPE.optimizer.lr });
  await train.fit(model, {
    train: new data.DataLoader(trainDs, { batchSize: RECIPE.batchSize, shuffle: true, seed: RECIPE.seed }),
    loss: 'crossEntropy',
    optimizer,
    epochs,
    metrics: ['accuracy'],
    clipGradNorm: RECIPE.clipGradNorm,
  });
  const { accuracy } = await train.evaluate(model, new data.DataLoader(testDs, { batchSize: 100 }), { loss: 'crossEntropy', metrics: ['accuracy'] });
  print(`test accuracy on ${testDs.length} held-out sentences: ${(100 * accuracy).toFixed(2)}%`);
  fs.mkdirSync(dir, { recursive: true });
  await io.saveSafetensors(weights, model.stateDict());
  fs.writeFileSync(vocabFile, JSON.stringify(vocab));
  model.eval();
  return { model, vocab, tokenizer, accuracy };
}

function show(p: SentimentPrediction): string {
  const conf = p.label === 'positive' ? p.positive : 1 - p.positive;
  return `${p.label} (${(100 * conf).toFixed(1)}%)`;
}

/** Runs the demo: classify the given sentences, or read them from the terminal. */
export async function sentiment(opts: SentimentOptions = {}): Promise<SentimentPrediction[]> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const info = await init({ backend: opts.backend ?? 'wasm' });
  print(`backend: ${info.name}`);
  const clf = await sentimentClassifier({ ...opts, print });
  const out: SentimentPrediction[] = [];
  if (opts.texts?.length) {
    for (const t of opts.texts) {
      const p = classify(clf, t);
      out.push(p);
      print(`${JSON.stringify(t)}: ${show(p)}`);
    }
  } else {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
    print('type a sentence and press Enter (an empty line or Ctrl-D ends)');
    if (process.stdin.isTTY) {
      rl.setPrompt('sentence> ');
      rl.prompt();
    }
    for await (const line of rl) {
      if (!line.trim()) break;
      const p = classify(clf, line);
      out.push(p);
      print(show(p));
      if (process.stdin.isTTY) rl.prompt();
    }
    rl.close();
  }
  clf.model.dispose();
  return out;
}
