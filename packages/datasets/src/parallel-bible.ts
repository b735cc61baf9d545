/**
 * An English–Spanish parallel corpus from two Bibles packaged for Debian as SWORD modules:
 * the World English Bible (`sword-text-web`, module engWEB2015eb, NRSVA versification) and the
 * Reina-Valera 1909 (`sword-text-sparv`, module spaRV1909eb, KJV versification). Both are public
 * domain. Verses are read with our zText reader (`./sword`) and turned into plain text (notes and
 * headings dropped).
 *
 * Alignment: verses are paired by reference (`Book.chapter.verse`) when both have text. Where
 * Spanish chapter divisions differ from English ones (e.g. Spanish Num 13:1 = English 12:16), the
 * RV1909 module shifts verses against the KJV references, so two kinds of chapter are dropped:
 *  - a chapter where the Spanish lacks a verse that the English has (its text moved to the next
 *    chapter or merged into the verse before), and the chapter after it;
 *  - a chapter of at least 4 pairs whose verse lengths correlate better with the other side
 *    shifted by one verse (Pearson r of log lengths at offset ±1 above 0.6 and above the
 *    unshifted r by more than 0.2).
 * The result is PARALLEL_BIBLE_SIZE verse pairs (books only in the WEB, the deuterocanon, have no
 * partner). Fixed splits: `stratifiedSplit` (one class) with PARALLEL_BIBLE_SPLIT_SEED, 80/10/10.
 * The aligned pairs are cached (`./cache`) keyed by the module files' sizes and mtimes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cached } from './cache';
import { aptHint, checkSplitTVT, requireFile, SplitTVT, stratifiedSplit, take } from './common';
import { osisToText, parseSwordConf, readSwordModule } from './sword';

/** Where Debian's SWORD modules live. */
export const SWORD_DIR = '/usr/share/sword';
/** Seed of the fixed splits (the RV revision is of 1909). */
export const PARALLEL_BIBLE_SPLIT_SEED = 1909;
/** Verse pairs after alignment, all splits together. */
export const PARALLEL_BIBLE_SIZE = 30497;

const MODULES = { en: { name: 'engWEB2015eb', apt: 'sword-text-web' }, es: { name: 'spaRV1909eb', apt: 'sword-text-sparv' } };

export interface LoadParallelBibleOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %). */
  split: SplitTVT;
  /** SWORD library root holding mods.d/ and modules/. Default /usr/share/sword. */
  dir?: string;
  /** Folder caching the aligned pairs (default ~/.cache/neuralzoo); false: always parse. */
  cacheDir?: string | false;
}

/** Aligned sentence pairs: `source[i]` (English) translates to `target[i]` (Spanish). */
export interface ParallelSet {
  /** English verses (World English Bible). */
  source: string[];
  /** Spanish verses (Reina-Valera 1909). */
  target: string[];
  /** OSIS reference of each pair, e.g. `John.3.16`. */
  refs: string[];
  /** ISO 639-1 code of `source`: 'en'. */
  sourceLang: string;
  /** ISO 639-1 code of `target`: 'es'. */
  targetLang: string;
}

interface Pairs {
  /** One (dummy) class per pair, kept so the split is memoised. */
  classes: Int32Array;
  source: string[];
  target: string[];
  refs: string[];
}

let memo: { key: string; pairs: Pairs } | null = null;

const chapterOf = (ref: string) => ref.slice(0, ref.lastIndexOf('.'));
const verseOf = (ref: string) => Number(ref.slice(ref.lastIndexOf('.') + 1));

function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 3) return NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Whether a chapter's English/Spanish verse lengths fit better shifted by one verse. */
function looksShifted(verses: Map<number, [number, number]>): boolean {
  if (verses.size < 4) return false;
  const r = (offset: number) => {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const [v, [en]] of verses) {
      const other = verses.get(v + offset);
      if (other) {
        xs.push(Math.log(en));
        ys.push(Math.log(other[1]));
      }
    }
    return pearson(xs, ys);
  };
  const r0 = r(0);
  return [r(1), r(-1)].some((rs) => rs > 0.6 && !(rs <= (Number.isNaN(r0) ? -1 : r0) + 0.2));
}

function align(dir: string, cacheDir?: string | false): Pairs {
  const key = `${dir}|${cacheDir}`;
  if (memo && memo.key === key) return memo.pairs;
  const sources: string[] = [];
  for (const lang of ['en', 'es'] as const) {
    const m = MODULES[lang];
    const conf = requireFile('loadParallelBible', path.join(dir, 'mods.d', `${m.name}.conf`), aptHint(m.apt));
    const dataDir = path.join(dir, parseSwordConf(fs.readFileSync(conf, 'utf8')).DataPath ?? '');
    sources.push(conf, ...['ot', 'nt'].flatMap((t) => ['bzs', 'bzv', 'bzz'].map((e) => path.join(dataDir, `${t}.${e}`))).filter((f) => fs.existsSync(f)));
  }
  const stored = cached(`parallel-bible-en-es.v1`, sources, () => alignModules(dir), { dir: cacheDir });
  const pairs: Pairs = { ...stored, classes: new Int32Array(stored.refs.length) };
  memo = { key, pairs };
  return pairs;
}

function alignModules(dir: string): Omit<Pairs, 'classes'> {
  const text = {} as Record<'en' | 'es', Map<string, string>>;
  for (const lang of ['en', 'es'] as const) {
    const m = MODULES[lang];
    requireFile('loadParallelBible', path.join(dir, 'mods.d', `${m.name}.conf`), aptHint(m.apt));
    const plain = new Map<string, string>();
    for (const [ref, osis] of readSwordModule(dir, m.name).verses) {
      const t = osisToText(osis);
      if (t) plain.set(ref, t);
    }
    text[lang] = plain;
  }
  // Chapters where the Spanish module lacks a verse the English has (its text moved into the next
  // chapter, or merged into the previous verse), and the chapter after each.
  const versesIn = (map: Map<string, string>) => {
    const by = new Map<string, Set<number>>();
    for (const ref of map.keys()) {
      const c = chapterOf(ref);
      if (!by.has(c)) by.set(c, new Set());
      by.get(c)!.add(verseOf(ref));
    }
    return by;
  };
  const en = versesIn(text.en);
  const es = versesIn(text.es);
  const dropped = new Set<string>();
  for (const [c, vs] of es) {
    const other = en.get(c);
    if (!other) continue;
    if ([...other].some((v) => !vs.has(v))) {
      const [book, ch] = [c.slice(0, c.lastIndexOf('.')), Number(c.slice(c.lastIndexOf('.') + 1))];
      dropped.add(c).add(`${book}.${ch + 1}`);
    }
  }
  const byChapter = new Map<string, Map<number, [number, number]>>();
  for (const [ref, e] of text.en) {
    const s = text.es.get(ref);
    if (s === undefined || dropped.has(chapterOf(ref))) continue;
    const c = chapterOf(ref);
    if (!byChapter.has(c)) byChapter.set(c, new Map());
    byChapter.get(c)!.set(verseOf(ref), [e.length, s.length]);
  }
  for (const [c, verses] of byChapter) if (looksShifted(verses)) dropped.add(c);
  const pairs: Omit<Pairs, 'classes'> = { source: [], target: [], refs: [] };
  for (const [ref, e] of text.en) {
    const s = text.es.get(ref);
    if (s === undefined || dropped.has(chapterOf(ref))) continue;
    pairs.source.push(e);
    pairs.target.push(s);
    pairs.refs.push(ref);
  }
  return pairs;
}

/**
 * Loads a fixed split of the English (WEB) – Spanish (RV1909) verse pairs. Needs the Debian
 * packages: `apt-get install sword-text-web sword-text-sparv`.
 */
export function loadParallelBible(opts: LoadParallelBibleOptions): ParallelSet {
  checkSplitTVT('loadParallelBible', opts?.split);
  const all = align(opts.dir ?? SWORD_DIR, opts.cacheDir);
  const index = stratifiedSplit(all.classes, PARALLEL_BIBLE_SPLIT_SEED)[opts.split];
  return { source: take(all.source, index), target: take(all.target, index), refs: take(all.refs, index), sourceLang: 'en', targetLang: 'es' };
}
