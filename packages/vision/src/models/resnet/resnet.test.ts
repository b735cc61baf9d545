import * as path from 'path';
import { Worker } from 'worker_threads';
import { backward, defaultGenerator, F, manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import {
  BasicBlock,
  Bottleneck,
  RESNET_DEFAULTS,
  RESNET_FASHION_MNIST_RECIPES,
  ResNet,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
} from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/resnet');
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

const BUILDERS = { resnet18, resnet34, resnet50, resnet101, resnet152 };
const COUNTS = { resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160, resnet152: 60_192_808 };

describe('ResNet (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  for (const [name, build] of Object.entries(BUILDERS)) {
    onCpu(`${name}() has torchvision 0.14's state dict: ordered keys, shapes, ${COUNTS[name as keyof typeof COUNTS].toLocaleString('en-US')} parameters`, () => {
      const m = buildUninitialised(() => build());
      expect(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape])).toEqual(structure[name].keys);
      expect(m.numParameters()).toBe(structure[name].count);
      expect(m.numParameters()).toBe(COUNTS[name as keyof typeof COUNTS]);
      m.dispose();
    });
  }

  for (const [name, build] of [['resnet18', resnet18], ['resnet50', resnet50]] as const) {
    onWasm(`matches torchvision ${name} logits on 64×64 input with a torchvision-named state dict`, async () => {
      const fx = loadFixture(FIXTURES, `${name}_64`);
      const m = buildUninitialised(() => build()).eval();
      await loadFormulaWeights(m);
      const y = m.forward(fx.tensors.x);
      const { maxErr, maxRef } = errors(y, fx.tensors.out);
      expect(maxRef).toBeGreaterThan(1);
      expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxRef)); // 1e-4 relative to the largest logit
      tf.dispose(y);
      m.dispose();
      fx.dispose();
    });
  }

  for (const [name, Block] of [['basic', BasicBlock], ['bottleneck', Bottleneck]] as const) {
    it(`${Block.name} loads a seeded torchvision ${Block.name} state dict (trained BatchNorm statistics) and matches its output`, () => {
      const fx = loadFixture(FIXTURES, `block_${name}`);
      const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
      const [inplanes, planes, stride, outC] = name === 'basic' ? [8, 16, 2, 16] : [8, 4, 1, 16];
      const down = new nn.Sequential(new nn.Conv2d(inplanes, outC, 1, { stride, bias: false }), new nn.BatchNorm2d(outC));
      const block = new Block(inplanes, planes, stride, down).eval();
      block.loadStateDict(sd);
      const y = block.forward(fx.tensors.x);
      expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: `${Block.name} output` });
      y.dispose();
      block.dispose();
      fx.dispose();
    });
  }

  it('rejects NCHW input and a wrong channel count, naming both shapes', () => {
    const m = resnet18({ stem: 'small', widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([2, 3, 32, 32]);
    expect(() => m.forward(nchw)).toThrow(
      'ResNet18: expected NHWC input [batch, height, width, 3], got shape [2,3,32,32]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([2, 32, 32, 1]);
    expect(() => m.forward(grey)).toThrow('ResNet18: expected NHWC input [batch, height, width, 3], got shape [2,32,32,1]');
    tf.dispose([nchw, grey]);
    m.dispose();
  });

  describe('contract (resnet18 and resnet50, small stem, width 1/16, grey images)', () => {
    const cfg = { stem: 'small' as const, widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 };
    // The cpu backend's conv gradients are slow under Jest: ResNet-50's contract runs on wasm only.
    for (const [name, build, test] of [['resnet18', resnet18, it], ['resnet50', resnet50, onWasm]] as const) {
      describe(name, () => {
        let model: ResNet;
        beforeAll(() => {
          manualSeed(0);
          model = build(cfg);
        });
        afterAll(() => model.dispose());

        test('maps [B, 28, 28, 1] to [B, 10] and scales widths', () => {
          const sd = model.stateDict();
          expect(sd['conv1.weight'].shape).toEqual([4, 1, 3, 3]);
          expect(sd['fc.weight'].shape).toEqual([10, name === 'resnet18' ? 32 : 128]);
          const x = tf.randomUniform([3, 28, 28, 1]);
          const y = model.forward(x);
          expect(y.shape).toEqual([3, 10]);
          expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
          tf.dispose([x, y]);
        });

        test('leaks no tensor in forward or backward', () => {
          const x = tf.randomUniform([2, 16, 16, 1]);
          const t = tf.tensor1d([1, 4], 'int32');
          expectNoLeak(() => tf.tidy(() => model.forward(x).dataSync()));
          model.zeroGrad();
          const n = model.parameters().length;
          expectNoLeak(() => backward(() => F.crossEntropy(model.forward(x), t), model), n); // one gradient per parameter
          model.zeroGrad();
          tf.dispose([x, t]);
        });

        test('gives every parameter a finite gradient, non-zero somewhere', () => {
          const x = tf.randomUniform([4, 16, 16, 1]);
          const t = tf.tensor1d([0, 3, 7, 9], 'int32');
          model.zeroGrad();
          const loss = backward(() => F.crossEntropy(model.forward(x), t), model);
          expect(Number.isFinite(loss)).toBe(true);
          expect(loss).toBeGreaterThan(0.5);
          for (const [k, p] of model.namedParameters()) {
            expect([k, p.grad?.shape]).toEqual([k, p.shape]);
            const g = p.grad!.dataSync();
            expect([k, g.every(Number.isFinite), g.some((v) => v !== 0)]).toEqual([k, true, true]);
          }
          model.zeroGrad();
          tf.dispose([x, t]);
        });

        test('round-trips its state dict (BatchNorm statistics included)', () => {
          const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3);
          tf.tidy(() => model.forward(x)); // training step: moves the running statistics
          manualSeed(5);
          const other = build(cfg);
          model.eval();
          other.eval();
          const snapshot = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
          other.loadStateDict(snapshot);
          expect(other.stateDict()['layer1.0.bn1.num_batches_tracked'].dataSync()[0]).toBe(model.stateDict()['layer1.0.bn1.num_batches_tracked'].dataSync()[0]);
          const a = model.forward(x);
          const b = other.forward(x);
          expectClose(b, a, { rtol: 0, atol: 0 });
          model.train();
          tf.dispose([x, a, b, ...Object.values(snapshot)]);
          other.dispose();
        });

        test('is deterministic under manualSeed', () => {
          const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 7);
          const run = (seed: number) => {
            manualSeed(seed);
            const m = build(cfg);
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
    }
  });

  it('initialises like torchvision: Kaiming-normal (fan_out) convs, BatchNorm 1/0, optional zero-init residual', () => {
    manualSeed(1);
    const m = resnet18({ widthMultiplier: 0.25, numClasses: 10 });
    const w = m.stateDict()['layer4.0.conv1.weight']; // [128, 64, 3, 3]: fan_out 128·9
    const std = Math.sqrt(tf.tidy(() => tf.moments(w).variance.dataSync()[0]));
    expect(std / Math.sqrt(2 / (128 * 9))).toBeCloseTo(1, 1);
    expect(Array.from(m.stateDict()['layer1.0.bn2.weight'].dataSync()).every((v) => v === 1)).toBe(true);
    m.dispose();
    const z = resnet50({ widthMultiplier: 1 / 16, numClasses: 10, zeroInitResidual: true });
    expect(Array.from(z.stateDict()['layer2.1.bn3.weight'].dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(z.stateDict()['layer2.1.bn2.weight'].dataSync()).every((v) => v === 1)).toBe(true);
    z.dispose();
  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = resnet18(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...RESNET_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    m.dispose();
    expect(() => resnet18({ stem: 'cifar' as 'small' })).toThrow("ResNet18: stem must be 'imagenet' or 'small', got 'cifar'");
    expect(() => resnet50({ widthMultiplier: -1 })).toThrow('ResNet50: widthMultiplier must be > 0, got -1');
    expect(() => new ResNet(BasicBlock, [2, 2, 0, 2] as [number, number, number, number])).toThrow('ResNet: layers must be 4 positive integers, got [2,2,0,2]');
  });

  it('registers resnet18 … resnet152 with their Fashion-MNIST recipes', () => {
    for (const name of Object.keys(BUILDERS)) {
      const entry = registry.get(name);
      expect([name, entry.task, entry.domain]).toEqual([name, 'image-classification', 'vision']);
      expect(entry.recipe).toBe(RESNET_FASHION_MNIST_RECIPES[name]);
    }
    const recipe = RESNET_FASHION_MNIST_RECIPES.resnet18;
    expect(recipe.model).toEqual({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25 });
    const m = registry.create<ResNet>('resnet18', { ...recipe.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(ResNet);
    expect(m.stateDict()['conv1.weight'].shape).toEqual([4, 1, 3, 3]);
    m.dispose();
  });
});
