import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { expectClose } from '@neuralzoo/core/testing';
import { c10dAvailable, C10D_INSTALL_HINT, loadC10d, RankError, resolveOptions } from './index';
import { dataParallel } from './parallel';
import { CaseConfig, flatParams, trainCase } from '../../fixtures/c10d/cases';

const FIXTURES = path.join(__dirname, '../../fixtures/c10d');
const REGISTER = path.join(FIXTURES, 'register.js');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND ?? 'wasm';

/** A port nothing listens on now (the launcher's way of picking MASTER_PORT). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface RankRun {
  code: number | null;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  out: any;
}

/** Runs `script` (a fixture) as `n` rank processes on loopback, as `neuralzoo launch` would. */
async function runRanks(n: number, script: string, args: string[] = []): Promise<{ ranks: RankRun[]; seconds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-c10d-'));
  const port = await freePort();
  const started = Date.now();
  const ranks = await Promise.all(
    Array.from({ length: n }, (_, rank) => {
      const out = path.join(dir, `rank${rank}.json`);
      const env = { ...process.env, MASTER_ADDR: '127.0.0.1', MASTER_PORT: String(port), RANK: String(rank), WORLD_SIZE: String(n) };
      const child = spawn(process.execPath, ['-r', REGISTER, path.join(FIXTURES, script), ...args, out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      return new Promise<RankRun>((resolve) =>
        child.on('exit', (code) => resolve({ code, stderr, out: fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, 'utf8')) : null })),
      );
    }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
  return { ranks, seconds: (Date.now() - started) / 1000 };
}

describe('c10d options', () => {
  it('reads the rendezvous from torchrun variables and names the one that is missing or wrong', () => {
    const env = { MASTER_ADDR: '10.0.0.2', MASTER_PORT: '29500', RANK: '3', WORLD_SIZE: '4', LOCAL_RANK: '1' };
    const saved = { ...process.env };
    try {
      Object.assign(process.env, env);
      expect(resolveOptions()).toEqual({ masterAddr: '10.0.0.2', masterPort: 29500, rank: 3, worldSize: 4, device: 1, timeoutMs: 1_800_000, backend: 'gloo' });
      expect(resolveOptions({ rank: 0, backend: 'auto' })).toMatchObject({ rank: 0, backend: 'auto' });
      delete process.env.RANK;
      expect(() => resolveOptions()).toThrow('c10d: RANK is not set (start the ranks with `neuralzoo launch --nproc N -- <command>` or torchrun, or pass { rank })');
      expect(() => dataParallel({ transport: 'c10d' })).toThrow('c10d: RANK is not set');
      process.env.RANK = '4';
      expect(() => resolveOptions()).toThrow('c10d: rank 4 is out of range for world size 4');
      process.env.MASTER_PORT = 'x';
      expect(() => resolveOptions()).toThrow("c10d: MASTER_PORT must be an integer >= 1, got 'x'");
      delete process.env.MASTER_ADDR;
      expect(() => resolveOptions()).toThrow('c10d: MASTER_ADDR is not set');
    } finally {
      for (const k of Object.keys(env)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('without libtorch the build exits 0 and records why; the transport then says why and what to install', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-c10d-build-'));
    try {
      const script = path.join(__dirname, '../../scripts/build-c10d.js');
      const r = spawnSync(process.execPath, [script, '--out-dir', dir], { env: { ...process.env, LIBTORCH: '/nonexistent/libtorch' }, encoding: 'utf8' });
      expect(r.status).toBe(0);
      const reason = 'LIBTORCH=/nonexistent/libtorch has no include/ATen/ATen.h and lib/libtorch_cpu.so (expected a libtorch or python torch package folder)';
      expect(r.stderr).toContain(`c10d addon not built: ${reason}`);
      expect(r.stderr).toContain('apt-get install libtorch-dev libgloo-dev');
      expect(JSON.parse(fs.readFileSync(path.join(dir, 'c10d-status.json'), 'utf8'))).toEqual({ ok: false, reason });
      expect(fs.existsSync(path.join(dir, 'c10d.node'))).toBe(false);
      expect(() => loadC10d(path.join(dir, 'c10d.node'), path.join(dir, 'c10d-status.json'))).toThrow(
        `c10d: the c10d addon is not built: ${reason}; install libtorch and Gloo (\`apt-get install libtorch-dev libgloo-dev\``,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failure report names the rank and the step', () => {
    expect(new RankError({ rank: 1, step: 5, message: 'bad shard' }).message).toBe('dataParallel: rank 1 failed at step 5: bad shard');
    expect(new RankError({ rank: null, step: 2, message: 'x' }).message).toBe('dataParallel: a rank failed at step 2: x');
    expect(C10D_INSTALL_HINT).toContain('apt-get install libtorch-dev libgloo-dev');
  });
});

const available = c10dAvailable();
if (!available) console.warn(`[backend-torch] c10d addon not built: skipping the multi-process c10d tests (${C10D_INSTALL_HINT})`);
const describeC10d = available ? describe : describe.skip;
const label = available ? '' : ' (SKIPPED: build/c10d.node is not built; pnpm --filter @neuralzoo/backend-torch build:c10d)';

describeC10d(`c10d Gloo on loopback, 2 processes${label}`, () => {
  it('all-reduces (sum, mean, max, min), broadcasts and meets at a barrier', async () => {
    const { ranks } = await runRanks(2, 'ops.ts');
    for (const [rank, r] of ranks.entries()) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.out).toMatchObject({ rank, worldSize: 2, backend: 'gloo', broadcast: [1, 1, 1], big: [3, 3] });
      expectClose(r.out.sum, [3, -1, 0.3], { rtol: 1e-6 });
      expectClose(r.out.mean, [1.5, -0.5, 0.15], { rtol: 1e-6 });
      expect(r.out.max).toEqual(Array.from(new Float32Array([2, 0, 0.2])));
      expect(r.out.min).toEqual(Array.from(new Float32Array([1, -1, 0.1])));
    }
  });

  const equivalence = async (cfg: CaseConfig) => {
    const ref = await trainCase(cfg);
    const expected = flatParams(ref.model);
    const { ranks, seconds } = await runRanks(2, 'rank.ts', [JSON.stringify(cfg)]);
    for (const r of ranks) {
      if (r.code !== 0) throw new Error(`rank exited ${r.code}: ${r.stderr}`);
      expectClose(r.out.params, expected, { rtol: 1e-5, atol: 1e-6, what: `${cfg.model}, rank ${r.out.rank} vs 1 process` });
      expectClose(r.out.losses, ref.losses, { rtol: 1e-5, atol: 1e-6, what: `${cfg.model} losses` });
    }
    // Every rank applies the same step from the same all-reduced bits.
    expect(ranks[1].out.checksum).toBe(ranks[0].out.checksum);
    return seconds;
  };

  it('an MLP on 2 ranks (uneven shards 5/4) equals 1 process on the global batch after 5 steps', async () => {
    await equivalence({ model: 'mlp', batch: 9, backend: BACKEND });
  });

  it('LeNet-5 on 2 ranks equals 1 process on the global batch after 5 steps', async () => {
    await equivalence({ model: 'lenet5', batch: 8, backend: BACKEND });
  });

  it('a rank that throws stops every rank with an error naming it and the step', async () => {
    const cfg: CaseConfig = { model: 'mlp', batch: 8, backend: BACKEND, failAt: { rank: 1, step: 3 } };
    const { ranks } = await runRanks(2, 'rank.ts', [JSON.stringify(cfg)]);
    for (const r of ranks) {
      expect(r.code).toBe(1);
      expect(r.out).toEqual({ rank: r.out.rank, name: 'RankError', error: 'dataParallel: rank 1 failed at step 3: injected failure on rank 1' });
    }
  });

  it('a rank process that dies stops the others with an error naming the step (the launcher names the rank)', async () => {
    const cfg: CaseConfig = { model: 'mlp', batch: 8, backend: BACKEND, failAt: { rank: 1, step: 2, kill: true } };
    const { ranks } = await runRanks(2, 'rank.ts', [JSON.stringify(cfg)]);
    expect(ranks[1].out).toBeNull(); // killed before writing anything
    expect(ranks[0].code).toBe(1);
    expect(ranks[0].out.error).toMatch(/^dataParallel: a rank failed at step 2: allReduce failed and no rank reported an error \(a rank process died or was killed\? the launcher names it\): c10d: allReduce failed: .*(closed|reset)/);
  });
});
