/**
 * Loads tfjs-backend-wasm's multi-threaded SIMD binary in Node, where TF.js 4.22 never does:
 * its `WASM_HAS_MULTITHREAD_SUPPORT` flag is false under Node, and its loader hands Emscripten
 * a Blob for the main script and a blob: URL for the pthread worker, which Node's
 * worker_threads cannot start. Emscripten's glue itself supports Node (it creates the pthread
 * pool with worker_threads), so this module gives it what Node needs:
 *
 * - the worker script as a file (TF.js ships it only as a string): written once per content
 *   hash under the user's cache directory (`$XDG_CACHE_HOME` or `~/.cache`, `neuralzoo/wasm/`),
 *   through a private temporary name and a rename, so that concurrent processes never see a
 *   partial file;
 * - the main script as a path (workers `importScripts` it) and `locateFile` for the binary;
 * - a pool of exactly `threads - 1` workers (the glue hard-codes 8, all started and loaded
 *   before the module resolves) and a core count that lets XNNPACK use `threads`: TF.js's C++
 *   caps its pool at min(8, logical cores / 2).
 *
 * Node-only: everything Node comes through `nodeRequire`, so the browser build never sees it.
 */

/** What this loader needs from a Node worker_threads Worker. */
export interface PthreadWorker {
  ref(): void;
  unref(): void;
  terminate(): unknown;
}

/** The parts of the Emscripten module object (threaded build) that core touches. */
export interface ThreadedWasmModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: unknown[]) => unknown;
  PThread: {
    runningWorkers: PthreadWorker[];
    unusedWorkers: PthreadWorker[];
    terminateAllThreads(): void;
  };
  [key: string]: unknown;
}

interface NodeFs {
  readFileSync(p: string, enc?: string): string | Uint8Array;
  writeFileSync(p: string, data: string): void;
  renameSync(a: string, b: string): void;
  unlinkSync(p: string): void;
  mkdirSync(p: string, opts: { recursive: boolean }): void;
  existsSync(p: string): boolean;
}

interface NodePath {
  join(...parts: string[]): string;
  dirname(p: string): string;
}

/** The one WebAssembly call made here (core's lib settings carry no WebAssembly typings). */
interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object; module: object }>;
}

type NodeRequire = ((id: string) => unknown) & { resolve(id: string): string };

/** XNNPACK's thread cap in TF.js 4.22's C++ (`max_num_threads`). */
export const MAX_WASM_THREADS = 8;

/** Seconds to wait for the module and its pthread pool before giving up (falls back to 1 thread). */
const LOAD_TIMEOUT_MS = 60_000;

/** Node's `require`, hidden from bundlers (core's main entry must not import Node built-ins). */
function nodeRequire(): NodeRequire {
  const req = eval('typeof require === "function" ? require : undefined') as NodeRequire | undefined;
  if (!req) throw new Error('not running in Node');
  return req;
}

/** True in Node (not in a browser or a bundle for one). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

function cacheDir(path: NodePath): string {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'neuralzoo', 'wasm');
  if (env.HOME) return path.join(env.HOME, '.cache', 'neuralzoo', 'wasm');
  throw new Error('neither XDG_CACHE_HOME nor HOME is set, so the pthread worker script has no place to live');
}

/** FNV-1a of a string, as 8 hex digits: names the worker file by its content. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Writes the pthread worker script (once per content) and returns its path. */
function workerFile(req: NodeRequire, contents: string): string {
  const fs = req('fs') as NodeFs;
  const path = req('path') as NodePath;
  const dir = cacheDir(path);
  const file = path.join(dir, `tfjs-backend-wasm-threaded-simd.${fnv1a(contents)}.worker.js`);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === contents) return file;
  fs.mkdirSync(dir, { recursive: true });
  const pid = (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
  const tmp = `${file}.${pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    fs.writeFileSync(tmp, contents);
    fs.renameSync(tmp, file); // atomic: a concurrent reader sees the old file or the whole new one
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    throw e;
  }
  return file;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms / 1000} s`)), ms);
    (timer as unknown as { unref?: () => void }).unref?.();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/**
 * Instantiates the threaded SIMD module with a pool for `threads` threads (2..8). Resolves to the
 * Emscripten module, its pthread workers started and unreferenced (they never keep Node alive);
 * rejects, with its workers terminated, when anything fails.
 */
export async function loadThreadedWasm(threads: number): Promise<ThreadedWasmModule> {
  if (!isNode()) throw new Error('the Node loader of the threaded wasm binary runs in Node only');
  if (!(Number.isInteger(threads) && threads >= 2 && threads <= MAX_WASM_THREADS))
    throw new Error(`threads must be an integer in 2..${MAX_WASM_THREADS}, got ${threads}`);
  const req = nodeRequire();
  const fs = req('fs') as NodeFs;
  const path = req('path') as NodePath;
  const outDir = path.join(path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm')), '..', 'wasm-out');
  const gluePath = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const wasmPath = path.join(outDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const { wasmWorkerContents } = req(path.join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The string holds `\n` escapes that became newlines inside string literals (TF.js undoes the
  // same before making its Blob).
  const worker = workerFile(req, wasmWorkerContents.replace(/\n/g, '\\n'));

  const glue = fs.readFileSync(gluePath, 'utf8') as string;
  const POOL = 'var pthreadPoolSize=8;';
  if (!glue.includes(POOL)) throw new Error(`${gluePath} has no '${POOL}' (another Emscripten version?)`);
  // Compiled here rather than required: same file, with the pool sized to the threads asked for.
  const factory = new Function(
    'require', '__filename', '__dirname', 'module', 'exports', 'define',
    `${glue.replace(POOL, `var pthreadPoolSize=${threads - 1};`)}\nreturn WasmBackendModuleThreadedSimd;\n//# sourceURL=${gluePath}`,
  )(req, gluePath, outDir, undefined, undefined, undefined) as (cfg: object) => Promise<ThreadedWasmModule>;

  const g = globalThis as { Worker?: unknown };
  const hadWorker = Object.prototype.hasOwnProperty.call(g, 'Worker');
  const previousWorker = g.Worker;
  let fail: (e: Error) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  const cfg: Record<string, unknown> = {
    mainScriptUrlOrBlob: gluePath, // each worker evaluates this file, then receives the compiled module
    locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? worker : file.endsWith('.wasm') ? wasmPath : prefix + file),
    instantiateWasm: (info: { env: Record<string, unknown> }, receive: (instance: object, module: object) => void) => {
      // TF.js's C++ reads the core count once, at start-up, and uses at most half of it.
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
      wasmApi.instantiate(fs.readFileSync(wasmPath) as Uint8Array, info).then(
        (r) => receive(r.instance, r.module),
        (e) => fail(new Error(`instantiating ${wasmPath} failed: ${String(e)}`)),
      );
      return {};
    },
    onAbort: (what: unknown) => fail(new Error(`the threaded wasm module aborted: ${String(what)}`)),
  };
  try {
    const module = await withTimeout(Promise.race([factory(cfg), failed]), LOAD_TIMEOUT_MS, 'loading the threaded wasm module');
    unrefWorkers(module);
    return module;
  } catch (e) {
    (cfg.PThread as ThreadedWasmModule['PThread'] | undefined)?.terminateAllThreads();
    throw e;
  } finally {
    // The glue sets a global `Worker` (worker_threads') for its pool; Node has none of its own.
    if (hadWorker) g.Worker = previousWorker;
    else delete g.Worker;
  }
}

/**
 * Lets Node exit while pthread workers live: Emscripten refs a worker whenever it starts a
 * thread on it, and XNNPACK's pool threads never end. Call after the pool is created.
 */
export function unrefWorkers(module: ThreadedWasmModule): void {
  for (const w of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) w.unref();
}
