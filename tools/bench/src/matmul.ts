/**
 * `--matmul`: GFLOP/s of the matmuls the four training cases run, on wasm with core's BatchMatMul
 * kernel and with TF.js's own, in one process. Timed in process CPU time (the wasm backend is
 * single-threaded), which a busy machine disturbs far less than wall time.
 */
import * as core from '@neuralzoo/core';

const { tf } = core;

interface Shape {
  what: string;
  a: number[];
  b: number[];
  tA: boolean;
  tB: boolean;
}

const SHAPES: Shape[] = [
  { what: 'sgemm 1024³', a: [1024, 1024], b: [1024, 1024], tA: false, tB: false },
  { what: 'sgemm 1024³, b transposed', a: [1024, 1024], b: [1024, 1024], tA: false, tB: true },
  { what: 'sgemm 1024³, a transposed', a: [1024, 1024], b: [1024, 1024], tA: true, tB: false },
  { what: 'MLP x·Wᵀ', a: [128, 784], b: [256, 784], tA: false, tB: true },
  { what: 'MLP dW = dyᵀ·x', a: [128, 256], b: [128, 784], tA: true, tB: false },
  { what: 'LSTM h·W_hhᵀ', a: [32, 128], b: [512, 128], tA: false, tB: true },
  { what: 'Transformer x·W1ᵀ', a: [1024, 128], b: [512, 128], tA: false, tB: true },
  { what: 'Transformer dW1 = dyᵀ·x', a: [1024, 512], b: [1024, 128], tA: true, tB: false },
  { what: 'attention q·kᵀ', a: [16, 4, 64, 32], b: [16, 4, 64, 32], tA: false, tB: true },
  { what: 'attention p·v', a: [16, 4, 64, 64], b: [16, 4, 64, 32], tA: false, tB: false },
  { what: 'attention dv = pᵀ·dy', a: [16, 4, 64, 64], b: [16, 4, 64, 32], tA: true, tB: false },
];

/** CPU ms per call, over at least `seconds` of CPU time and 3 calls. */
function cpuMs(f: () => void, seconds: number): number {
  f();
  const c0 = process.cpuUsage();
  let n = 0;
  let used = 0;
  while (n < 3 || used < seconds * 1e6) {
    f();
    n++;
    const c = process.cpuUsage(c0);
    used = c.user + c.system;
  }
  return used / 1000 / n;
}

function swapIn(config: core.tf.KernelConfig): void {
  tf.unregisterKernel(config.kernelName, config.backendName);
  tf.registerKernel(config);
}

export async function matmulTable(seconds: number): Promise<string> {
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  if (!stock) throw new Error('--matmul: the wasm backend has no BatchMatMul kernel');
  await core.init({ backend: 'wasm' });
  const ours = tf.getKernel('BatchMatMul', 'wasm')!;
  const rows: string[][] = [];
  for (const s of SHAPES) {
    const a = tf.randomNormal(s.a, 0, 1, 'float32', 1);
    const b = tf.randomNormal(s.b, 0, 1, 'float32', 2);
    const k = s.tA ? s.a[s.a.length - 2] : s.a[s.a.length - 1];
    const flop = 2 * k * tf.tidy(() => tf.matMul(a, b, s.tA, s.tB).size);
    const run = () => tf.matMul(a, b, s.tA, s.tB).dispose();
    swapIn(stock);
    const before = cpuMs(run, seconds);
    swapIn(ours);
    const after = cpuMs(run, seconds);
    const gf = (ms: number) => (flop / ms / 1e6).toFixed(1);
    const shape = `[${s.a}]${s.tA ? 'ᵀ' : ''} · [${s.b}]${s.tB ? 'ᵀ' : ''}`;
    rows.push([s.what, shape, gf(before), gf(after), `${(before / after).toFixed(1)}×`]);
    process.stderr.write(`  ${s.what}: ${gf(before)} -> ${gf(after)} GFLOP/s\n`);
    a.dispose();
    b.dispose();
  }
  const head = ['matmul', 'shapes', 'TF.js kernel GFLOP/s', 'core kernel GFLOP/s', 'speedup'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (i < 2 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(head), sep, ...rows.map(line)].join('\n');
}
