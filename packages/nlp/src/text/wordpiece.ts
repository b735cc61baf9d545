/**
 * WordPiece (Schuster & Nakajima, 2012; as in BERT), trained here: words (whitespace split, every
 * punctuation character its own word) are cut into the longest vocabulary pieces from the left,
 * continuation pieces prefixed '##'. Training merges the pair with the highest
 * count(ab) / (count(a)·count(b)). A word that cannot be cut, or longer than `maxCharsPerWord`,
 * becomes one `<unk>`. `decode(encode(t))` gives t's words joined by single spaces.
 */
import { MergeTrainer } from './merge-trainer';
import { countTokens, EncodeOptions, SpecialName, Vocab, VocabJSON } from './vocab';

/** Prefix of pieces that continue a word. */
export const CONTINUATION = '##';

const PRE_TOKEN = /[\p{L}\p{N}\p{M}]+|[^\s\p{L}\p{N}\p{M}]/gu;

/** Options of `WordPieceTokenizer.train`. */
export interface WordPieceTrainOptions {
  /** Target vocabulary size, specials and the alphabet included. Default 8000. */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged. Default 2. */
  minFrequency?: number;
  /** Lower-case texts before training and encoding. Default true (uncased, as bert-base-uncased). */
  lowercase?: boolean;
  /** Words longer than this many characters encode as `<unk>`. Default 100. */
  maxCharsPerWord?: number;
  /** Special token strings (see `Vocab`). */
  specials?: Partial<Record<SpecialName, string>>;
  /**
   * Merge score: 'likelihood' = count(ab) / (count(a)·count(b)) (Schuster & Nakajima; favours rare
   * pairs, so a small vocabulary leaves frequent words cut into characters) or 'frequency' =
   * count(ab) (BPE merges read as WordPiece, as Hugging Face tokenizers' WordPieceTrainer does).
   * Default 'likelihood'.
   */
  score?: 'likelihood' | 'frequency';
}

/** The JSON form of a trained WordPiece tokenizer. */
export interface WordPieceJSON {
  type: 'wordpiece';
  version: 1;
  lowercase: boolean;
  maxCharsPerWord: number;
  vocab: VocabJSON;
}

export class WordPieceTokenizer {
  constructor(
    readonly vocab: Vocab,
    readonly lowercase = true,
    readonly maxCharsPerWord = 100,
  ) {}

  /** Pre-tokenization: words and single punctuation characters ('' -> []). */
  preTokenize(text: string): string[] {
    return (this.lowercase ? text.toLowerCase() : text).match(PRE_TOKEN) ?? [];
  }

  static train(texts: Iterable<string>, opts: WordPieceTrainOptions = {}): WordPieceTokenizer {
    const { vocabSize = 8000, minFrequency = 2, lowercase = true, maxCharsPerWord = 100, specials = {}, score = 'likelihood' } = opts;
    if (score !== 'likelihood' && score !== 'frequency') throw new Error(`WordPieceTokenizer.train: score must be 'likelihood' or 'frequency', got '${String(score)}'`);
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new Error(`WordPieceTokenizer.train: minFrequency must be a positive integer, got ${minFrequency}`);
    const pre = new WordPieceTokenizer(new Vocab([]), lowercase, maxCharsPerWord);
    const counts = countTokens(mapIter(texts, (t) => pre.preTokenize(t)));
    const entries = [...counts].filter(([w]) => Array.from(w).length <= maxCharsPerWord).sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const words = entries.map(([w]) => Array.from(w).map((c, i) => (i === 0 ? c : CONTINUATION + c)));
    const alphabet = [...new Set(words.flat())].sort();
    const base = new Vocab(alphabet, specials);
    if (!Number.isInteger(vocabSize) || vocabSize < base.size)
      throw new Error(`WordPieceTokenizer.train: vocabSize (${vocabSize}) must be an integer >= specials + alphabet (${base.size})`);
    const trainer = new MergeTrainer(words, entries.map(([, c]) => c));
    const tokens = [...alphabet];
    const seen = new Set(tokens);
    const sc = trainer.symbolCount;
    while (base.numSpecial + tokens.length < vocabSize) {
      const pair = trainer.best(minFrequency, score === 'frequency' ? (count) => count : (count, a, b) => count / (sc.get(a)! * sc.get(b)!));
      if (!pair) break;
      const merged = pair[0] + pair[1].slice(CONTINUATION.length);
      trainer.merge(pair[0], pair[1], merged);
      if (!seen.has(merged)) {
        seen.add(merged);
        tokens.push(merged);
      }
    }
    return new WordPieceTokenizer(new Vocab(tokens, specials), lowercase, maxCharsPerWord);
  }

  static fromJSON(json: WordPieceJSON | string): WordPieceTokenizer {
    const obj = (typeof json === 'string' ? JSON.parse(json) : json) as WordPieceJSON;
    if (!obj || obj.type !== 'wordpiece' || obj.version !== 1)
      throw new Error(`WordPieceTokenizer.fromJSON: expected { type: 'wordpiece', version: 1 }, got type ${JSON.stringify(obj?.type)}`);
    return new WordPieceTokenizer(Vocab.fromJSON(obj.vocab), obj.lowercase, obj.maxCharsPerWord);
  }

  toJSON(): WordPieceJSON {
    return { type: 'wordpiece', version: 1, lowercase: this.lowercase, maxCharsPerWord: this.maxCharsPerWord, vocab: this.vocab.toJSON() };
  }

  tokenize(text: string): string[] {
    return this.preTokenize(text).flatMap((w) => this.word(w));
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    return this.vocab.encode(this.tokenize(text), opts);
  }

  decode(ids: ArrayLike<number>): string {
    return this.detokenize(this.vocab.decode(ids));
  }

  /** Joins pieces: '##' pieces attach to the previous one, words are separated by one space. */
  detokenize(tokens: readonly string[]): string {
    let out = '';
    for (const t of tokens) {
      if (t.startsWith(CONTINUATION) && t.length > CONTINUATION.length && out) out += t.slice(CONTINUATION.length);
      else out += (out ? ' ' : '') + t;
    }
    return out;
  }

  /** Greedy longest-match-first cut of one word into vocabulary pieces; [`<unk>`] when impossible. */
  private word(w: string): string[] {
    const chars = Array.from(w);
    const unk = [this.vocab.specials.unk];
    if (chars.length > this.maxCharsPerWord) return unk;
    const out: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let piece: string | null = null;
      while (end > start) {
        const sub = (start > 0 ? CONTINUATION : '') + chars.slice(start, end).join('');
        if (this.vocab.has(sub)) {
          piece = sub;
          break;
        }
        end--;
      }
      if (piece === null) return unk;
      out.push(piece);
      start = end;
    }
    return out;
  }
}

function* mapIter<T, U>(it: Iterable<T>, f: (x: T) => U): Iterable<U> {
  for (const x of it) yield f(x);
}
