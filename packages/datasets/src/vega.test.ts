import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { columnStats } from './tabular';
import { loadCars, loadPenguins } from './vega';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
const splits = ['train', 'val', 'test'] as const;
const perClass = (l: Int32Array) => [0, 1, 2].map((c) => l.filter((v) => v === c).length);

describe('vega-datasets tabular sets', () => {
  it('Palmer penguins: 342 complete rows, 151 / 68 / 123 per species, split 272 / 33 / 37', () => {
    const p = splits.map((split) => loadPenguins({ split }));
    expect(p.map((s) => s.shape)).toEqual([[272, 4], [33, 4], [37, 4]]);
    expect(p.map((s) => perClass(s.labels))).toEqual([[120, 54, 98], [15, 6, 12], [16, 8, 13]]);
    expect(p[0].classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(p[0].featureNames[3]).toBe('Body Mass (g)');
    // Gentoo penguins are the heaviest: class mean body mass ordering.
    const mass = (c: number) => {
      const s = p[0];
      const rows = Array.from(s.labels.keys()).filter((i) => s.labels[i] === c);
      return rows.reduce((t, i) => t + s.features[i * 4 + 3], 0) / rows.length;
    };
    expect(mass(2)).toBeGreaterThan(mass(0) + 1000);
    expect(sha256(p[2].features)).toBe('b146d0d0ad9cd0b680f07cb748d92b5481f7b10584c414187f04917060a61d5f');
    expect(sha256(p[2].labels)).toBe('2b9281c8b99f0560b621363ec6d9ad8af94f01bfa451fa75ba137031ea428c40');
  });

  it('Auto MPG: 392 complete cars, origin USA 245 / Europe 68 / Japan 79, split 313 / 37 / 42', () => {
    const p = splits.map((split) => loadCars({ split }));
    expect(p.map((s) => s.shape)).toEqual([[313, 7], [37, 7], [42, 7]]);
    const totals = p.map((s) => perClass(s.labels)).reduce((a, b) => a.map((v, k) => v + b[k]));
    expect(totals).toEqual([245, 68, 79]);
    // Model years 1970–1982 parsed from the dates.
    const all = { ...p[0], features: Float32Array.from([...p[0].features, ...p[1].features, ...p[2].features]), shape: [392, 7] as [number, number] };
    const years = Array.from({ length: 392 }, (_, i) => all.features[i * 7 + 6]);
    expect([Math.min(...years), Math.max(...years)]).toEqual([1970, 1982]);
    // The classic Auto MPG mean of 23.45 mpg over the 392 complete cars.
    expect(columnStats(all).mean[0]).toBeCloseTo(23.446, 2);
    expect(sha256(p[2].features)).toBe('cfe2347e086e513f93bf1b786c9ce179c17f99d68473127f5a8da138ba823754');
  });

  it('names the install command when files are missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-vega-'));
    try {
      expect(() => loadPenguins({ split: 'val', dir: empty })).toThrow(
        `loadPenguins: ${path.join(empty, 'penguins.json')} is missing; the npm package 'vega-datasets' 3.2.1 provides it (install with: pnpm add vega-datasets@3.2.1)`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});
