import { tf } from '../../tf';
import { expectClose } from '../../testing';
import { backendDataIds, onCpuAndWasm, randomValues, runOn } from './compare_backends';
import { releaseWasmMatMulCache, transposeBlocks, wasmMatMulCacheStats } from './matmul';

interface Case {
  a: number[];
  b: number[];
  tA?: boolean;
  tB?: boolean;
}

// Sizes above the kernel's small-matmul cutoff (4096 multiply-adds) unless noted, so that the
// rearranged XNNPACK paths run; odd sizes cross the 32-wide transpose tiles.
const CASES: Case[] = [
  { a: [33, 47], b: [47, 29] }, // stock fast path
  { a: [33, 47], b: [29, 47], tB: true }, // x·Wᵀ (Linear)
  { a: [47, 33], b: [47, 29], tA: true }, // dW = dyᵀ·x
  { a: [47, 33], b: [29, 47], tA: true, tB: true },
  { a: [1, 64], b: [96, 64], tB: true }, // a single row
  { a: [64, 1], b: [64, 96], tA: true }, // [K, 1]ᵀ needs no copy
  { a: [40, 1], b: [200, 1], tB: true }, // K = 1
  { a: [4, 13, 31], b: [31, 17] }, // batched a, 2-D b: one call on [4·13, 31]
  { a: [4, 31, 13], b: [17, 31], tA: true, tB: true },
  { a: [5, 16, 24], b: [5, 24, 20] }, // batched pairs
  { a: [5, 16, 24], b: [5, 20, 24], tB: true }, // attention q·kᵀ
  { a: [5, 24, 16], b: [5, 24, 20], tA: true },
  { a: [5, 24, 16], b: [5, 20, 24], tA: true, tB: true },
  { a: [2, 3, 16, 24], b: [2, 3, 24, 20] }, // rank 4
  { a: [2, 3, 24, 16], b: [2, 3, 20, 24], tA: true, tB: true },
  { a: [2, 1, 16, 24], b: [1, 3, 24, 20] }, // broadcasting both ways
  { a: [16, 24], b: [3, 24, 20] }, // 2-D a against batched b
  { a: [24, 16], b: [2, 3, 20, 24], tA: true, tB: true },
  { a: [3, 1, 16, 24], b: [2, 20, 24], tB: true },
  { a: [2, 4, 5], b: [2, 5, 3], tA: false }, // below the cutoff: stock kernel
];

/**
 * a·b on the active backend with both batch shapes first broadcast to the output's (the cpu
 * kernel indexes batches modulo their count, which is right only when one side has batch 1).
 */
function broadcastMatMul(a: tf.Tensor, b: tf.Tensor, tA = false, tB = false): tf.Tensor {
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const batch = tf.broadcast_util.assertAndGetBroadcastShape(aB, bB);
  const to = (t: tf.Tensor) => (batch.length === 0 ? t : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]));
  return tf.matMul(to(a), to(b), tA, tB);
}

/** The cpu backend's result for broadcast operands and wasm's for the original ones. */
async function compare(av: Float32Array, aShape: number[], bv: Float32Array, bShape: number[], tA = false, tB = false) {
  const [cpu] = await runOn('cpu', () => broadcastMatMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), tA, tB));
  const [wasm] = await runOn('wasm', () => tf.matMul(tf.tensor(av, aShape), tf.tensor(bv, bShape), tA, tB));
  return { cpu, wasm };
}

function name(c: Case): string {
  return `[${c.a}]${c.tA ? 'ᵀ' : ''} × [${c.b}]${c.tB ? 'ᵀ' : ''}`;
}

describe('wasm BatchMatMul', () => {
  it.each(CASES.map((c) => [name(c), c] as const))('matches cpu: %s', async (_n, c) => {
    const av = randomValues(c.a.reduce((x, y) => x * y, 1), 3 + c.a.length);
    const bv = randomValues(c.b.reduce((x, y) => x * y, 1), 7 + c.b.length);
    const { cpu, wasm } = await compare(av, c.a, bv, c.b, c.tA, c.tB);
    expect(wasm.shape).toEqual(cpu.shape);
    expectClose(wasm.values, cpu.values, { rtol: 1e-5, atol: 1e-5 });
  });

  it('matches cpu on random shapes, transposes and batch broadcasting', async () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return 1 + (seed >>> 8) % n;
    };
    for (let trial = 0; trial < 24; trial++) {
      const [m, k, n] = [rnd(40), rnd(40), rnd(40)];
      const rank = 2 + (trial % 3);
      const batch = Array.from({ length: rank - 2 }, () => rnd(3));
      const aB = batch.map((d) => (rnd(3) === 1 ? 1 : d));
      const bB = batch.map((d, i) => (aB[i] === 1 ? d : rnd(2) === 1 ? 1 : d));
      const tA = rnd(2) === 1;
      const tB = rnd(2) === 1;
      const aShape = [...aB, ...(tA ? [k, m] : [m, k])];
      const bShape = [...bB.slice(rnd(2) - 1), ...(tB ? [n, k] : [k, n])];
      const av = randomValues(aShape.reduce((x, y) => x * y, 1), trial + 100);
      const bv = randomValues(bShape.reduce((x, y) => x * y, 1), trial + 200);
      const { cpu, wasm } = await compare(av, aShape, bv, bShape, tA, tB);
      expect({ trial, shape: wasm.shape }).toEqual({ trial, shape: cpu.shape });
      expectClose(wasm.values, cpu.values, { rtol: 1e-5, atol: 1e-5 });
    }
  });

  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('gives the same gradients as cpu (transposeA %s, transposeB %s)', async (tA, tB) => {
    for (const batch of [[], [3], [2, 2]]) {
      const aShape = [...batch, ...(tA ? [20, 18] : [18, 20])];
      const bShape = [...batch, ...(tB ? [22, 20] : [20, 22])];
      const av = randomValues(aShape.reduce((x, y) => x * y, 1), 31);
      const bv = randomValues(bShape.reduce((x, y) => x * y, 1), 32);
      const wv = randomValues(batch.reduce((x, y) => x * y, 1) * 18 * 22, 33);
      const [cpu, wasm] = await onCpuAndWasm(() => {
        const a = tf.tensor(av, aShape);
        const b = tf.tensor(bv, bShape);
        const w = tf.tensor(wv, [...batch, 18, 22]);
        const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, tA, tB), w)));
        return g([a, b]);
      });
      expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-5, atol: 1e-5 });
      expectClose(wasm[1].values, cpu[1].values, { rtol: 1e-5, atol: 1e-5 });
      expect(wasm[0].shape).toEqual(aShape);
      expect(wasm[1].shape).toEqual(bShape);
    }
  });

  it('gives Linear-style x·Wᵀ the same gradients as cpu for a 3-D input', async () => {
    const xv = randomValues(4 * 7 * 24, 41);
    const wv = randomValues(16 * 24, 42);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor3d(xv, [4, 7, 24]);
      const w = tf.tensor2d(wv, [16, 24]);
      const g = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.matMul(xx.reshape([28, 24]), ww, false, true))));
      return g([x, w]);
    });
    expectClose(wasm[0].values, cpu[0].values, { rtol: 1e-5, atol: 1e-5 });
    expectClose(wasm[1].values, cpu[1].values, { rtol: 1e-5, atol: 1e-5 });
  });

  it('keeps a [1, K] right operand read as its transpose apart from its later plain use (XNNPACK operator cache)', async () => {
    // AdaptiveAvgPool2d(1)'s gradient: y = x·pᵀ with p [1, H], then dx = dy·p, the same p as a
    // [1, H] right operand. The first call must not leave an operator packed as [H, 1] under p's id.
    const xv = randomValues(4096 * 4, 51);
    const pv = randomValues(4, 52);
    const dv = randomValues(4096, 53);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor2d(xv, [4096, 4]);
      const p = tf.tensor2d(pv, [1, 4]);
      const dy = tf.tensor2d(dv, [4096, 1]);
      const y = tf.matMul(x, p, false, true); // [4096, 1]
      const dx = tf.matMul(dy, p); // [4096, 4]
      const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.matMul(xx, p, false, true).mul(dy)))(x);
      return [y, dx, g];
    });
    for (let i = 0; i < 3; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-5, atol: 1e-5 });
    }
  });

  it('gives a one-output Linear (additive attention score vᵀ·e) the same gradients as cpu', async () => {
    // e [B, T, S, A] · vᵀ with v [1, A]: the [1, A] weight is a right operand read transposed in
    // the forward and a plain [1, A] operand in the input gradient (the operator-cache case above).
    const ev = randomValues(4 * 6 * 9 * 32, 61);
    const vv = randomValues(32, 62);
    const wv = randomValues(4 * 6 * 9, 63);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const e = tf.tensor4d(ev, [4, 6, 9, 32]);
      const v = tf.tensor2d(vv, [1, 32]);
      const w = tf.tensor3d(wv, [4, 6, 9]);
      const score = (ee: tf.Tensor, vw: tf.Tensor) => tf.sum(tf.matMul(tf.tanh(ee).reshape([-1, 32]), vw, false, true).reshape([4, 6, 9]).mul(w));
      return [...tf.grads(score)([e, v]), score(e, v)];
    });
    for (let i = 0; i < 3; i++) expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-5, atol: 1e-5 });
  });

  it('multiplies a tensor with itself (x·xᵀ, xᵀ·x, batched)', async () => {
    const xv = randomValues(3 * 40 * 24, 9);
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const x = tf.tensor3d(xv, [3, 40, 24]);
      const x2 = x.reshape([120, 24]);
      return [tf.matMul(x2, x2, false, true), tf.matMul(x2, x2, true, false), tf.matMul(x, x, false, true), tf.matMul(x, x, true, false)];
    });
    for (let i = 0; i < 4; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-5, atol: 1e-5 });
    }
  });

  it('leaves int32 operands to the stock kernel (same values as cpu)', async () => {
    const av = Int32Array.from(randomValues(40 * 30, 4), (v) => Math.round(v * 5));
    const bv = Int32Array.from(randomValues(20 * 30, 5), (v) => Math.round(v * 5));
    const [cpu, wasm] = await onCpuAndWasm(() => tf.matMul(tf.tensor2d(av, [40, 30], 'int32'), tf.tensor2d(bv, [20, 30], 'int32'), false, true));
    expect(wasm[0].shape).toEqual([40, 20]);
    expect(wasm[0].values).toEqual(cpu[0].values);
  });

  it('handles empty and K = 0 operands', async () => {
    const [cpu, wasm] = await onCpuAndWasm(() => [
      tf.matMul(tf.zeros([3, 0, 5]), tf.ones([3, 5, 4])),
      tf.matMul(tf.ones([2, 0, 6]), tf.ones([2, 7, 0]), true, true),
    ]);
    expect(wasm[0].shape).toEqual([3, 0, 4]);
    expect(wasm[1].shape).toEqual([2, 6, 7]);
    expect(wasm[1].values).toEqual(new Array(84).fill(0));
    expect(cpu[1].values).toEqual(wasm[1].values);
  });

  it('caches the transpose of a live weight and drops it once the weight is disposed', async () => {
    const wv = randomValues(96 * 80, 5);
    const xv = randomValues(32 * 80, 6);
    const [cpu] = await runOn('cpu', () => tf.matMul(tf.tensor2d(xv, [32, 80]), tf.tensor2d(wv, [96, 80]), false, true));
    expect(cpu.shape).toEqual([32, 96]);
    const previous = tf.getBackend();
    await runOn('wasm', () => tf.scalar(0)); // registers the kernels
    await tf.setBackend('wasm');
    try {
      const w = tf.tensor2d(wv, [96, 80]);
      const x = tf.tensor2d(xv, [32, 80]);
      releaseWasmMatMulCache();
      const before = wasmMatMulCacheStats();
      expect(before).toEqual({ entries: 0, bytes: 0 });
      const ids = backendDataIds();
      for (let i = 0; i < 3; i++) {
        const y = tf.matMul(x, w, false, true);
        expectClose(y.dataSync(), cpu.values, { rtol: 1e-5, atol: 1e-5 });
        y.dispose();
      }
      expect(backendDataIds()).toBe(ids);
      expect(wasmMatMulCacheStats()).toEqual({ entries: before.entries + 1, bytes: before.bytes + 96 * 80 * 4 });
      w.dispose();
      // The next transposed weight evicts the stale entry.
      const w2 = tf.tensor2d(wv, [96, 80]);
      tf.matMul(x, w2, false, true).dispose();
      expect(wasmMatMulCacheStats()).toEqual({ entries: before.entries + 1, bytes: before.bytes + 96 * 80 * 4 });
      w2.dispose();
      x.dispose();
      releaseWasmMatMulCache();
      expect(wasmMatMulCacheStats()).toEqual({ entries: 0, bytes: 0 });
    } finally {
      await tf.setBackend(previous);
    }
  });

  it('leaks no tensors or backend buffers', async () => {
    await runOn('wasm', () => tf.scalar(0));
    const previous = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const a = tf.tensor3d(randomValues(4 * 20 * 30, 1), [4, 20, 30]);
      const b = tf.tensor3d(randomValues(4 * 25 * 30, 2), [4, 25, 30]);
      const tensors = tf.memory().numTensors;
      const ids = backendDataIds();
      tf.tidy(() => {
        tf.matMul(a, b, false, true).dataSync();
        tf.matMul(b, a, false, true).dataSync();
        tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y, false, true)))([a, b]);
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backendDataIds()).toBe(ids);
      a.dispose();
      b.dispose();
    } finally {
      await tf.setBackend(previous);
    }
  });
});

describe('transposeBlocks', () => {
  it('transposes a batch of matrices across tile edges', () => {
    const [batch, rows, cols] = [2, 37, 70];
    const n = rows * cols;
    const heap = new Float32Array(5 + 2 * batch * n);
    for (let i = 0; i < batch * n; i++) heap[5 + i] = i;
    transposeBlocks(heap, 5, 5 + batch * n, batch, rows, cols);
    for (let b = 0; b < batch; b++)
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) expect(heap[5 + batch * n + b * n + c * rows + r]).toBe(b * n + r * cols + c);
  });
});
