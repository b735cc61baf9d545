/**
 * Loads `build/c10d.node` (native/c10d/c10d.cc, built by scripts/build-c10d.js): PyTorch's c10d
 * process groups for Float32Array gradients. It is a separate addon from the `torch` backend's:
 * a c10d transport works with any TF.js backend (wasm, cpu, torch).
 */
import * as fs from 'fs';
import * as path from 'path';

/** The folder the build scripts write to. */
export const C10D_BUILD_DIR = path.join(__dirname, '..', '..', 'build');
/** The addon scripts/build-c10d.js produces. */
export const C10D_ADDON_PATH = path.join(C10D_BUILD_DIR, 'c10d.node');
/** What scripts/build-c10d.js recorded about its last run (`{ ok, reason, libtorch, nccl }`). */
export const C10D_STATUS_PATH = path.join(C10D_BUILD_DIR, 'c10d-status.json');

/** The fix printed whenever the c10d addon is missing. */
export const C10D_INSTALL_HINT =
  'install libtorch and Gloo (`apt-get install libtorch-dev libgloo-dev`, or set LIBTORCH=<libtorch or python torch dir>) ' +
  'and rebuild with `pnpm --filter @neuralzoo/backend-torch build:c10d`';

/** What `connect` takes (all required: src/c10d/process-group.ts fills the defaults). */
export interface NativeConnectOptions {
  addr: string;
  port: number;
  rank: number;
  worldSize: number;
  timeoutMs: number;
  backend: 'gloo' | 'nccl';
  /** CUDA device index (NCCL). */
  device: number;
  /** Network interface for Gloo (GLOO_SOCKET_IFNAME); '' picks one from the address. */
  iface: string;
}

/** One process group and the TCPStore it met the other ranks through. */
export interface NativeGroup {
  /** Rendezvous: resolves once every rank has connected (runs on a worker thread). */
  connect(opts: NativeConnectOptions): Promise<void>;
  /** In place, blocking; op 'sum' | 'max' | 'min'. */
  allReduce(data: Float32Array, op: string): void;
  broadcast(data: Float32Array, root: number): void;
  barrier(): void;
  /** Store access under the `nz/` prefix (failure reports). */
  storeSet(key: string, value: string): void;
  /** The value, waiting up to `timeoutMs` for it; null when it did not appear or the store is gone. */
  storeGet(key: string, timeoutMs: number): string | null;
  storeAdd(key: string, n: number): number;
  /** Drops the process group (its connections close: peers blocked on this rank fail at once); keeps the store. */
  abort(): void;
  /** Drops the process group and the store. */
  close(): void;
  readonly backend: string;
}

export interface C10dAddon {
  Group: new () => NativeGroup;
  /** libtorch's version, and whether this build has Gloo, NCCL, and CUDA devices. */
  info(): { torch: string; gloo: boolean; nccl: boolean; cuda: boolean };
}

interface BuildStatus {
  ok: boolean;
  reason?: string;
}

let cached: C10dAddon | null = null;

/**
 * Loads the c10d addon once; throws why it cannot (not built, libtorch or Gloo missing, load
 * error). Other paths (a side-by-side build) are loaded without caching.
 */
export function loadC10d(addonPath = C10D_ADDON_PATH, statusPath = C10D_STATUS_PATH): C10dAddon {
  const isDefault = addonPath === C10D_ADDON_PATH;
  if (isDefault && cached) return cached;
  if (!fs.existsSync(addonPath)) {
    let why = `the c10d addon is not built (${addonPath} missing)`;
    try {
      const status = JSON.parse(fs.readFileSync(statusPath, 'utf8')) as BuildStatus;
      if (!status.ok && status.reason) why = `the c10d addon is not built: ${status.reason}`;
    } catch {
      // no status file: the build never ran
    }
    throw new Error(`c10d: ${why}; ${C10D_INSTALL_HINT}`);
  }
  let addon: C10dAddon;
  try {
    addon = require(addonPath) as C10dAddon;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`c10d: the c10d addon failed to load (${msg}); ${C10D_INSTALL_HINT}`);
  }
  if (isDefault) cached = addon;
  return addon;
}

/** Whether the c10d addon is built and loads (never throws). */
export function c10dAvailable(): boolean {
  try {
    loadC10d();
    return true;
  } catch {
    return false;
  }
}
