import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { adjacency, GraphSet, loadKarateClub, loadLesMiserables } from './graphs';

const degrees = (g: GraphSet) => {
  const d = new Array(g.numNodes).fill(0);
  for (const v of g.edges) d[v]++;
  return d;
};
const count = (labels: Int32Array, c: number) => labels.filter((l) => l === c).length;

describe('loadKarateClub', () => {
  const g = loadKarateClub();

  it("is Zachary's graph: 34 members, 78 friendships, 17 per club", () => {
    expect(g.numNodes).toBe(34);
    expect(g.edges.length).toBe(2 * 78);
    expect(Array.from(g.weights).every((w) => w === 1)).toBe(true);
    expect(g.classes).toEqual(['Mr. Hi', 'Officer']);
    expect([count(g.labels, 0), count(g.labels, 1)]).toEqual([17, 17]);
    // The instructor (0) and the administrator (33) lead the two factions.
    expect([g.labels[0], g.labels[33]]).toEqual([0, 1]);
    const d = degrees(g);
    expect([d[0], d[33], d[32], Math.min(...d)]).toEqual([16, 17, 12, 1]);
    for (let e = 0; e < 78; e++) expect(g.edges[2 * e]).toBeLessThan(g.edges[2 * e + 1]);
  });

  it('has fixed stratified node splits 22 / 6 / 6', () => {
    expect([g.splits.train.length, g.splits.val.length, g.splits.test.length]).toEqual([22, 6, 6]);
    expect([count(Int32Array.from(g.splits.test, (i) => g.labels[i]), 0), count(Int32Array.from(g.splits.test, (i) => g.labels[i]), 1)]).toEqual([3, 3]);
    expect(new Set([...g.splits.train, ...g.splits.val, ...g.splits.test]).size).toBe(34);
    expect(Array.from(g.splits.test)).toEqual(Array.from(loadKarateClub().splits.test));
  });

  it('builds the GCN propagation matrix D^-1/2 (A + I) D^-1/2', () => {
    const a = adjacency(g, { selfLoops: true, normalize: true });
    const n = 34;
    // Symmetric, and entry (0, 1) is 1 / sqrt((16 + 1) (9 + 1)).
    expect(a[0 * n + 1]).toBeCloseTo(1 / Math.sqrt(17 * 10), 6);
    expect(a[1 * n + 0]).toBeCloseTo(a[0 * n + 1], 7);
    expect(a[0]).toBeCloseTo(1 / 17, 6);
    expect(adjacency(g).reduce((s, v) => s + v, 0)).toBe(156);
  });

  it('names the install command when the package is missing', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-karate-'));
    try {
      expect(() => loadKarateClub({ dir: empty })).toThrow(
        `loadKarateClub: ${path.join(empty, 'social', 'karate-club.js')} is missing; the npm package 'graphology-generators' 0.11.2 provides it (install with: pnpm add graphology-generators@0.11.2)`,
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});

describe('loadLesMiserables', () => {
  const g = loadLesMiserables();

  it('has 77 characters, 254 weighted co-appearances (820 in all) and 11 groups', () => {
    expect(g.numNodes).toBe(77);
    expect(g.edges.length).toBe(2 * 254);
    expect(g.weights.reduce((s, w) => s + w, 0)).toBe(820);
    expect(g.classes).toHaveLength(11);
    expect(Array.from({ length: 11 }, (_, c) => count(g.labels, c))).toEqual([3, 10, 14, 10, 11, 10, 1, 2, 13, 1, 2]);
    const d = degrees(g);
    // Valjean meets the most characters.
    expect(g.nodeNames[d.indexOf(Math.max(...d))]).toBe('Valjean');
    expect(Math.max(...d)).toBe(36);
  });

  it('has fixed node splits with singleton groups in train', () => {
    expect([g.splits.train.length, g.splits.val.length, g.splits.test.length]).toEqual([53, 12, 12]);
    const trainClasses = new Set(Array.from(g.splits.train, (i) => g.labels[i]));
    expect(trainClasses.size).toBe(11);
  });
});
