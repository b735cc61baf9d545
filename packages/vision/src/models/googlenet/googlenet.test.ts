import * as path from 'path';
import { Worker } from 'worker_threads';
import { backward, defaultGenerator, F, manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { GOOGLENET_DEFAULTS, GOOGLENET_FASHION_MNIST_RECIPE, GoogLeNet, googlenet, Inception } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/googlenet');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

// ---- formula weights: the same values as formula_state_dict in tools/fixtures/vision_models.py ----
// Computed in a worker thread: loops over ~10^8 numbers run ~100× slower inside Jest's VM context.
const FORMULA_WORKER = `
const { parentPort, workerData } = require('worker_threads');
function fnv1a32(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
function formula(name, shape) {
  const n = shape.reduce((a, b) => a * b, 1);
  const h = fnv1a32(name);
  const scale = Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1));
  const kind = name.endsWith('running_var') ? 0 : name.endsWith('running_mean') ? 1 : name.endsWith('bias') ? 2 : shape.length === 1 ? 3 : 4;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = (Math.imul(i, 0x9e3779b1) + h) >>> 0; // murmur3 fmix32 of a counter
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x = (x ^ (x >>> 16)) >>> 0;
    const u = x / 4294967296;
    const v = 2 * u - 1;
    out[i] = kind === 0 ? 0.75 + 0.5 * u : kind === 1 ? 0.1 * v : kind === 2 ? 0.05 * v : kind === 3 ? 1 + 0.2 * v : v * scale;
  }
  return out;
}
const out = workerData.map(([name, shape]) => formula(name, shape));
parentPort.postMessage(out, out.map((a) => a.buffer));
`;

/** Loads formula values into every parameter and buffer of `m` (num_batches_tracked kept). */
async function loadFormulaWeights(m: nn.Module): Promise<void> {
  const own = m.stateDict();
  const entries = Object.entries(own)
    .filter(([k]) => !k.endsWith('num_batches_tracked'))
    .map(([k, t]) => [k, t.shape] as [string, number[]]);
  const values = await new Promise<Float32Array[]>((resolve, reject) => {
    const worker = new Worker(FORMULA_WORKER, { eval: true, workerData: entries });
    worker.once('message', (v: Float32Array[]) => {
      resolve(v);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
  // One tensor at a time into the module's own variables: keeps the peak (wasm heap) near one model.
  entries.forEach(([k, shape], i) => {
    const t = tf.tensor(new Float32Array(values[i]), shape, 'float32');
    (own[k] as tf.Variable).assign(t);
    t.dispose();
  });
}

/** max |a - e| and max |e|. */
function errors(a: tf.Tensor, e: tf.Tensor): { maxErr: number; maxRef: number } {
  const av = a.dataSync();
  const ev = e.dataSync();
  let maxErr = 0;
  let maxRef = 0;
  for (let i = 0; i < ev.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(av[i] - ev[i]));
    maxRef = Math.max(maxRef, Math.abs(ev[i]));
  }
  return { maxErr, maxRef };
}

/**
 * Builds a model with zero-filled instead of random initial values: drawing ~10^8 numbers from the
 * JS generator takes minutes under Jest, and structure and formula-weight tests overwrite them.
 */
function buildUninitialised<M>(build: () => M): M {
  const uniform = jest.spyOn(defaultGenerator, 'uniformArray').mockImplementation((n: number) => new Float32Array(n));
  const normal = jest.spyOn(defaultGenerator, 'normalArray').mockImplementation((n: number) => new Float32Array(n));
  try {
    return build();
  } finally {
    uniform.mockRestore();
    normal.mockRestore();
  }
}

type Structure = Record<string, { count: number; keys: Array<[string, number[]]> }>;

describe('GoogLeNet (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  onCpu('googlenet() has torchvision 0.14\'s state dict without and with aux heads: keys, shapes, 6,624,904 / 13,004,888 parameters', () => {
    for (const [name, auxLogits] of [['googlenet', false], ['googlenet_aux', true]] as const) {
      const m = buildUninitialised(() => googlenet({ auxLogits }));
      expect([name, Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape])]).toEqual([name, structure[name].keys]);
      expect([name, m.numParameters()]).toEqual([name, structure[name].count]);
      m.dispose();
    }
    expect(structure.googlenet.count).toBe(6_624_904);
  });

  onWasm('matches torchvision googlenet logits on 64×64 input with a torchvision-named state dict', async () => {
    const fx = loadFixture(FIXTURES, 'googlenet_64');
    const m = buildUninitialised(() => googlenet()).eval();
    await loadFormulaWeights(m);
    const y = m.forward(fx.tensors.x);
    const { maxErr, maxRef } = errors(y, fx.tensors.out);
    expect(maxRef).toBeGreaterThan(1);
    expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxRef)); // 1e-4 relative to the largest logit
    tf.dispose(y);
    m.dispose();
    fx.dispose();
  });

  it('Inception block loads a seeded torchvision Inception state dict (trained BatchNorm statistics) and matches its output', () => {
    const fx = loadFixture(FIXTURES, 'block_inception');
    const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
    const block = new Inception(6, 4, 3, 5, 2, 3, 4).eval();
    block.loadStateDict(sd);
    const y = block.forward(fx.tensors.x);
    expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: 'Inception output' });
    y.dispose();
    block.dispose();
    fx.dispose();
  });

  it('rejects NCHW input, a wrong channel count and too small images, naming both shapes', () => {
    const m = googlenet({ widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([2, 3, 32, 32]);
    expect(() => m.forward(nchw)).toThrow(
      'GoogLeNet: expected NHWC input [batch, height, width, 3] with height, width >= 31, got shape [2,3,32,32]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([2, 32, 32, 1]);
    expect(() => m.forward(grey)).toThrow('GoogLeNet: expected NHWC input [batch, height, width, 3] with height, width >= 31, got shape [2,32,32,1]');
    const small = tf.zeros([1, 30, 30, 3]);
    expect(() => m.forward(small)).toThrow('got shape [1,30,30,3]');
    const ok = tf.zeros([1, 31, 31, 3]);
    const y = m.eval().forward(ok);
    expect(y.shape).toEqual([1, 10]);
    tf.dispose([nchw, grey, small, ok, y]);
    m.dispose();
  });

  describe('contract (width 1/16, aux heads on, 32×32 grey)', () => {
    const cfg = { widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10, auxLogits: true };
    let model: GoogLeNet;
    const loss = (x: tf.Tensor, t: tf.Tensor) => () => {
      const { logits, aux1, aux2 } = model.forwardWithAux(x);
      return tf.add(F.crossEntropy(logits, t), tf.mul(tf.add(F.crossEntropy(aux1!, t), F.crossEntropy(aux2!, t)), 0.3)) as tf.Scalar;
    };
    beforeAll(() => {
      manualSeed(0);
      model = googlenet(cfg);
    });
    afterAll(() => model.dispose());

    it('maps [B, 32, 32, 1] to [B, 10] logits (and two aux logits in training mode only)', () => {
      expect(model.stateDict()['conv1.conv.weight'].shape).toEqual([4, 1, 7, 7]);
      const x = tf.randomUniform([3, 32, 32, 1]);
      const y = model.forward(x);
      expect(y.shape).toEqual([3, 10]);
      const train = model.forwardWithAux(x);
      expect([train.logits.shape, train.aux1?.shape, train.aux2?.shape]).toEqual([[3, 10], [3, 10], [3, 10]]);
      model.eval();
      const evalOut = model.forwardWithAux(x);
      expect([evalOut.aux1, evalOut.aux2]).toEqual([null, null]);
      model.train();
      tf.dispose([x, y, train.logits, train.aux1!, train.aux2!, evalOut.logits]);
    });

    it('leaks no tensor in forward or backward', () => {
      const x = tf.randomUniform([2, 32, 32, 1]);
      const t = tf.tensor1d([1, 4], 'int32');
      expectNoLeak(() => tf.tidy(() => model.forward(x).dataSync()));
      model.zeroGrad();
      const n = model.parameters().length;
      expectNoLeak(() => backward(loss(x, t), model), n); // one gradient per parameter
      model.zeroGrad();
      tf.dispose([x, t]);
    });

    it('gives every parameter (aux heads included) a finite gradient, non-zero somewhere', () => {
      const x = tf.randomUniform([4, 32, 32, 1]);
      const t = tf.tensor1d([0, 3, 7, 9], 'int32');
      model.zeroGrad();
      const value = backward(loss(x, t), model);
      expect(Number.isFinite(value)).toBe(true);
      for (const [k, p] of model.namedParameters()) {
        expect([k, p.grad?.shape]).toEqual([k, p.shape]);
        const g = p.grad!.dataSync();
        expect([k, g.every(Number.isFinite), g.some((v) => v !== 0)]).toEqual([k, true, true]);
      }
      model.zeroGrad();
      tf.dispose([x, t]);
    });

    it('round-trips its state dict', () => {
      const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 3);
      tf.tidy(() => model.forward(x)); // training step: moves BatchNorm's running statistics
      manualSeed(5);
      const other = googlenet(cfg);
      model.eval();
      other.eval();
      const snapshot = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
      other.loadStateDict(snapshot);
      const a = model.forward(x);
      const b = other.forward(x);
      expectClose(b, a, { rtol: 0, atol: 0 });
      model.train();
      tf.dispose([x, a, b, ...Object.values(snapshot)]);
      other.dispose();
    });

    it('is deterministic under manualSeed (init and dropout)', () => {
      const x = tf.randomUniform([2, 32, 32, 1], 0, 1, 'float32', 7);
      const run = (seed: number) => {
        manualSeed(seed);
        const m = googlenet(cfg);
        const y = m.forward(x);
        const v = Array.from(y.dataSync());
        y.dispose();
        m.dispose();
        return v;
      };
      const a = run(42);
      expect(run(42)).toEqual(a);
      expect(run(43)).not.toEqual(a);
      x.dispose();
    });
  });

  it('applies transformInput like torchvision: x·std/0.5 + (mean - 0.5)/0.5 per channel', () => {
    manualSeed(3);
    const plain = googlenet({ widthMultiplier: 1 / 16, numClasses: 10 }).eval();
    const tr = googlenet({ widthMultiplier: 1 / 16, numClasses: 10, transformInput: true }).eval();
    tr.loadStateDict(plain.stateDict());
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 9);
    const mapped = tf.add(tf.mul(x, [0.458, 0.448, 0.45]), [-0.03, -0.088, -0.188]);
    expectClose(tr.forward(x), plain.forward(mapped), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, mapped]);
    plain.dispose();
    tr.dispose();
    expect(() => googlenet({ transformInput: true, inChannels: 1 })).toThrow('GoogLeNet: transformInput needs inChannels 3, got 1');
  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = googlenet(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...GOOGLENET_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    expect([m.aux1, m.aux2]).toEqual([null, null]);
    m.dispose();
    expect(() => googlenet({ dropoutAux: 2 })).toThrow('GoogLeNet: dropoutAux must be in [0, 1], got 2');
    expect(() => googlenet({ widthMultiplier: 0 })).toThrow('GoogLeNet: widthMultiplier must be > 0, got 0');
  });

  it('is registered as googlenet with its Fashion-MNIST recipe', () => {
    const entry = registry.get('googlenet');
    expect([entry.task, entry.domain]).toEqual(['image-classification', 'vision']);
    expect(entry.recipe).toBe(GOOGLENET_FASHION_MNIST_RECIPE);
    expect(GOOGLENET_FASHION_MNIST_RECIPE.pad).toBe(2);
    const m = registry.create<GoogLeNet>('googlenet', { ...GOOGLENET_FASHION_MNIST_RECIPE.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(GoogLeNet);
    expect(m.aux1).not.toBeNull();
    m.dispose();
  });
});
