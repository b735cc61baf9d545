/**
 * Reader for SWORD Bible modules of the compressed `zText` driver (the format of Debian's
 * `sword-text-*` packages). A module is described by `mods.d/<name>.conf` (INI-like: `[Name]`,
 * `DataPath=`, `ModDrv=`, `CompressType=`…) and stored per testament (`ot`, `nt`) as three files:
 *
 *   <t>.bzs  blocks: 12 bytes each, uint32 LE offset into .bzz, compressed size, uncompressed size
 *   <t>.bzz  the blocks, each one zlib stream
 *   <t>.bzv  entries: 10 bytes each, uint32 LE block number, uint32 LE offset in the inflated
 *            block, uint16 LE length in bytes (0: no text)
 *
 * Entries run in versification order: 0 module heading, 1 testament heading, then per book a book
 * heading and per chapter a chapter heading followed by its verses. Rather than carrying the
 * versification tables, `readVerses` finds chapter headings by the OSIS `<chapter sID="Book.N"/>`
 * milestone that osis2mod writes into them: verse v of a chapter is the entry v places after its
 * heading, and the entry before a chapter 1 heading is that book's heading.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

/** The key=value settings of one module's .conf (the `[Name]` line as `name`). */
export type SwordConf = Record<string, string>;

/** Parses a SWORD .conf file's text (later duplicate keys win; continuation lines are joined). */
export function parseSwordConf(text: string): SwordConf {
  const conf: SwordConf = {};
  let last = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    const head = /^\[(.+)\]$/.exec(line.trim());
    if (head) conf.name = head[1];
    else if (/^\s*#/.test(line) || !line.trim()) continue;
    else if (last && conf[last]?.endsWith('\\')) conf[last] = conf[last].slice(0, -1) + line.trim();
    else {
      const eq = line.indexOf('=');
      if (eq > 0) conf[(last = line.slice(0, eq).trim())] = line.slice(eq + 1).trim();
    }
  }
  return conf;
}

/** Reads one testament of a zText module: the UTF-8 text of every index entry ('' when empty). */
export function readZText(dataDir: string, testament: 'ot' | 'nt'): string[] {
  const file = (ext: string) => path.join(dataDir, `${testament}.${ext}`);
  const bzs = fs.readFileSync(file('bzs'));
  const bzv = fs.readFileSync(file('bzv'));
  const bzz = fs.readFileSync(file('bzz'));
  if (bzs.length % 12 || bzv.length % 10)
    throw new Error(`readZText: ${file('bzs')} (${bzs.length} bytes) or ${file('bzv')} (${bzv.length} bytes) is not a whole number of records`);
  const blocks: (Buffer | null)[] = new Array(bzs.length / 12).fill(null);
  const block = (b: number): Buffer => {
    if (b >= blocks.length) throw new Error(`readZText: ${file('bzv')} points at block ${b}, but ${file('bzs')} has ${blocks.length}`);
    if (!blocks[b]) {
      const off = bzs.readUInt32LE(12 * b);
      const size = bzs.readUInt32LE(12 * b + 4);
      const inflated = zlib.inflateSync(bzz.subarray(off, off + size));
      if (inflated.length !== bzs.readUInt32LE(12 * b + 8))
        throw new Error(`readZText: block ${b} of ${file('bzz')} inflates to ${inflated.length} bytes, index says ${bzs.readUInt32LE(12 * b + 8)}`);
      blocks[b] = inflated;
    }
    return blocks[b]!;
  };
  const out: string[] = [];
  for (let i = 0; i < bzv.length / 10; i++) {
    const len = bzv.readUInt16LE(10 * i + 8);
    if (!len) {
      out.push('');
      continue;
    }
    const b = block(bzv.readUInt32LE(10 * i));
    const off = bzv.readUInt32LE(10 * i + 4);
    if (off + len > b.length) throw new Error(`readZText: entry ${i} of ${file('bzv')} runs past the end of its block`);
    out.push(b.toString('utf8', off, off + len));
  }
  return out;
}

const CHAPTER_START = /<chapter\b[^>]*\bsID="([^".]+)\.(\d+)"/;

/**
 * The verses of one testament's entries as `Book.chapter.verse` (OSIS book ids) → raw OSIS text,
 * in order, keeping only entries with text.
 */
export function versesOf(entries: string[]): Map<string, string> {
  const heads: { at: number; book: string; chapter: number }[] = [];
  entries.forEach((e, at) => {
    const m = CHAPTER_START.exec(e);
    if (m) heads.push({ at, book: m[1], chapter: Number(m[2]) });
  });
  const verses = new Map<string, string>();
  heads.forEach((h, k) => {
    const next = heads[k + 1];
    // The entry before the next book's first chapter heading is that book's heading.
    const end = next ? next.at - (next.chapter === 1 ? 1 : 0) : entries.length;
    for (let at = h.at + 1; at < end; at++) if (entries[at].trim()) verses.set(`${h.book}.${h.chapter}.${at - h.at}`, entries[at]);
  });
  return verses;
}

const BOOK_END = /<div\b(?=[^>]*\beID=)(?=[^>]*\btype="book")[^>]*\/>/;

/**
 * Plain text of an OSIS verse: anything after the end of its book (`<div type="book" eID…/>`,
 * e.g. a glossary appended to the last verse) is cut, footnotes (`<note>`) and headings (`<title>`) are dropped, other
 * tags removed (their text kept), whitespace collapsed, and no space left before closing
 * punctuation (a dropped note between two words leaves one space).
 */
export function osisToText(osis: string): string {
  return osis
    .split(BOOK_END)[0]
    .replace(/<note\b[^>]*\/>|<note\b[^>]*>[\s\S]*?<\/note>/g, ' ')
    .replace(/<title\b[^>]*\/>|<title\b[^>]*>[\s\S]*?<\/title>/g, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:!?”’)\]])/g, '$1')
    .trim();
}

/** A zText module: its conf and its raw verses (both testaments, Old first). */
export interface SwordModule {
  conf: SwordConf;
  verses: Map<string, string>;
}

/**
 * Reads the zText module `name` under a SWORD library root (`<root>/mods.d/<name>.conf`, case as
 * installed). Throws if the module is not zText/ZIP.
 */
export function readSwordModule(root: string, name: string): SwordModule {
  const confFile = path.join(root, 'mods.d', `${name}.conf`);
  const conf = parseSwordConf(fs.readFileSync(confFile, 'utf8'));
  if ((conf.ModDrv ?? '').toLowerCase() !== 'ztext' || (conf.CompressType ?? 'ZIP').toUpperCase() !== 'ZIP')
    throw new Error(`readSwordModule: ${confFile} is ModDrv=${conf.ModDrv}, CompressType=${conf.CompressType}; only zText with ZIP is supported`);
  const dataDir = path.join(root, conf.DataPath ?? '');
  const verses = new Map<string, string>();
  for (const t of ['ot', 'nt'] as const) {
    if (!fs.existsSync(path.join(dataDir, `${t}.bzv`))) continue;
    for (const [k, v] of versesOf(readZText(dataDir, t))) verses.set(k, v);
  }
  return { conf, verses };
}
