import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadSentiment, SENTIMENT_CLASSES } from './sentiment';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const positives = (l: Int32Array) => l.reduce((s, v) => s + v, 0);

describe('loadSentiment', () => {
  const train = loadSentiment({ split: 'train' });
  const val = loadSentiment({ split: 'val' });
  const test = loadSentiment({ split: 'test' });

  it('splits the 3,000 sentences 2,400 / 300 / 300, half positive in each split', () => {
    expect([train, val, test].map((s) => s.texts.length)).toEqual([2400, 300, 300]);
    expect([train, val, test].map((s) => s.labels.length)).toEqual([2400, 300, 300]);
    expect([train, val, test].map((s) => positives(s.labels))).toEqual([1200, 150, 150]);
    expect(train.classes).toEqual(SENTIMENT_CLASSES);
    for (const src of ['amazon', 'imdb', 'yelp'] as const) {
      expect(train.sources.filter((s) => s === src)).toHaveLength(800);
      expect(test.sources.filter((s) => s === src)).toHaveLength(100);
    }
  });

  it('loads one source with 500 / 500 labels over its three splits', () => {
    const parts = (['train', 'val', 'test'] as const).map((split) => loadSentiment({ split, source: 'yelp' }));
    expect(parts.map((p) => p.texts.length)).toEqual([800, 100, 100]);
    expect(parts.reduce((s, p) => s + positives(p.labels), 0)).toBe(500);
    expect(new Set(parts.flatMap((p) => p.sources))).toEqual(new Set(['yelp']));
    // Known sentences of the UCI files keep their labels.
    const all = parts.flatMap((p) => p.texts.map((t, i) => [t, p.labels[i]] as const));
    expect(all.find(([t]) => t === 'Wow... Loved this place.')?.[1]).toBe(1);
    expect(all.find(([t]) => t === 'Crust is not good.')?.[1]).toBe(0);
  });

  it('is a fixed split: disjoint splits, stable checksums', () => {
    const seen = new Set(train.texts.map((t, i) => `${train.sources[i]}|${t}`));
    const overlap = test.texts.filter((t, i) => seen.has(`${test.sources[i]}|${t}`));
    // The UCI files hold a few duplicate sentences, and two of them fall into both train and test.
    expect(overlap).toEqual(["Great phone.", "I won't be back."]);
    expect(sha256(test.texts.join('\n'))).toBe('7b3ba49a2d3f0063bf70997317d99a8cc6ff6f10f397da48e063006614e0436e');
    expect(sha256(Array.from(test.labels).join(''))).toBe('24dcf5fe443bba4d10f8b551096bb7d4f19dcf99caf64fef067f248baa250ce8');
    expect(sha256(train.texts.join('\n'))).toBe('de32e4933cdd3d1b8afc15d74d7a49674502193a201de2b5cb0019aead6ac47a');
  });

  it('rejects bad options and names the install command when files are missing', () => {
    expect(() => loadSentiment({ split: 'dev' as 'val' })).toThrow(`loadSentiment: split must be 'train', 'val' or 'test', got "dev"`);
    expect(() => loadSentiment({ split: 'val', source: 'twitter' as 'yelp' })).toThrow('loadSentiment: source must be one of amazon, imdb, yelp or all, got "twitter"');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-sentiment-'));
    try {
      expect(() => loadSentiment({ split: 'val', dir: empty })).toThrow(
        `loadSentiment: ${path.join(empty, 'amazon.json')} is missing; the npm package 'sentiment' 5.0.2 provides it (install with: pnpm add sentiment@5.0.2)`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
