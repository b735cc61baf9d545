/**
 * Word, regex and character tokenizers. Word tokenizers normalise with `natural` (Porter or
 * Lancaster stemming, diacritics removal); all of them map '' (or whitespace only) to [].
 */
import { LancasterStemmer, PorterStemmer } from 'natural/lib/natural/stemmers';
import { removeDiacritics } from 'natural/lib/natural/normalizers';

/** A tokenizer splits text into string tokens; `detokenize` joins them back. */
export interface Tokenizer {
  tokenize(text: string): string[];
  detokenize(tokens: readonly string[]): string;
}

/** Options of `RegexTokenizer`. */
export interface RegexTokenizerOptions {
  /**
   * Pattern of one token (global flag added if missing). Default: runs of letters/digits with an
   * optional apostrophe suffix ("don't", "it's"), or one other non-space character (punctuation).
   */
  pattern?: RegExp;
  /** When true, `pattern` matches the separators between tokens instead of the tokens. Default false. */
  gaps?: boolean;
  /** Lower-case the text first. Default true. */
  lowercase?: boolean;
  /** Strip accents ('café' -> 'cafe') with natural's removeDiacritics. Default false. */
  stripAccents?: boolean;
  /** Stem every token with natural's 'porter' or 'lancaster' stemmer, or 'none'. Default 'none'. */
  stem?: 'none' | 'porter' | 'lancaster';
  /** Drop tokens made of punctuation only. Default false. */
  dropPunctuation?: boolean;
}

/** Default word pattern: words with an optional 's / n't-style suffix, else one non-space symbol. */
export const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[^\s\p{L}\p{N}]/gu;

const PUNCT_ONLY = /^[^\p{L}\p{N}]+$/u;

/** Tokens by a regular expression, with optional normalisation (lower case, accents, stemming). */
export class RegexTokenizer implements Tokenizer {
  readonly options: Readonly<Required<RegexTokenizerOptions>>;
  private readonly stemmer: ((t: string) => string) | null;

  constructor(opts: RegexTokenizerOptions = {}) {
    const pattern = opts.pattern ?? WORD_PATTERN;
    const flags = pattern.flags.includes('g') ? pattern.flags : pattern.flags + 'g';
    const stem = opts.stem ?? 'none';
    if (stem !== 'none' && stem !== 'porter' && stem !== 'lancaster') throw new Error(`RegexTokenizer: stem must be 'none', 'porter' or 'lancaster', got '${stem}'`);
    this.options = Object.freeze({
      pattern: new RegExp(pattern.source, flags),
      gaps: opts.gaps ?? false,
      lowercase: opts.lowercase ?? true,
      stripAccents: opts.stripAccents ?? false,
      stem,
      dropPunctuation: opts.dropPunctuation ?? false,
    });
    this.stemmer = stem === 'porter' ? (t) => PorterStemmer.stem(t) : stem === 'lancaster' ? (t) => LancasterStemmer.stem(t) : null;
  }

  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new Error(`RegexTokenizer.tokenize: expected a string, got ${typeof text}`);
    const o = this.options;
    let s = text;
    if (o.lowercase) s = s.toLowerCase();
    if (o.stripAccents) s = removeDiacritics(s);
    const re = new RegExp(o.pattern.source, o.pattern.flags); // fresh lastIndex
    let tokens = o.gaps ? s.split(re).filter((t) => t.length > 0) : Array.from(s.matchAll(re), (m) => m[0]).filter((t) => t.length > 0);
    if (o.dropPunctuation) tokens = tokens.filter((t) => !PUNCT_ONLY.test(t));
    const stem = this.stemmer;
    // natural's stemmers lower-case; only stem word tokens so punctuation is kept as is.
    return stem ? tokens.map((t) => (PUNCT_ONLY.test(t) ? t : stem(t))) : tokens;
  }

  /** Joins tokens with single spaces (a tokenization is not invertible in general). */
  detokenize(tokens: readonly string[]): string {
    return tokens.join(' ');
  }
}

/** Word tokenizer: `RegexTokenizer` with the default word pattern (lower-cased, punctuation kept). */
export class WordTokenizer extends RegexTokenizer {
  constructor(opts: Omit<RegexTokenizerOptions, 'pattern' | 'gaps'> = {}) {
    super(opts);
  }
}

/** Options of `CharTokenizer`. */
export interface CharTokenizerOptions {
  /** Lower-case the text first. Default false. */
  lowercase?: boolean;
}

/** One token per Unicode code point (surrogate pairs stay whole); exact round trip when not lower-casing. */
export class CharTokenizer implements Tokenizer {
  readonly lowercase: boolean;
  constructor(opts: CharTokenizerOptions = {}) {
    this.lowercase = opts.lowercase ?? false;
  }
  tokenize(text: string): string[] {
    if (typeof text !== 'string') throw new Error(`CharTokenizer.tokenize: expected a string, got ${typeof text}`);
    return Array.from(this.lowercase ? text.toLowerCase() : text);
  }
  detokenize(tokens: readonly string[]): string {
    return tokens.join('');
  }
}

/** Splits on whitespace: the pre-tokenizer of the subword tokenizers. */
export function whitespaceSplit(text: string): string[] {
  return text.split(/\s+/u).filter((w) => w.length > 0);
}

/**
 * Splits text into sentences after '.', '!' or '?' (runs of them, optionally followed by closing
 * quotes or brackets) and at blank lines; trims each and drops empty ones ('' -> []).
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?]+["')\]]*)\s+|\n\s*\n/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
