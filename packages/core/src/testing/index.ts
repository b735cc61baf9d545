/**
 * Test helpers shared by every package (Node only: reads fixture files). Exported as
 * `@neuralzoo/core/testing`; not part of the browser entry.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../tf';
import { parseSafetensors, SafetensorsFile } from '../io/safetensors';

/**
 * Loads `<dir>/<name>.safetensors`, a fixture written by a script under tools/fixtures/ with
 * PyTorch. Metadata values are JSON-decoded when they parse.
 */
export function loadFixture(dir: string, name: string): { tensors: Record<string, tf.Tensor>; meta: Record<string, unknown>; dispose(): void } {
  const file = path.join(dir, `${name}.safetensors`);
  if (!fs.existsSync(file)) throw new Error(`fixture ${file} is missing: run the generator under tools/fixtures/`);
  const parsed: SafetensorsFile = parseSafetensors(new Uint8Array(fs.readFileSync(file)), file);
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.metadata)) {
    try {
      meta[k] = JSON.parse(v);
    } catch {
      meta[k] = v;
    }
  }
  return { tensors: parsed.tensors, meta, dispose: () => Object.values(parsed.tensors).forEach((t) => t.dispose()) };
}

/**
 * Asserts |actual - expected| <= atol + rtol * |expected| elementwise (numpy.allclose), with a
 * message naming the worst element. Shapes must match exactly.
 */
export function expectClose(actual: tf.Tensor | ArrayLike<number> | number, expected: tf.Tensor | ArrayLike<number> | number, opts: { rtol?: number; atol?: number; what?: string } = {}): void {
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 1e-5;
  const what = opts.what ? `${opts.what}: ` : '';
  if (actual instanceof tf.Tensor && expected instanceof tf.Tensor && !tf.util.arraysEqual(actual.shape, expected.shape))
    throw new Error(`${what}shape [${actual.shape}] differs from expected [${expected.shape}]`);
  const a = toArray(actual);
  const e = toArray(expected);
  if (a.length !== e.length) throw new Error(`${what}${a.length} values differ in count from expected ${e.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < a.length; i++) {
    const excess = Math.abs(a[i] - e[i]) - (atol + rtol * Math.abs(e[i]));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0)
    throw new Error(`${what}element ${worst}: got ${a[worst]}, expected ${e[worst]} (rtol ${rtol}, atol ${atol})`);
}

function toArray(x: tf.Tensor | ArrayLike<number> | number): ArrayLike<number> {
  if (x instanceof tf.Tensor) return x.dataSync() as ArrayLike<number>;
  if (typeof x === 'number') return [x];
  return x;
}

/** Runs fn and asserts it leaves no tensor behind (tf.memory().numTensors unchanged). */
export function expectNoLeak<T>(fn: () => T, allowed = 0): T {
  const before = tf.memory().numTensors;
  const out = fn();
  const after = tf.memory().numTensors;
  if (after - before > allowed) throw new Error(`leaked ${after - before - allowed} tensor(s) (${before} before, ${after} after)`);
  return out;
}
