/**
 * The word-level language-modelling corpus of the English Bible (World English Bible, from
 * `@neuralzoo/datasets`), split by chapter and turned into id streams over a train-only vocabulary.
 * Browser-safe: this module takes verses as data; `./bible-node` reads them from the SWORD module.
 *
 * Fixed split (BIBLE_LM_SPLIT): chapters are numbered 0, 1, 2… in canonical order (every book of the
 * module, the deuterocanon included); chapter i goes to `test` when i % 20 === 19, to `valid` when
 * i % 20 === 9, else to `train` (90 / 5 / 5 % of chapters). Whole chapters stay together, so no verse
 * of a test chapter has a neighbour in train.
 */
import { Vocab } from '../text/vocab';

/** The chapter rule of the fixed split: period and the residues that go to valid and test. */
export const BIBLE_LM_SPLIT = Object.freeze({ period: 20, valid: 9, test: 19 });

export type LmSplit = 'train' | 'valid' | 'test';

/** A verse: OSIS reference (`Gen.1.1`) and plain text. */
export interface Verse {
  ref: string;
  text: string;
}

/** Verses grouped by split, each in canonical order. */
export type SplitVerses = Record<LmSplit, Verse[]>;

/** Splits verses (canonical order) by chapter with the BIBLE_LM_SPLIT rule. */
export function splitByChapter(verses: Iterable<Verse>): SplitVerses {
  const out: SplitVerses = { train: [], valid: [], test: [] };
  let chapter = -1;
  let last = '';
  for (const v of verses) {
    const dot = v.ref.lastIndexOf('.');
    if (dot <= 0) throw new Error(`splitByChapter: reference ${JSON.stringify(v.ref)} is not Book.chapter.verse`);
    const key = v.ref.slice(0, dot);
    if (key !== last) {
      chapter++;
      last = key;
    }
    const r = chapter % BIBLE_LM_SPLIT.period;
    out[r === BIBLE_LM_SPLIT.test ? 'test' : r === BIBLE_LM_SPLIT.valid ? 'valid' : 'train'].push(v);
  }
  return out;
}

const WORD = /[a-z]+(?:['’][a-z]+)*|[0-9]+|[^\s\w]/g;

/**
 * The LM corpus tokenization: lower case, words (with inner apostrophes, ’ folded to '), numbers
 * and single punctuation marks. `"God’s Spirit,"` -> `god's spirit ,`.
 */
export function lmTokenize(text: string): string[] {
  return (text.toLowerCase().replace(/’/g, "'").match(WORD) ?? []) as string[];
}

/** Options of `buildLmCorpus`. */
export interface LmCorpusOptions {
  /** Vocabulary size, the 7 special tokens included (most frequent train words kept). Default 5000. */
  vocabSize?: number;
  /** Word tokenizer. Default `lmTokenize`. */
  tokenize?: (text: string) => string[];
}

/** Id streams: each verse's tokens followed by `<eos>`, verses in order. */
export interface LmCorpus {
  vocab: Vocab;
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
  /** Fraction of `<unk>` in each split. */
  unkRate: Record<LmSplit, number>;
}

/** Builds the vocabulary from the train verses only and encodes every split. */
export function buildLmCorpus(splits: SplitVerses, opts: LmCorpusOptions = {}): LmCorpus {
  const vocabSize = opts.vocabSize ?? 5000;
  const tokenize = opts.tokenize ?? lmTokenize;
  const tokens = { train: splits.train.map((v) => tokenize(v.text)), valid: splits.valid.map((v) => tokenize(v.text)), test: splits.test.map((v) => tokenize(v.text)) };
  const vocab = Vocab.build(tokens.train, { maxSize: vocabSize });
  const encode = (verses: string[][]): Int32Array => {
    const out: number[] = [];
    for (const v of verses) out.push(...vocab.encode(v, { addEos: true }));
    return Int32Array.from(out);
  };
  const train = encode(tokens.train);
  const valid = encode(tokens.valid);
  const test = encode(tokens.test);
  const unk = (s: Int32Array) => s.reduce((n, id) => n + (id === vocab.unkId ? 1 : 0), 0) / Math.max(1, s.length);
  return { vocab, train, valid, test, unkRate: { train: unk(train), valid: unk(valid), test: unk(test) } };
}
