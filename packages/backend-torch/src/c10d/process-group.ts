/**
 * A c10d process group as core's `parallel.Collective`: Gloo over TCP on CPU (NCCL on CUDA when
 * the addon was built against a CUDA libtorch), with the rendezvous torchrun's env:// init uses:
 * rank 0 hosts a TCPStore at MASTER_ADDR:MASTER_PORT, every rank meets there.
 *
 * Failures: a rank that fails outside a collective calls `reportFailure`, which writes
 * `{ rank, step, message }` to the store and drops its process group; its peers, blocked in (or
 * entering) a collective, see their connections close, drop theirs in turn (so the failure reaches
 * every rank of a ring), read the report and throw the same `RankError`.
 */
import type { parallel } from '@neuralzoo/core';
import { loadC10d, NativeGroup } from './native';

type Collective = parallel.Collective;
type ReduceOp = parallel.ReduceOp;

/**
 * How long a rank whose collective failed waits for the failure report (the failing rank writes it
 * before it closes any connection, so it is there at once unless a rank died without one), and
 * how long rank 0 waits for every rank to have read a report before it may take the store away.
 */
const REPORT_WAIT_MS = 1000;
const ACK_WAIT_MS = 5000;

export interface ProcessGroupOptions {
  /** Address of rank 0, which hosts the rendezvous store. Default: env MASTER_ADDR. */
  masterAddr?: string;
  /** Port of the rendezvous store. Default: env MASTER_PORT. */
  masterPort?: number;
  /** This process's rank, 0 ≤ rank < worldSize. Default: env RANK. */
  rank?: number;
  /** Number of ranks. Default: env WORLD_SIZE. */
  worldSize?: number;
  /**
   * 'gloo' (CPU, TCP), 'nccl' (CUDA; needs an addon built against a CUDA libtorch: data goes
   * through a GPU copy, since the collective exchanges host Float32Arrays), or 'auto' (NCCL when
   * the addon has it and sees a GPU, else Gloo). Default 'gloo'.
   */
  backend?: 'gloo' | 'nccl' | 'auto';
  /** CUDA device index for NCCL. Default: env LOCAL_RANK, else 0. */
  device?: number;
  /** Rendezvous and collective timeout in milliseconds. Default 1,800,000 (torch.distributed's 30 min). */
  timeoutMs?: number;
}

const DEFAULTS = { backend: 'gloo' as const, timeoutMs: 1_800_000 };

/** What a failed rank reported. `rank` is null when no rank reported (a process died). */
export interface FailureReport {
  rank: number | null;
  step: number;
  message: string;
}

/**
 * A data-parallel run stopped because a rank failed: the same error on every rank, naming the
 * rank that failed and the optimizer step (counted from the start of training).
 */
export class RankError extends Error {
  readonly rank: number | null;
  readonly step: number;
  constructor(report: FailureReport, options?: { cause?: unknown }) {
    const at = report.step > 0 ? ` at step ${report.step}` : '';
    const who = report.rank === null ? 'a rank' : `rank ${report.rank}`;
    super(`dataParallel: ${who} failed${at}: ${report.message}`, options);
    this.name = 'RankError';
    this.rank = report.rank;
    this.step = report.step;
  }
}

function envInt(name: string, env: string, given: number | undefined, min: number): number {
  if (given !== undefined) {
    if (!Number.isInteger(given) || given < min) throw new Error(`c10d: ${name} must be an integer >= ${min}, got ${given}`);
    return given;
  }
  const raw = process.env[env];
  if (raw === undefined || raw === '')
    throw new Error(`c10d: ${env} is not set (start the ranks with \`neuralzoo launch --nproc N -- <command>\` or torchrun, or pass { ${name} })`);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min) throw new Error(`c10d: ${env} must be an integer >= ${min}, got '${raw}'`);
  return n;
}

/** The rendezvous settings from `opts`, falling back to torchrun's environment variables. */
export function resolveOptions(opts: ProcessGroupOptions = {}): Required<ProcessGroupOptions> {
  const masterAddr = opts.masterAddr ?? process.env.MASTER_ADDR;
  if (!masterAddr) throw new Error('c10d: MASTER_ADDR is not set (start the ranks with `neuralzoo launch --nproc N -- <command>` or torchrun, or pass { masterAddr })');
  const masterPort = envInt('masterPort', 'MASTER_PORT', opts.masterPort, 1);
  if (masterPort > 65535) throw new Error(`c10d: MASTER_PORT must be at most 65535, got ${masterPort}`);
  const worldSize = envInt('worldSize', 'WORLD_SIZE', opts.worldSize, 1);
  const rank = envInt('rank', 'RANK', opts.rank, 0);
  if (rank >= worldSize) throw new Error(`c10d: rank ${rank} is out of range for world size ${worldSize}`);
  const local = process.env.LOCAL_RANK;
  const device = opts.device ?? (local !== undefined && /^\d+$/.test(local) ? Number(local) : 0);
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  if (!(timeoutMs > 0)) throw new Error(`c10d: timeoutMs must be positive, got ${timeoutMs}`);
  return { masterAddr, masterPort, rank, worldSize, device, timeoutMs, backend: opts.backend ?? DEFAULTS.backend };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** One rank of a c10d process group: blocking, in-place collectives on Float32Arrays. */
export class C10dCollective implements Collective {
  /** 'gloo' or 'nccl'. */
  readonly backend: string;
  /** The optimizer step in progress (set by the data-parallel strategy), for failure reports. */
  step = 0;
  private group: NativeGroup | null;
  private failure: FailureReport | null = null;

  private constructor(
    group: NativeGroup,
    readonly rank: number,
    readonly worldSize: number,
  ) {
    this.group = group;
    this.backend = group.backend;
  }

  /** Meets the other ranks (resolves once all `worldSize` have connected). */
  static async connect(opts: ProcessGroupOptions = {}): Promise<C10dCollective> {
    const o = resolveOptions(opts);
    const addon = loadC10d();
    let backend: 'gloo' | 'nccl' = o.backend === 'auto' ? 'gloo' : o.backend;
    if (o.backend !== 'gloo') {
      const info = addon.info();
      if (o.backend === 'auto') backend = info.nccl && info.cuda ? 'nccl' : 'gloo';
      else if (!info.nccl) throw new Error(`c10d: backend 'nccl' needs c10d.node built against a CUDA libtorch with NCCL (this one: libtorch ${info.torch}, Gloo only); use backend 'gloo'`);
      else if (!info.cuda) throw new Error("c10d: backend 'nccl' needs a CUDA device, and libtorch sees none; use backend 'gloo'");
    }
    const group = new addon.Group();
    try {
      await group.connect({
        addr: o.masterAddr,
        port: o.masterPort,
        rank: o.rank,
        worldSize: o.worldSize,
        timeoutMs: o.timeoutMs,
        backend,
        device: o.device,
        iface: process.env.GLOO_SOCKET_IFNAME ?? '',
      });
    } catch (e) {
      throw new Error(`c10d: rank ${o.rank} of ${o.worldSize} could not meet the others at ${o.masterAddr}:${o.masterPort}: ${messageOf(e)}`);
    }
    return new C10dCollective(group, o.rank, o.worldSize);
  }

  allReduce(data: Float32Array, op: ReduceOp = 'sum'): void {
    if (!['sum', 'mean', 'max', 'min'].includes(op)) throw new Error(`allReduce: unknown op '${op}'; expected one of sum, mean, max, min`);
    // Gloo has no average: sum, then divide (the same float32 division on every rank).
    this.call('allReduce', (g) => g.allReduce(data, op === 'mean' ? 'sum' : op));
    if (op === 'mean') for (let i = 0; i < data.length; i++) data[i] /= this.worldSize;
  }

  broadcast(data: Float32Array, root = 0): void {
    if (!Number.isInteger(root) || root < 0 || root >= this.worldSize) throw new Error(`broadcast: root ${root} is out of range for world size ${this.worldSize}`);
    this.call('broadcast', (g) => g.broadcast(data, root));
  }

  barrier(): void {
    this.call('barrier', (g) => g.barrier());
  }

  /** The failure that stopped this group, if any. */
  get failed(): FailureReport | null {
    return this.failure;
  }

  /**
   * Tells every rank that this one failed (outside a collective) with `error`, drops this rank's
   * connections so that peers blocked on it stop, and returns the error to throw here: the first
   * report of the run (so every rank throws the same one). After a failure, every collective
   * throws it.
   */
  reportFailure(error: unknown): RankError {
    if (this.failure) return new RankError(this.failure, { cause: error });
    const g = this.group;
    let report: FailureReport = { rank: this.rank, step: this.step, message: messageOf(error) };
    if (g) {
      try {
        if (g.storeAdd('failed', 1) === 1) g.storeSet('failure', JSON.stringify(report));
        else report = parseReport(g.storeGet('failure', ACK_WAIT_MS)) ?? report;
      } catch {
        // The store is gone (rank 0 died): nobody can read a report; the peers see closed connections.
      }
      g.abort();
      this.settle(g);
    }
    this.failure = report;
    return new RankError(report, { cause: error });
  }

  /** Drops the process group and, on rank 0, the rendezvous store (idempotent). */
  close(): void {
    this.group?.close();
    this.group = null;
  }

  private call(what: string, fn: (g: NativeGroup) => void): void {
    if (this.failure) throw new RankError(this.failure);
    if (this.worldSize === 1) return;
    const g = this.group;
    if (!g) throw new Error(`c10d: ${what} on a closed process group`);
    try {
      fn(g);
    } catch (e) {
      throw this.peerFailed(what, e, g);
    }
  }

  /** A collective failed: a peer reported a failure, or its connections closed. */
  private peerFailed(what: string, error: unknown, g: NativeGroup): RankError {
    g.abort(); // pass it on: peers waiting on this rank stop too
    let report: FailureReport | null = null;
    try {
      report = parseReport(g.storeGet('failure', REPORT_WAIT_MS));
    } catch {
      // store gone
    }
    // Without a report (a rank died) there is nothing for rank 0 to keep the store up for.
    if (report) this.settle(g);
    this.failure = report ?? {
      rank: null,
      step: this.step,
      message: `${what} failed and no rank reported an error (a rank process died or was killed? the launcher names it): ${messageOf(error)}`,
    };
    return new RankError(this.failure, { cause: error });
  }

  /** Every rank acknowledges the report; rank 0 (the store's host) waits for all before going on, so it does not take the store away from a rank still reading. */
  private settle(g: NativeGroup): void {
    try {
      g.storeAdd('ack', 1);
      if (this.rank !== 0) return;
      const deadline = Date.now() + ACK_WAIT_MS;
      while (g.storeAdd('ack', 0) < this.worldSize && Date.now() < deadline) sleepSync(20);
    } catch {
      // store gone
    }
  }
}

function parseReport(raw: string | null): FailureReport | null {
  if (raw === null) return null;
  try {
    const r = JSON.parse(raw) as FailureReport;
    return typeof r.message === 'string' ? r : null;
  } catch {
    return null;
  }
}

let defaultGroup: { key: string; group: Promise<C10dCollective> } | null = null;

/**
 * This process's default process group (torch.distributed.init_process_group): connects on the
 * first call, later calls with the same settings return the same group. Settings default to the
 * environment torchrun and `neuralzoo launch` set (MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE).
 */
export function initProcessGroup(opts: ProcessGroupOptions = {}): Promise<C10dCollective> {
  const o = resolveOptions(opts);
  const key = JSON.stringify(o);
  if (defaultGroup) {
    if (defaultGroup.key !== key) return Promise.reject(new Error('c10d: the default process group is already initialised with other settings (call destroyProcessGroup first)'));
    return defaultGroup.group;
  }
  const group = C10dCollective.connect(o);
  defaultGroup = { key, group };
  group.catch(() => {
    if (defaultGroup?.group === group) defaultGroup = null;
  });
  return group;
}

/** Closes the default process group (torch.distributed.destroy_process_group). */
export async function destroyProcessGroup(): Promise<void> {
  const current = defaultGroup;
  defaultGroup = null;
  if (current) (await current.group.catch(() => null))?.close();
}
