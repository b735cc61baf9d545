/**
 * TensorBoard-compatible scalar logs (Node only): event files (`events.out.tfevents.*`) made of
 * TFRecords of `Event` protocol buffers holding `Summary.Value.simple_value`, the format
 * TensorBoard's scalar dashboard reads. Written directly: no protobuf or TensorFlow dependency.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { BatchLogs, Callback, EpochLogs, TrainContext } from '../train/callbacks';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1; // CRC-32C (Castagnoli), reflected
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of `bytes`. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's masked CRC: rotate right by 15 and add a constant. */
export function maskedCrc32c(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

function lengthDelimited(field: number, payload: Uint8Array): number[] {
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}

/** Serialised `Event { wall_time, step, file_version | summary { value { tag, simple_value } } }`. */
function encodeEvent(wallTime: number, step: number, body: { fileVersion?: string; scalars?: Array<[string, number]> }): Uint8Array {
  const out: number[] = [];
  const f64 = new Uint8Array(8);
  new DataView(f64.buffer).setFloat64(0, wallTime, true);
  out.push(0x09, ...f64); // field 1, fixed64
  out.push(0x10, ...varint(step)); // field 2, varint
  if (body.fileVersion) out.push(...lengthDelimited(3, new TextEncoder().encode(body.fileVersion)));
  if (body.scalars) {
    const summary: number[] = [];
    for (const [tag, value] of body.scalars) {
      const f32 = new Uint8Array(4);
      new DataView(f32.buffer).setFloat32(0, value, true);
      const v = [...lengthDelimited(1, new TextEncoder().encode(tag)), 0x15, ...f32]; // Value.tag, Value.simple_value (fixed32)
      summary.push(...lengthDelimited(1, Uint8Array.from(v)));
    }
    out.push(...lengthDelimited(5, Uint8Array.from(summary)));
  }
  return Uint8Array.from(out);
}

/** One TFRecord: length, masked CRC of the length, data, masked CRC of the data. */
export function tfRecord(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(16 + data.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(out.subarray(0, 8)), true);
  out.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return out;
}

/** Writes scalars to a TensorBoard event file in `logdir` (PyTorch's SummaryWriter.add_scalar). */
export class SummaryWriter {
  /** The event file written. */
  readonly file: string;

  constructor(readonly logdir: string) {
    fs.mkdirSync(logdir, { recursive: true });
    const now = Date.now() / 1000;
    this.file = path.join(logdir, `events.out.tfevents.${Math.floor(now)}.${os.hostname()}.${process.pid}`);
    fs.writeFileSync(this.file, tfRecord(encodeEvent(now, 0, { fileVersion: 'brain.Event:2' })));
  }

  addScalar(tag: string, value: number, step: number): void {
    this.addScalars([[tag, value]], step);
  }

  /** Several scalars at one step, in one event. Non-finite values are skipped. */
  addScalars(scalars: Array<[string, number]>, step: number): void {
    const finite = scalars.filter(([, v]) => Number.isFinite(v));
    if (!finite.length) return;
    fs.appendFileSync(this.file, tfRecord(encodeEvent(Date.now() / 1000, step, { scalars: finite })));
  }
}

/**
 * Logs epoch values to TensorBoard the way Keras does: `<logdir>/train` gets `epoch_loss`,
 * `epoch_<metric>` and `epoch_lr`, `<logdir>/validation` gets `epoch_loss` and `epoch_<metric>`
 * (so both curves overlay), at step = epoch. With `everySteps`, also `batch_loss` at the global step.
 */
export class TensorBoardLogger implements Callback {
  private train: SummaryWriter | null = null;
  private validation: SummaryWriter | null = null;

  constructor(
    readonly logdir: string,
    private readonly opts: { everySteps?: number } = {},
  ) {}

  onTrainBegin(): void {
    this.train = new SummaryWriter(path.join(this.logdir, 'train'));
  }

  onBatchEnd(batch: number, logs: BatchLogs, ctx: TrainContext): void {
    const every = this.opts.everySteps ?? 0;
    if (every && (batch + 1) % every === 0) this.train?.addScalar('batch_loss', logs.loss, ctx.globalStep);
  }

  onEpochEnd(epoch: number, logs: EpochLogs): void {
    const train: Array<[string, number]> = [];
    const val: Array<[string, number]> = [];
    for (const [k, v] of Object.entries(logs)) {
      if (/^val[A-Z]/.test(k)) val.push([`epoch_${k[3].toLowerCase()}${k.slice(4)}`, v]);
      else train.push([`epoch_${k}`, v]);
    }
    this.train?.addScalars(train, epoch);
    if (val.length) {
      this.validation ??= new SummaryWriter(path.join(this.logdir, 'validation'));
      this.validation.addScalars(val, epoch);
    }
  }
}
