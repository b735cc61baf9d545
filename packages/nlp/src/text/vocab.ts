/**
 * Vocabulary: a bijection between tokens and integer ids with fixed special tokens first
 * (`<pad>` = 0, `<unk>` = 1, `<bos>` = 2, `<eos>` = 3, `<mask>` = 4, `<cls>` = 5, `<sep>` = 6 by
 * default), built from token counts with a minimum frequency and a maximum size, JSON-serialisable.
 */

/** The default special tokens, in id order: `<pad>` is always id 0 so that zero-filled tensors are padding. */
export const SPECIAL_TOKENS = Object.freeze({
  pad: '<pad>',
  unk: '<unk>',
  bos: '<bos>',
  eos: '<eos>',
  mask: '<mask>',
  cls: '<cls>',
  sep: '<sep>',
} as const);

/** Names of the special tokens (keys of `SPECIAL_TOKENS`). */
export type SpecialName = keyof typeof SPECIAL_TOKENS;

const SPECIAL_NAMES = Object.keys(SPECIAL_TOKENS) as SpecialName[];

/** Options of `Vocab.build`. */
export interface VocabBuildOptions {
  /** Tokens seen fewer times than this are left out (they encode as `<unk>`). Default 1. */
  minFreq?: number;
  /** Largest vocabulary size, special tokens included; the most frequent tokens are kept. Default unlimited. */
  maxSize?: number;
  /** Special token strings, overriding the defaults of `SPECIAL_TOKENS` by name (e.g. `{ cls: '[CLS]' }`). */
  specials?: Partial<Record<SpecialName, string>>;
}

/** The JSON form of a `Vocab` (what `toJSON` returns and `Vocab.fromJSON` reads). */
export interface VocabJSON {
  type: 'vocab';
  version: 1;
  /** Special token strings by name. */
  specials: Record<SpecialName, string>;
  /** Every token in id order (specials first). */
  tokens: string[];
}

/** Options of `Vocab.encode`. */
export interface EncodeOptions {
  /** Prepend `<bos>`. Default false. */
  addBos?: boolean;
  /** Append `<eos>`. Default false. */
  addEos?: boolean;
}

export class Vocab {
  /** Special token strings by name. */
  readonly specials: Readonly<Record<SpecialName, string>>;
  private readonly itos: readonly string[];
  private readonly stoi: ReadonlyMap<string, number>;

  /**
   * A vocabulary over `tokens` (specials are put first, in `SPECIAL_TOKENS` order, whether or not
   * `tokens` lists them). Throws on a duplicate token.
   */
  constructor(tokens: readonly string[], specials: Partial<Record<SpecialName, string>> = {}) {
    const sp = { ...SPECIAL_TOKENS, ...specials } as Record<SpecialName, string>;
    this.specials = Object.freeze(sp);
    const spList = SPECIAL_NAMES.map((n) => sp[n]);
    if (new Set(spList).size !== spList.length) throw new Error(`Vocab: special tokens must be distinct, got [${spList.join(', ')}]`);
    const spSet = new Set(spList);
    const itos = [...spList];
    const stoi = new Map<string, number>(spList.map((t, i) => [t, i]));
    for (const t of tokens) {
      if (spSet.has(t)) continue;
      if (typeof t !== 'string') throw new Error(`Vocab: tokens must be strings, got ${typeof t}`);
      if (stoi.has(t)) throw new Error(`Vocab: duplicate token ${JSON.stringify(t)}`);
      stoi.set(t, itos.length);
      itos.push(t);
    }
    this.itos = Object.freeze(itos);
    this.stoi = stoi;
  }

  /**
   * Builds a vocabulary from tokenized texts: tokens ordered by descending count, ties broken by
   * code-point order (so the result does not depend on corpus order), then cut by `minFreq` and `maxSize`.
   */
  static build(corpus: Iterable<readonly string[]>, opts: VocabBuildOptions = {}): Vocab {
    const { minFreq = 1, maxSize = Infinity, specials = {} } = opts;
    if (!Number.isInteger(minFreq) || minFreq < 1) throw new Error(`Vocab.build: minFreq must be a positive integer, got ${minFreq}`);
    if (maxSize !== Infinity && (!Number.isInteger(maxSize) || maxSize < SPECIAL_NAMES.length))
      throw new Error(`Vocab.build: maxSize (${maxSize}) must be an integer >= the ${SPECIAL_NAMES.length} special tokens`);
    return new Vocab(sortedByCount(countTokens(corpus), minFreq, maxSize - SPECIAL_NAMES.length), specials);
  }

  /** Reads what `toJSON` wrote (an object or its JSON text). */
  static fromJSON(json: VocabJSON | string): Vocab {
    const obj = (typeof json === 'string' ? JSON.parse(json) : json) as VocabJSON;
    if (!obj || obj.type !== 'vocab' || obj.version !== 1 || !Array.isArray(obj.tokens))
      throw new Error(`Vocab.fromJSON: expected { type: 'vocab', version: 1, tokens: [...] }, got type ${JSON.stringify(obj?.type)}`);
    const v = new Vocab(obj.tokens, obj.specials);
    if (v.size !== obj.tokens.length) throw new Error(`Vocab.fromJSON: ${obj.tokens.length} tokens stored but ${v.size} after adding specials`);
    return v;
  }

  /** Number of tokens, specials included. */
  get size(): number {
    return this.itos.length;
  }
  get padId(): number {
    return 0;
  }
  get unkId(): number {
    return 1;
  }
  get bosId(): number {
    return 2;
  }
  get eosId(): number {
    return 3;
  }
  get maskId(): number {
    return 4;
  }
  get clsId(): number {
    return 5;
  }
  get sepId(): number {
    return 6;
  }
  /** Number of special tokens (ids below this are special). */
  get numSpecial(): number {
    return SPECIAL_NAMES.length;
  }

  /** Every token in id order. */
  tokens(): readonly string[] {
    return this.itos;
  }

  has(token: string): boolean {
    return this.stoi.has(token);
  }

  /** The id of `token`, `unkId` when it is not in the vocabulary. */
  id(token: string): number {
    return this.stoi.get(token) ?? this.unkId;
  }

  /** The token of `id`; throws on an id outside [0, size). */
  token(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.itos.length) throw new Error(`Vocab.token: id ${id} is out of range [0, ${this.itos.length})`);
    return this.itos[id];
  }

  isSpecial(id: number): boolean {
    return id >= 0 && id < SPECIAL_NAMES.length;
  }

  /** Tokens -> ids (unknown tokens -> `unkId`); an empty list gives [] (or just bos/eos). */
  encode(tokens: readonly string[], opts: EncodeOptions = {}): number[] {
    const ids = tokens.map((t) => this.id(t));
    if (opts.addBos) ids.unshift(this.bosId);
    if (opts.addEos) ids.push(this.eosId);
    return ids;
  }

  /** Ids -> tokens; `skipSpecial` (default true) drops `<pad>`, `<bos>`, `<eos>`… but keeps `<unk>`. */
  decode(ids: ArrayLike<number>, opts: { skipSpecial?: boolean } = {}): string[] {
    const { skipSpecial = true } = opts;
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (skipSpecial && this.isSpecial(id) && id !== this.unkId) continue;
      out.push(this.token(id));
    }
    return out;
  }

  toJSON(): VocabJSON {
    return { type: 'vocab', version: 1, specials: { ...this.specials }, tokens: [...this.itos] };
  }
}

/** Token counts over a tokenized corpus. */
export function countTokens(corpus: Iterable<readonly string[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const tokens of corpus) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Tokens with count >= minFreq, most frequent first (ties: code-point order), at most `limit`. */
function sortedByCount(counts: Map<string, number>, minFreq: number, limit: number): string[] {
  const kept = [...counts].filter(([, c]) => c >= minFreq);
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return kept.slice(0, Math.max(0, limit)).map(([t]) => t);
}
