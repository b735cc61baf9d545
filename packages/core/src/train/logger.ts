/**
 * Where training output goes. Library code never prints to the console: it writes to a `Logger` (a
 * stream-like object: Node's `process.stdout` is one). The default is `process.stdout` under Node
 * and a no-op in a browser (pass `{ write: (s) => … }` to show output there).
 */
export interface Logger {
  write(text: string): unknown;
  /** True when the output is a terminal: `fit` then draws one updating progress line. */
  isTTY?: boolean;
  /** Terminal width, used to fit the progress line. */
  columns?: number;
}

/** A logger that drops everything. */
export const silentLogger: Logger = { write: () => undefined, isTTY: false };

/** `process.stdout` when running under Node, otherwise the silent logger. */
export function defaultLogger(): Logger {
  const proc = (globalThis as { process?: { stdout?: Logger } }).process;
  return proc?.stdout && typeof proc.stdout.write === 'function' ? proc.stdout : silentLogger;
}

/** A logger that keeps everything written to it (for tests and for showing logs in a UI). */
export class BufferLogger implements Logger {
  readonly chunks: string[] = [];
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {}
  write(text: string): void {
    this.chunks.push(text);
  }
  get text(): string {
    return this.chunks.join('');
  }
}
