import { tf } from '../tf';
import { setWasmThreads, registerWasmKernels, wasmThreadsInUse, wasmThreadsNote } from './wasm';

/** Backends in the order `auto` tries them. */
export type BackendName = 'torch' | 'tensorflow' | 'wasm' | 'cpu';

export interface InitOptions {
  /** Which backend to use; `auto` takes the first that loads. Default: env NEURALZOO_BACKEND, else `auto`. */
  backend?: BackendName | 'auto';
  /**
   * Threads for backends that take a count (wasm, torch). Default: all cores; for wasm, env
   * `NEURALZOO_WASM_THREADS` first, and 1 inside Jest (each test file would start its own
   * pthread workers). wasm uses at most 8 (TF.js's XNNPACK pool). XNNPACK's pool spin-waits
   * between operations, so on cores other processes keep busy, 1 thread trains faster.
   */
  threads?: number;
  /** Device for backends that have several (torch: `cpu`, `cuda:0`…). Default `cpu`. */
  device?: string;
}

export interface BackendInfo {
  /** The active TF.js backend name. */
  name: string;
  /** `cpu`, or `cuda:N` for a GPU. */
  device: string;
  /** Threads the backend computes with. */
  threads: number;
  /** Why each backend better than the chosen one was skipped. */
  reasons: Partial<Record<BackendName, string>>;
  /** Devices the backend can run on (torch: `cpu`, `cuda:0`…), when it has several kinds. */
  devices?: string[];
}

const ORDER: BackendName[] = ['torch', 'tensorflow', 'wasm', 'cpu'];
const BACKEND_NAMES = new Set<string>([...ORDER, 'auto']);

/** A loader for a backend that lives in another package (torch, tfjs-node). */
export interface BackendProvider {
  /** Loads and registers the backend; resolves to its device and thread count, or throws why not. */
  load(opts: InitOptions): Promise<{ device: string; threads: number; tfName?: string; devices?: string[] }>;
}

const providers = new Map<BackendName, BackendProvider>();
let info: BackendInfo | null = null;

/** Lets an optional package (e.g. @neuralzoo/backend-torch) plug its backend into `init`. */
export function registerBackendProvider(name: BackendName, provider: BackendProvider): void {
  providers.set(name, provider);
}

function hardwareThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (nav?.hardwareConcurrency) return nav.hardwareConcurrency;
  try {
    const os = nodeRequire('os') as { availableParallelism?: () => number; cpus(): unknown[] };
    const n = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
    if (n > 0) return n;
  } catch {
    // not Node
  }
  const fromEnv = Number(processEnv().NEURALZOO_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 1;
}

function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
}

/** wasm's default thread count: NEURALZOO_WASM_THREADS, else 1 under Jest, else all cores. */
function defaultWasmThreads(): number {
  const env = processEnv();
  const fromEnv = env.NEURALZOO_WASM_THREADS;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!(Number.isInteger(n) && n > 0)) throw new Error(`NEURALZOO_WASM_THREADS must be a positive integer, got '${fromEnv}'`);
    return n;
  }
  // Jest runs test files in parallel workers, each of which would start its own thread pool.
  if (env.JEST_WORKER_ID !== undefined) return 1;
  return hardwareThreads();
}

function envBackend(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.NEURALZOO_BACKEND || undefined;
}

/** Node's `require`, hidden from bundlers: optional native packages exist only in Node. */
function nodeRequire(id: string): unknown {
  const req = eval('typeof require === "function" ? require : undefined') as ((id: string) => unknown) | undefined;
  if (!req) throw new Error('not running in Node');
  return req(id);
}

function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0];
}

async function loadBuiltin(name: BackendName, opts: InitOptions): Promise<{ device: string; threads: number; tfName?: string; devices?: string[] }> {
  switch (name) {
    case 'torch': {
      const provider = providers.get('torch');
      if (provider) return provider.load(opts);
      try {
        nodeRequire('@neuralzoo/backend-torch');
      } catch (e) {
        throw new Error(`@neuralzoo/backend-torch is not installed (${errorText(e)})`);
      }
      const p = providers.get('torch');
      if (!p) throw new Error('@neuralzoo/backend-torch loaded but registered no provider');
      return p.load(opts);
    }
    case 'tensorflow': {
      const provider = providers.get('tensorflow');
      if (provider) return provider.load(opts);
      const errors: string[] = [];
      for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
        try {
          nodeRequire(pkg);
          if (!tf.findBackend('tensorflow')) throw new Error(`${pkg} registered its backend on another tfjs-core instance`);
          return { device: pkg.endsWith('gpu') ? 'cuda:0' : 'cpu', threads: hardwareThreads() };
        } catch (e) {
          errors.push(`${pkg}: ${errorText(e)}`);
        }
      }
      throw new Error(`${errors.join('; ')} (install with: pnpm add @tensorflow/tfjs-node)`);
    }
    case 'wasm': {
      registerWasmKernels();
      // Only a request: the count XNNPACK really uses is read back once the backend is up (see
      // init below); 1 where the threaded binary cannot load (the reason goes to reasons.wasm).
      setWasmThreads(opts.threads ?? defaultWasmThreads());
      return { device: 'cpu', threads: 1 };
    }
    case 'cpu':
      return { device: 'cpu', threads: 1 };
  }
}

/**
 * Chooses and initialises the TF.js backend. `auto` tries torch → tensorflow → wasm → cpu and
 * records why each better one was skipped (see `backendInfo().reasons`).
 */
export async function init(opts: InitOptions = {}): Promise<BackendInfo> {
  const requested = opts.backend ?? (envBackend() as InitOptions['backend']) ?? 'auto';
  if (!BACKEND_NAMES.has(requested))
    throw new Error(`init: unknown backend '${requested}'; expected one of auto, ${ORDER.join(', ')}`);
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads > 0))
    throw new Error(`init: threads must be a positive integer, got ${opts.threads}`);
  const candidates = requested === 'auto' ? ORDER : [requested as BackendName];
  const reasons: BackendInfo['reasons'] = {};
  for (const name of candidates) {
    try {
      const loaded = await loadBuiltin(name, opts);
      const tfName = loaded.tfName ?? name;
      if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') failed`);
      await tf.ready();
      if (tfName === 'cpu') quietCpuBanner();
      const threads = tfName === 'wasm' ? wasmThreadsInUse() : loaded.threads;
      const note = tfName === 'wasm' ? wasmThreadsNote() : null;
      if (note) reasons.wasm = note;
      info = { name: tfName, device: loaded.device, threads, reasons, ...(loaded.devices ? { devices: loaded.devices } : {}) };
      return info;
    } catch (e) {
      reasons[name] = errorText(e);
      if (requested !== 'auto') throw new Error(`init: backend '${name}' is not available: ${reasons[name]}`);
    }
  }
  throw new Error(`init: no backend could be loaded: ${JSON.stringify(reasons)}`);
}

/** Describes the active backend; before `init` it reports TF.js's current backend. */
export function backendInfo(): BackendInfo {
  if (info && info.name === tf.getBackend()) return { ...info, reasons: { ...info.reasons } };
  return { name: tf.getBackend(), device: 'cpu', threads: 1, reasons: {} };
}

/** Records the thread count a provider or `setWasmThreads` settled on. */
export function updateBackendInfo(patch: Partial<BackendInfo>): void {
  if (info) info = { ...info, ...patch };
}

function quietCpuBanner(): void {
  // tfjs-backend-cpu prints an advert for tfjs-node on first use in Node; backendInfo() and
  // `neuralzoo doctor` say the same thing on request instead.
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}
