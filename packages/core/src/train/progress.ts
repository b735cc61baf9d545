import type { Logger } from './logger';

/** What `onProgress` receives after every batch. */
export interface ProgressEvent {
  /** 0-based epoch. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch (1-based). */
  step: number;
  /** Batches in an epoch, when the training data has a length. */
  total?: number;
  /** Mean training loss over the epoch so far. */
  loss: number;
  stepsPerSecond: number;
  /** Seconds left in this epoch, when `total` is known. */
  etaSeconds?: number;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatLogs(logs: Record<string, number>): string {
  return Object.entries(logs)
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join(' - ');
}

/**
 * Prints training progress to a logger: on a TTY one line redrawn in place (bar, step/total,
 * loss, steps/s, ETA; at most every `minIntervalMs`), otherwise plain lines, one per epoch and
 * one every `logEvery` steps when that is set.
 */
export class ProgressPrinter {
  private lastDraw = -Infinity;
  private readonly minIntervalMs: number;

  constructor(
    private readonly logger: Logger,
    private readonly opts: { logEvery?: number; minIntervalMs?: number; now?: () => number } = {},
  ) {
    this.minIntervalMs = opts.minIntervalMs ?? 100;
  }

  private now(): number {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  private get tty(): boolean {
    return this.logger.isTTY === true;
  }

  batch(e: ProgressEvent): void {
    const head = `epoch ${e.epoch + 1}/${e.epochs}`;
    const rate = `${e.stepsPerSecond.toFixed(1)} steps/s`;
    if (this.tty) {
      const t = this.now();
      if (t - this.lastDraw < this.minIntervalMs && e.step !== e.total) return;
      this.lastDraw = t;
      const eta = e.etaSeconds !== undefined ? ` ETA ${formatDuration(e.etaSeconds)}` : '';
      const counts = `${e.step}/${e.total ?? '?'}`;
      const tail = ` ${counts} loss ${formatNumber(e.loss)} ${rate}${eta}`;
      const width = Math.max(10, Math.min(30, (this.logger.columns ?? 100) - head.length - tail.length - 4));
      let bar = '';
      if (e.total) {
        const filled = Math.min(width, Math.floor((width * e.step) / e.total));
        bar = ` [${'='.repeat(filled)}${filled < width ? '>' : ''}${'.'.repeat(Math.max(0, width - filled - 1))}]`;
      }
      this.logger.write(`\r${head}${bar}${tail}\x1b[K`);
    } else if (this.opts.logEvery && e.step % this.opts.logEvery === 0) {
      this.logger.write(`${head} step ${e.step}/${e.total ?? '?'} - loss ${formatNumber(e.loss)} - ${rate}\n`);
    }
  }

  epochEnd(epoch: number, epochs: number, steps: number, seconds: number, logs: Record<string, number>): void {
    const line = `epoch ${epoch + 1}/${epochs} - ${steps} steps - ${formatDuration(seconds)} - ${formatLogs(logs)}`;
    this.logger.write(this.tty ? `\r${line}\x1b[K\n` : `${line}\n`);
    this.lastDraw = -Infinity;
  }
}
