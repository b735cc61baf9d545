/**
 * Byte-pair encoding (Sennrich et al., 2016) over characters, trained here. Words are split on
 * whitespace and marked with a leading '▁' (as SentencePiece does), so decoding restores the text
 * with single spaces: `decode(encode(t)) === t.trim().split(/\s+/).join(' ')` (lower-cased when
 * `lowercase`) for every text whose characters were seen in training; unseen characters become `<unk>`.
 */
import { MergeTrainer } from './merge-trainer';
import { whitespaceSplit } from './tokenizers';
import { countTokens, EncodeOptions, SpecialName, Vocab, VocabJSON } from './vocab';

/** Marks the start of a word inside BPE tokens. */
export const WORD_START = '▁';

/** Options of `BpeTokenizer.train`. */
export interface BpeTrainOptions {
  /** Target vocabulary size, specials and the character alphabet included. Default 8000. */
  vocabSize?: number;
  /** A pair must occur at least this often to be merged. Default 2. */
  minFrequency?: number;
  /** Lower-case texts before training and encoding. Default false. */
  lowercase?: boolean;
  /** Special token strings (see `Vocab`). */
  specials?: Partial<Record<SpecialName, string>>;
}

/** The JSON form of a trained BPE tokenizer. */
export interface BpeJSON {
  type: 'bpe';
  version: 1;
  lowercase: boolean;
  /** Merges in training order: each merges two adjacent symbols. */
  merges: [string, string][];
  vocab: VocabJSON;
}

export class BpeTokenizer {
  private readonly ranks: Map<string, number>;
  private readonly cache = new Map<string, string[]>();

  constructor(
    readonly vocab: Vocab,
    readonly merges: readonly (readonly [string, string])[],
    readonly lowercase = false,
  ) {
    this.ranks = new Map(merges.map(([a, b], i) => [`${a} ${b}`, i]));
  }

  /** Learns merges from `texts` until the vocabulary reaches `vocabSize` or no pair is frequent enough. */
  static train(texts: Iterable<string>, opts: BpeTrainOptions = {}): BpeTokenizer {
    const { vocabSize = 8000, minFrequency = 2, lowercase = false, specials = {} } = opts;
    if (!Number.isInteger(minFrequency) || minFrequency < 1) throw new Error(`BpeTokenizer.train: minFrequency must be a positive integer, got ${minFrequency}`);
    const counts = countTokens(mapIter(texts, (t) => whitespaceSplit(lowercase ? t.toLowerCase() : t)));
    const entries = [...counts].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    const words = entries.map(([w]) => Array.from(WORD_START + w));
    const alphabet = [...new Set(words.flat())].sort();
    const base = new Vocab(alphabet, specials);
    if (!Number.isInteger(vocabSize) || vocabSize < base.size)
      throw new Error(`BpeTokenizer.train: vocabSize (${vocabSize}) must be an integer >= specials + alphabet (${base.size})`);
    const trainer = new MergeTrainer(words, entries.map(([, c]) => c));
    const merges: [string, string][] = [];
    const tokens = [...alphabet];
    const seen = new Set(tokens);
    while (base.numSpecial + tokens.length < vocabSize) {
      const pair = trainer.best(minFrequency, (count) => count);
      if (!pair) break;
      const merged = pair[0] + pair[1];
      trainer.merge(pair[0], pair[1], merged);
      merges.push(pair);
      if (!seen.has(merged)) {
        seen.add(merged);
        tokens.push(merged);
      }
    }
    return new BpeTokenizer(new Vocab(tokens, specials), merges, lowercase);
  }

  static fromJSON(json: BpeJSON | string): BpeTokenizer {
    const obj = (typeof json === 'string' ? JSON.parse(json) : json) as BpeJSON;
    if (!obj || obj.type !== 'bpe' || obj.version !== 1) throw new Error(`BpeTokenizer.fromJSON: expected { type: 'bpe', version: 1 }, got type ${JSON.stringify(obj?.type)}`);
    return new BpeTokenizer(Vocab.fromJSON(obj.vocab), obj.merges, obj.lowercase);
  }

  toJSON(): BpeJSON {
    return { type: 'bpe', version: 1, lowercase: this.lowercase, merges: this.merges.map(([a, b]) => [a, b]), vocab: this.vocab.toJSON() };
  }

  /** Subword tokens of `text` ('' -> []). */
  tokenize(text: string): string[] {
    const s = this.lowercase ? text.toLowerCase() : text;
    return whitespaceSplit(s).flatMap((w) => this.word(w));
  }

  /** Token ids; characters never seen in training map to `<unk>`. */
  encode(text: string, opts: EncodeOptions = {}): number[] {
    return this.vocab.encode(this.tokenize(text), opts);
  }

  /** Text from ids (special tokens other than `<unk>` are skipped). */
  decode(ids: ArrayLike<number>): string {
    return this.detokenize(this.vocab.decode(ids));
  }

  detokenize(tokens: readonly string[]): string {
    return tokens.join('').split(WORD_START).join(' ').trim();
  }

  /** Applies merges by rank (lowest first) to one word, as in training. */
  private word(w: string): string[] {
    const hit = this.cache.get(w);
    if (hit) return hit;
    let syms = Array.from(WORD_START + w);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let k = 0; k + 1 < syms.length; k++) {
        const r = this.ranks.get(`${syms[k]} ${syms[k + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          best = k;
        }
      }
      if (best < 0) break;
      const [a, b] = this.merges[bestRank];
      const out: string[] = [];
      for (let k = 0; k < syms.length; k++) {
        if (k + 1 < syms.length && syms[k] === a && syms[k + 1] === b) {
          out.push(a + b);
          k++;
        } else out.push(syms[k]);
      }
      syms = out;
    }
    if (this.cache.size < 100000) this.cache.set(w, syms);
    return syms;
  }
}

function* mapIter<T, U>(it: Iterable<T>, f: (x: T) => U): Iterable<U> {
  for (const x of it) yield f(x);
}
