import { run } from '../cli';
import { freePort, launch } from './launch';

function capture(): { out: string[]; err: string[]; print: (l: string) => void; printError: (l: string) => void } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, print: (l) => out.push(l), printError: (l) => err.push(l) };
}

const node = (code: string) => [process.execPath, '-e', code];

describe('neuralzoo launch', () => {
  it('starts N ranks with torchrun variables on a free port and prefixes their output with the rank', async () => {
    const c = capture();
    const code = await launch(
      {
        nproc: 3,
        command: node("const e = process.env; console.log([e.RANK, e.WORLD_SIZE, e.LOCAL_RANK, e.LOCAL_WORLD_SIZE, e.MASTER_ADDR, e.MASTER_PORT].join(' ')); console.error('to stderr')"),
      },
      c.print,
      c.printError,
    );
    expect(code).toBe(0);
    const lines = [...c.out].sort();
    expect(lines).toHaveLength(3);
    const port = /127\.0\.0\.1 (\d+)$/.exec(lines[0])![1];
    expect(Number(port)).toBeGreaterThan(0);
    expect(lines).toEqual([0, 1, 2].map((r) => `[rank ${r}] ${r} 3 ${r} 3 127.0.0.1 ${port}`));
    expect([...c.err].sort()).toEqual(['[rank 0] to stderr', '[rank 1] to stderr', '[rank 2] to stderr']);
  });

  it('numbers ranks across nodes and takes the given rendezvous', async () => {
    const c = capture();
    const port = await freePort();
    const code = await launch({ nproc: 2, nnodes: 3, nodeRank: 2, masterAddr: '10.1.2.3', masterPort: port, command: node("console.log(process.env.RANK, process.env.WORLD_SIZE, process.env.MASTER_ADDR)") }, c.print, c.printError);
    expect(code).toBe(0);
    expect([...c.out].sort()).toEqual(['[rank 4] 4 6 10.1.2.3', '[rank 5] 5 6 10.1.2.3']);
  });

  it('a rank that fails stops the others and the run fails naming it, with its exit code', async () => {
    const c = capture();
    const started = Date.now();
    // Rank 1 fails at once; rank 0 would run for a minute and is stopped (SIGTERM after the 0 s grace).
    const code = await launch(
      { nproc: 2, graceSeconds: 0, command: node("if (process.env.RANK === '1') { console.error('boom'); process.exit(3); } setTimeout(() => {}, 60000)") },
      c.print,
      c.printError,
    );
    expect(code).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(c.err).toEqual([
      '[rank 1] boom',
      'neuralzoo launch: rank 1 exited with code 3 (the first to end); stopping the other ranks',
      'neuralzoo launch: failed: rank 1 exited with code 3 first; then rank 0 was killed by SIGTERM',
    ]);
  });

  it('names the rank the ranks report as failed (c10d RankError), whichever exits first', async () => {
    const c = capture();
    // Every rank prints the same report, as c10d ranks do; rank 0 exits first, rank 1 is the one that failed.
    const code = await launch(
      { nproc: 2, command: node("console.error('RankError: dataParallel: rank 1 failed at step 4: bad shard'); setTimeout(() => process.exit(process.env.RANK === '0' ? 1 : 5), process.env.RANK === '0' ? 0 : 300)") },
      c.print,
      c.printError,
    );
    expect(code).toBe(5);
    expect(c.err[c.err.length - 1]).toBe("neuralzoo launch: failed: rank 1 failed at step 4 (the ranks' error above); rank 0 exited with code 1, rank 1 exited with code 5");
  });

  it('checks its arguments', async () => {
    const c = capture();
    await expect(run(['launch', '--', 'x'], c.print)).rejects.toThrow('neuralzoo launch: --nproc is required');
    await expect(run(['launch', '--nproc', '0', '--', 'x'], c.print)).rejects.toThrow('neuralzoo launch: --nproc must be an integer >= 1');
    await expect(run(['launch', '--nproc', '2'], c.print)).rejects.toThrow('neuralzoo launch: no command to run');
    await expect(run(['launch', '--nproc', '2', '--nnodes', '2', '--', 'x'], c.print)).rejects.toThrow('neuralzoo launch: --master-port is required with --nnodes > 1');
    await expect(run(['launch', '--nproc', '1', '--nnodes', '2', '--node-rank', '2', '--master-port', '1', '--', 'x'], c.print)).rejects.toThrow(
      'neuralzoo launch: --node-rank 2 is out of range for --nnodes 2',
    );
    const missing = capture();
    expect(await launch({ nproc: 1, command: ['/nonexistent/neuralzoo-rank'] }, missing.print, missing.printError)).toBe(127);
    expect(missing.err[0]).toMatch(/^neuralzoo launch: rank 0 could not start '\/nonexistent\/neuralzoo-rank': .*ENOENT/);
  });
});
