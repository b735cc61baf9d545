import * as path from 'path';
import { allocateSharedMemory } from './shared-memory';
import { spawnWorker } from './spawn';

const FIXTURES = path.join(__dirname, '../../../fixtures/parallel');

function ranks(worldSize: number, capacity: number, n: number, failAt?: number): Promise<Array<Record<string, unknown>>> {
  const shared = allocateSharedMemory(worldSize, capacity);
  return Promise.all(
    Array.from({ length: worldSize }, (_, rank) => {
      const w = spawnWorker(FIXTURES, 'collective-worker', { shared, rank, n, failAt });
      return new Promise<Record<string, unknown>>((resolve, reject) => {
        w.once('message', (m) => {
          resolve(m);
          void w.terminate();
        });
        w.once('error', reject);
      });
    }),
  );
}

describe('SharedMemoryCollective', () => {
  it('allReduce (sum, max) and broadcast across 3 worker threads, in chunks smaller than the vectors', async () => {
    const n = 1000; // capacity 64: 16 chunks
    const out = await ranks(3, 64, n);
    for (const r of out) {
      // Σ_r (r + 1 + i/8) = 6 + 3i/8
      expect(r.sum).toEqual([6, 6.375, 6.75]);
      expect(r.last).toBe(6 + (3 * (n - 1)) / 8);
      expect(r.max).toBe(n - 1);
      expect(r.bcast).toBe(10);
    }
  });

  it('a rank that fails aborts the others instead of leaving them waiting', async () => {
    const out = await ranks(3, 64, 10, 2);
    expect(out.find((r) => r.rank === 2)).toEqual({ rank: 2, error: 'boom' });
    expect(out.filter((r) => r.rank !== 2)).toEqual([
      { rank: 0, aborted: 2 },
      { rank: 1, aborted: 2 },
    ]);
  });
});
