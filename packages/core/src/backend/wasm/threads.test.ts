// The multi-threaded wasm binary in Node (threaded.ts): it loads with the thread count asked
// for, core's kernels give cpu's results on it (matmul fast paths, conv2d and its gradients,
// short trainings), nothing leaks, and a Node process using it exits by itself.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { tf } from '../../tf';
import { backward, F, nn, optim } from '../../index';
import { expectClose, expectNoLeak } from '../../testing';
import { init, backendInfo } from '../init';
import { backendDataIds, randomValues, runOn } from './compare_backends';
import { wasmThreadsInUse } from './index';
import { serialWasm } from './serial';

const THREADS = 2;

beforeAll(async () => {
  const info = await init({ backend: 'wasm', threads: THREADS });
  expect(info.name).toBe('wasm');
});

afterAll(() => {
  // Disposing the backend terminates its pthread workers (the Jest worker outlives this file).
  tf.removeBackend('wasm');
});

function tensorOf(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

describe('threaded wasm in Node', () => {
  it('computes with the threads asked for, and reports them', () => {
    expect(wasmThreadsInUse()).toBe(THREADS);
    expect(serialWasm()).not.toBeNull(); // loaded beside the threaded module, for the fused recurrent loops
    const info = backendInfo();
    expect(info.threads).toBe(THREADS);
    expect(info.reasons.wasm).toBeUndefined();
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
  });

  // The shapes of matmul.test.ts: every path of core's BatchMatMul (stock XNNPACK, transposed
  // operands, folded batches, batched pairs, broadcasting, the small-matmul fallback).
  const MATMULS: [number[], number[], boolean, boolean][] = [
    [[33, 47], [47, 29], false, false],
    [[33, 47], [29, 47], false, true],
    [[47, 33], [47, 29], true, false],
    [[47, 33], [29, 47], true, true],
    [[1, 64], [96, 64], false, true],
    [[64, 1], [64, 96], true, false],
    [[40, 1], [200, 1], false, true],
    [[4, 13, 31], [31, 17], false, false],
    [[4, 31, 13], [17, 31], true, true],
    [[5, 16, 24], [5, 24, 20], false, false],
    [[5, 16, 24], [5, 20, 24], false, true],
    [[5, 24, 16], [5, 24, 20], true, false],
    [[2, 3, 24, 16], [2, 3, 20, 24], true, true],
    [[2, 1, 16, 24], [1, 3, 24, 20], false, false],
    [[24, 16], [2, 3, 20, 24], true, true],
    [[3, 1, 16, 24], [2, 20, 24], false, true],
    [[2, 4, 5], [2, 5, 3], false, false],
    [[128, 256], [192, 256], false, true], // large enough for XNNPACK to split the work
  ];
  it.each(MATMULS.map((c) => [`[${c[0]}]${c[2] ? 'ᵀ' : ''} × [${c[1]}]${c[3] ? 'ᵀ' : ''}`, c] as const))(
    'matmul %s equals cpu',
    async (_n, [a, b, tA, tB]) => {
      const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.slice(0, -2), b.slice(0, -2));
      const to = (t: tf.Tensor) => (batch.length === 0 ? t : tf.broadcastTo(t, [...batch, ...t.shape.slice(-2)]));
      // cpu's kernel broadcasts batches correctly only when one side has batch 1: give it both full.
      const [cpu] = await runOn('cpu', () => tf.matMul(to(tensorOf(a, 3)), to(tensorOf(b, 7)), tA, tB));
      const before = backendDataIds();
      const [wasm] = await runOn('wasm', () => tf.matMul(tensorOf(a, 3), tensorOf(b, 7), tA, tB));
      expect(backendDataIds()).toBe(before);
      expect(wasm.shape).toEqual(cpu.shape);
      expectClose(wasm.values, cpu.values, { rtol: 1e-5, atol: 1e-5 });
    },
  );

  it('keeps cpu\'s results after the shared heap grows (views are re-taken)', async () => {
    const heapBytes = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
    await tf.setBackend('wasm');
    const before = heapBytes();
    const big = tf.fill([before / 4 + 1024 * 1024], 0.5); // more floats than the heap has bytes / 4
    expect(heapBytes()).toBeGreaterThan(before);
    expect((tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer).toBeInstanceOf(SharedArrayBuffer);
    const [cpu] = await runOn('cpu', () => tf.matMul(tensorOf([47, 33], 3), tensorOf([29, 47], 7), true, true));
    const [wasm] = await runOn('wasm', () => tf.matMul(tensorOf([47, 33], 3), tensorOf([29, 47], 7), true, true));
    expectClose(wasm.values, cpu.values, { rtol: 1e-5, atol: 1e-5 });
    expect(tf.tidy(() => Array.from(big.slice([big.size - 2]).dataSync()))).toEqual([0.5, 0.5]); // its end, past the old heap
    big.dispose();
  });

  const CONVS: { x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 9, 9, 3], f: [3, 3, 3, 8], stride: 1, pad: 'same' },
    { x: [2, 12, 11, 4], f: [5, 5, 4, 6], stride: 2, pad: 'valid' },
    { x: [2, 20, 20, 1], f: [5, 5, 1, 6], stride: 1, pad: 'valid' }, // as LeNet-5's first layer
  ];
  it.each(CONVS.map((c) => [`x [${c.x}] f [${c.f}] stride ${c.stride} ${c.pad}`, c] as const))(
    'conv2d %s and its input and filter gradients equal cpu',
    async (_n, c) => {
      const run = () => {
        const x = tensorOf(c.x, 11) as tf.Tensor4D;
        const f = tensorOf(c.f, 13) as tf.Tensor4D;
        const y = tf.conv2d(x, f, c.stride, c.pad);
        const dy = tensorOf(y.shape, 17);
        // Conv2DBackpropInput (core's fix) and Conv2DBackpropFilter (core's kernel).
        const [dx, df] = tf.grads((a: tf.Tensor, w: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, c.stride, c.pad).mul(dy).sum())([x, f]);
        return [y, dx, df];
      };
      const cpu = await runOn('cpu', run);
      const wasm = await runOn('wasm', run);
      for (let i = 0; i < 3; i++) {
        expect(wasm[i].shape).toEqual(cpu[i].shape);
        expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-4, atol: 1e-4, what: ['conv2d', 'input gradient', 'filter gradient'][i] });
      }
    },
  );

  /** Five SGD steps of `build()` on fixed data and weights; returns the losses. */
  async function trainLosses(backend: 'cpu' | 'wasm', build: () => nn.Module, xShape: number[], classes: number): Promise<number[]> {
    await tf.setBackend(backend);
    const model = build();
    model.parameters().forEach((p, i) => p.assign(tensorOf(p.data.shape, 100 + i).mul(0.3)));
    const x = tensorOf(xShape, 5);
    const y = tf.tensor1d(Array.from({ length: xShape[0] }, (_, i) => (i * 7) % classes), 'int32');
    const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const losses: number[] = [];
    const step = () => {
      losses.push(backward(() => F.crossEntropy(model.forward(x) as tf.Tensor, y), model));
      opt.step();
      opt.zeroGrad();
    };
    step(); // creates the optimizer's momentum buffers
    const ids = backendDataIds();
    expectNoLeak(() => {
      for (let i = 0; i < 4; i++) step();
    });
    expect(backendDataIds()).toBe(ids);
    x.dispose();
    y.dispose();
    model.dispose();
    return losses;
  }

  const MODELS: [string, () => nn.Module, number[]][] = [
    ['MLP', () => new nn.Sequential(new nn.Linear(20, 64), new nn.ReLU(), new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10)), [32, 20]],
    [
      'LeNet-like conv net',
      () =>
        new nn.Sequential(
          new nn.Conv2d(1, 6, 5), new nn.ReLU(), new nn.MaxPool2d(2), // [B, 16, 16, 1] -> [B, 6, 6, 6]
          new nn.Conv2d(6, 16, 3), new nn.ReLU(), new nn.MaxPool2d(2), // -> [B, 2, 2, 16]
          new nn.Flatten(), new nn.Linear(64, 32), new nn.ReLU(), new nn.Linear(32, 10),
        ),
      [6, 16, 16, 1],
    ],
    // The fused LSTM/GRU loops run their per-step matmuls and sigmoids on the serial module here.
    [
      'LSTM + GRU',
      () => {
        const lstm = new nn.LSTM(6, 8, { numLayers: 2, bidirectional: true });
        const gru = new nn.GRU(16, 8);
        const head = new nn.Linear(8, 10);
        const m = new nn.Sequential(lstm, gru, head);
        m.forward = (x: tf.Tensor) => {
          const [o] = lstm.forward(x); // [B, T, 16]
          const [o2] = gru.forward(o); // [B, T, 8]
          return head.forward(o2.mean(1)); // [B, 10]
        };
        return m;
      },
      [4, 7, 6],
    ],
  ];
  it.each(MODELS)('trains a %s with the losses of cpu', async (_n, build, xShape) => {
    const cpu = await trainLosses('cpu', build, xShape, 10);
    const wasm = await trainLosses('wasm', build, xShape, 10);
    expect(wasmThreadsInUse()).toBe(THREADS);
    expect(cpu[4]).toBeLessThan(cpu[0]); // it learns, so the comparison covers real updates
    expectClose(wasm, cpu, { rtol: 0, atol: 1e-4 });
  });

  it('takes the count from NEURALZOO_WASM_THREADS, and rejects a malformed one', async () => {
    const saved = process.env.NEURALZOO_WASM_THREADS;
    try {
      process.env.NEURALZOO_WASM_THREADS = 'two';
      await expect(init({ backend: 'wasm' })).rejects.toThrow("NEURALZOO_WASM_THREADS must be a positive integer, got 'two'");
      process.env.NEURALZOO_WASM_THREADS = String(THREADS);
      expect((await init({ backend: 'wasm' })).threads).toBe(THREADS);
    } finally {
      if (saved === undefined) delete process.env.NEURALZOO_WASM_THREADS;
      else process.env.NEURALZOO_WASM_THREADS = saved;
    }
  });

  it('keeps a wasm backend that holds tensors, and says why the new count does not apply', async () => {
    await tf.setBackend('wasm');
    const held = tf.ones([3]);
    const info = await init({ backend: 'wasm', threads: 1 });
    expect(info.threads).toBe(THREADS);
    expect(info.reasons.wasm).toBe(`the wasm backend already runs with ${THREADS} thread(s) and holds tensors; the 1 asked for apply only to a new wasm backend`);
    expect(Array.from(held.dataSync())).toEqual([1, 1, 1]);
    held.dispose();
  });

  /** Runs a child Node that inits wasm with 2 threads and sums a matmul; returns its result. */
  function childRun(env: Record<string, string | undefined>) {
    // The child loads core's TypeScript sources through @swc/core, like parallel/spawn.ts does.
    const script = `
      const Module = require('module');
      const fs = require('fs');
      const { transformSync } = require(${JSON.stringify(require.resolve('@swc/core'))});
      Module._extensions['.ts'] = (m, filename) => m._compile(transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      }).code, filename);
      const { init } = require(${JSON.stringify(path.join(__dirname, '../init.ts'))});
      const { tf } = require(${JSON.stringify(path.join(__dirname, '../../tf.ts'))});
      init({ backend: 'wasm', threads: 2 }).then((info) => {
        const a = tf.ones([64, 96]);
        const s = tf.matMul(a, a, false, true).sum().dataSync()[0];
        process.stdout.write(JSON.stringify({ threads: info.threads, reasons: info.reasons, sum: s }));
      });
    `;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 90_000, env });
    expect(child.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    return JSON.parse(child.stdout) as { threads: number; reasons: Record<string, string>; sum: number };
  }

  it('lets a Node process that computes with 2 threads exit by itself', () => {
    expect(childRun(process.env)).toEqual({ threads: 2, reasons: {}, sum: 64 * 64 * 96 });
  });

  it('falls back to the single-threaded binary, with the reason, when the threaded one cannot load', () => {
    // No HOME and no XDG_CACHE_HOME: the pthread worker script has nowhere to be written.
    const { HOME: _h, XDG_CACHE_HOME: _x, ...env } = process.env;
    const out = childRun(env);
    expect(out.threads).toBe(1);
    expect(out.sum).toBe(64 * 64 * 96);
    expect(out.reasons.wasm).toMatch(/^the threaded wasm binary did not load in Node \(neither XDG_CACHE_HOME nor HOME is set.*\); using the single-threaded one$/);
  });
});
