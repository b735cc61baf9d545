import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as readline from 'readline';
import type { FlagSpec } from '../args';

export const LAUNCH_FLAGS: Record<string, FlagSpec> = {
  nproc: { type: 'int', description: 'ranks to start on this machine (required)' },
  nnodes: { type: 'int', description: 'machines taking part (default 1)' },
  'node-rank': { type: 'int', min: 0, description: "this machine's index, 0 ≤ node-rank < nnodes (default 0)" },
  'master-addr': { type: 'string', description: 'address of node 0, which hosts the rendezvous (default 127.0.0.1)' },
  'master-port': { type: 'int', description: 'rendezvous port (default: a free port; required with --nnodes > 1)' },
  grace: { type: 'int', min: 0, description: 'seconds the other ranks get to stop after one fails, before SIGTERM (default 10)' },
};

export interface LaunchOptions {
  /** Ranks on this machine. */
  nproc: number;
  /** The command every rank runs; a first word ending in .js/.cjs/.mjs runs with this Node. */
  command: string[];
  nnodes?: number;
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
  /** Seconds the other ranks get to stop by themselves after one fails. Default 10. */
  graceSeconds?: number;
  /** Extra environment for every rank. */
  env?: NodeJS.ProcessEnv;
}

/** A TCP port nothing listens on now, on `host`. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The error every rank of a c10d run throws when one fails (RankError's message). */
const REPORT = /dataParallel: rank (\d+) failed at step (\d+)/;

interface RankExit {
  rank: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function describeExit(e: RankExit): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
}

/**
 * `neuralzoo launch --nproc N -- <command>`: starts N ranks of `command` with the variables
 * torchrun sets (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE), prints
 * their output line by line prefixed with `[rank R]`, and resolves to 0 when every rank exits 0.
 * When a rank fails, the others get `graceSeconds` to stop by themselves (a c10d rank that sees a
 * peer fail throws the peer's error), then SIGTERM, then SIGKILL; the result names the rank that
 * failed first and resolves to its exit code (1 for a signal).
 */
export async function launch(opts: LaunchOptions, print: (line: string) => void, printError: (line: string) => void = print): Promise<number> {
  const nnodes = opts.nnodes ?? 1;
  const nodeRank = opts.nodeRank ?? 0;
  if (!Number.isInteger(opts.nproc) || opts.nproc < 1) throw new Error(`neuralzoo launch: --nproc must be a positive integer, got ${opts.nproc}`);
  if (nodeRank >= nnodes) throw new Error(`neuralzoo launch: --node-rank ${nodeRank} is out of range for --nnodes ${nnodes}`);
  if (!opts.command.length) throw new Error('neuralzoo launch: no command to run (usage: neuralzoo launch --nproc N -- <command> [args])');
  if (nnodes > 1 && opts.masterPort === undefined) throw new Error('neuralzoo launch: --master-port is required with --nnodes > 1 (every node must use the same one)');
  const masterAddr = opts.masterAddr ?? '127.0.0.1';
  const masterPort = opts.masterPort ?? (await freePort(masterAddr));
  const worldSize = nnodes * opts.nproc;
  const [first, ...rest] = opts.command;
  const [file, args] = /\.(c|m)?js$/.test(first) ? [process.execPath, [first, ...rest]] : [first, rest];
  const graceMs = (opts.graceSeconds ?? 10) * 1000;

  const children: ChildProcess[] = [];
  const exits: RankExit[] = [];
  let firstFailure: RankExit | null = null;
  /** The failure the ranks report (c10d's RankError), which names the rank that failed even when another exits first. */
  let reported: { rank: number; step: number } | null = null;
  let stopTimer: NodeJS.Timeout | null = null;
  let killTimer: NodeJS.Timeout | null = null;
  const running = () => children.filter((c) => c.exitCode === null && c.signalCode === null);
  const stopOthers = () => {
    stopTimer = setTimeout(() => {
      for (const c of running()) c.kill('SIGTERM');
      killTimer = setTimeout(() => running().forEach((c) => c.kill('SIGKILL')), 5000);
    }, graceMs);
  };
  const forward = (signal: NodeJS.Signals) => () => running().forEach((c) => c.kill(signal));
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);

  try {
    await Promise.all(
      Array.from({ length: opts.nproc }, (_, local) => {
        const rank = nodeRank * opts.nproc + local;
        const env = {
          ...process.env,
          ...opts.env,
          MASTER_ADDR: masterAddr,
          MASTER_PORT: String(masterPort),
          RANK: String(rank),
          WORLD_SIZE: String(worldSize),
          LOCAL_RANK: String(local),
          LOCAL_WORLD_SIZE: String(opts.nproc),
        };
        return new Promise<void>((resolve) => {
          const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
          children.push(child);
          const prefix = `[rank ${rank}] `;
          // Both streams must end before the exit is reported, so no output line comes after it.
          const closed = [child.stdout, child.stderr].map(
            (stream, i) =>
              new Promise<void>((done) => {
                const lines = readline.createInterface({ input: stream!, crlfDelay: Infinity });
                lines.on('line', (l) => {
                  (i === 0 ? print : printError)(prefix + l);
                  const m = reported ? null : REPORT.exec(l);
                  if (m) reported = { rank: Number(m[1]), step: Number(m[2]) };
                });
                lines.on('close', done);
              }),
          );
          let settled = false;
          const finish = (e: RankExit) => {
            if (settled) return;
            settled = true;
            void Promise.all(closed).then(() => {
              exits.push(e);
              if ((e.code !== 0 || e.signal) && !firstFailure) {
                firstFailure = e;
                printError(`neuralzoo launch: rank ${e.rank} ${describeExit(e)} (the first to end); stopping the other ranks`);
                if (running().length) stopOthers();
              }
              resolve();
            });
          };
          child.on('error', (err) => {
            printError(`neuralzoo launch: rank ${rank} could not start '${first}': ${err.message}`);
            finish({ rank, code: 127, signal: null });
          });
          child.on('exit', (code, signal) => finish({ rank, code, signal }));
        });
      }),
    );
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (stopTimer) clearTimeout(stopTimer);
    if (killTimer) clearTimeout(killTimer);
  }
  const failure = firstFailure as RankExit | null;
  if (!failure) return 0;
  const failed = exits.filter((e) => e.code !== 0 || e.signal).sort((a, b) => a.rank - b.rank);
  const report = reported as { rank: number; step: number } | null;
  if (report) {
    const culprit = exits.find((e) => e.rank === report.rank);
    printError(
      `neuralzoo launch: failed: rank ${report.rank} failed at step ${report.step} (the ranks' error above); ` +
        failed.map((e) => `rank ${e.rank} ${describeExit(e)}`).join(', '),
    );
    return culprit && culprit.code ? culprit.code : failure.code && failure.code > 0 ? failure.code : 1;
  }
  printError(
    `neuralzoo launch: failed: rank ${failure.rank} ${describeExit(failure)} first` +
      (failed.length > 1 ? `; then ${failed.filter((e) => e !== failure).map((e) => `rank ${e.rank} ${describeExit(e)}`).join(', ')}` : ''),
  );
  return failure.code && failure.code > 0 ? failure.code : 1;
}
