/**
 * Registry contract test: every model registered by @neuralzoo/vision, built small, must give its
 * output shape, leak no tensor, give every parameter a finite gradient (non-zero somewhere), survive a state-dict
 * (safetensors) round trip with identical outputs, be deterministic under manualSeed, and reject
 * NCHW input and a wrong channel count with an error naming both shapes. Models added later are
 * picked up from the registry; each needs a small example (see `contractExample`).
 */
import { backward, Generator, io, manualSeed, ModelEntry, ModelExample, nn, registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import './index';
import { contractExample } from './contract';

const entries = registry.list({ domain: 'vision' });

/** Every tensor in a forward's output (a tensor, an array or an object of them; nulls skipped). */
function tensorsOf(out: unknown): tf.Tensor[] {
  if (out instanceof tf.Tensor) return [out];
  if (Array.isArray(out)) return out.flatMap(tensorsOf);
  if (out && typeof out === 'object') return Object.values(out).flatMap(tensorsOf);
  return [];
}

/** The forward that uses every head: forwardWithAux where a model has one (aux classifiers). */
function forwardAll(m: nn.Module, x: tf.Tensor): unknown {
  const withAux = (m as unknown as { forwardWithAux?: (x: tf.Tensor) => unknown }).forwardWithAux;
  return typeof withAux === 'function' ? withAux.call(m, x) : m.forward(x);
}

function inputOf(ex: ModelExample, seed: number): tf.Tensor {
  const n = ex.input.reduce((a, b) => a * b, 1);
  return tf.tensor(new Generator(seed).uniformArray(n), ex.input);
}

function build(entry: ModelEntry, ex: ModelExample, seed: number): nn.Module {
  manualSeed(seed);
  return entry.create(ex.config);
}

function values(out: unknown): number[][] {
  return tensorsOf(out).map((t) => Array.from(t.dataSync()));
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Once per run, on wasm (the default backend), to keep the suite's time down. */
const onWasm = BACKEND === 'wasm' ? it : it.skip;

describe('vision registry contract', () => {
  it('lists the vision models', () => {
    const names = entries.map((e) => e.name);
    for (const name of ['lenet5', 'alexnet', 'vgg11', 'resnet18', 'googlenet', 'inception_v3', 'pixelcnn']) expect(names).toContain(name);
  });

  for (const entry of entries) {
    onWasm(`${entry.name}: shape, no leak, finite non-zero gradients, state-dict round trip, seeded determinism`, () => {
      const ex = contractExample(entry);
      const before = tf.memory().numTensors;
      const x = inputOf(ex, 1);
      const m = build(entry, ex, 0);

      // determinism: the same seed builds the same weights, and a seeded training-mode forward (dropout) repeats
      const twin = build(entry, ex, 0);
      const sdA = m.stateDict();
      const sdB = twin.stateDict();
      expect(Object.keys(sdB)).toEqual(Object.keys(sdA));
      expect(Object.keys(sdA).find((k) => !tf.util.arraysEqual(sdA[k].dataSync(), sdB[k].dataSync()))).toBeUndefined();
      const trainRun = (model: nn.Module) => {
        model.train();
        manualSeed(7);
        return tf.tidy(() => values(model.forward(x)));
      };
      expect(trainRun(twin)).toEqual(trainRun(m));
      twin.dispose();

      // forward in eval mode: shape, and no tensor left but the outputs
      m.eval();
      const outs = tensorsOf(expectNoLeak(() => m.forward(x), 8));
      expect(outs.length).toBeGreaterThan(0);
      if (ex.output) expect(outs[0].shape).toEqual(ex.output);
      if (!ex.output && entry.task === 'image-classification') expect(outs[0].shape[0]).toBe(ex.input[0]);
      expect(outs.every((t) => t.dataSync().every(Number.isFinite))).toBe(true);
      tf.dispose(outs);

      // every parameter gets a finite gradient from a loss on every output head (training mode)
      m.train();
      const trainable = m.parameters().filter((p) => p.requiresGrad).length;
      expectNoLeak(() => backward(() => {
        const ys = tensorsOf(forwardAll(m, x));
        // fixed random weights per output, so no gradient vanishes by symmetry
        return tf.addN(ys.map((y, i) => tf.sum(tf.mul(y, tf.tensor(new Generator(10 + i).uniformArray(y.size, -1, 1), y.shape)))));
      }, m), trainable);
      for (const [name, p] of m.namedParameters()) {
        if (!p.requiresGrad) continue;
        expect({ name, hasGrad: p.grad !== null }).toEqual({ name, hasGrad: true });
        const g = p.grad!.dataSync();
        expect({ name, finite: g.every(Number.isFinite), nonZero: g.some((v) => v !== 0) }).toEqual({ name, finite: true, nonZero: true });
      }
      m.zeroGrad();
      m.eval();

      // state dict round trip through safetensors bytes: a differently seeded model gets identical outputs
      const other = build(entry, ex, 1).eval();
      const parsed = io.parseSafetensors(io.serializeSafetensors(m.stateDict()));
      other.loadStateDict(parsed.tensors);
      tf.dispose(Object.values(parsed.tensors));
      expect(tf.tidy(() => values(other.forward(x)))).toEqual(tf.tidy(() => values(m.forward(x))));
      other.dispose();

      // wrong layouts: NCHW and a wrong channel count name the expected and the received shape
      if (ex.input.length === 4 && ex.wrongLayout !== false) {
        const [B, H, W, C] = ex.input;
        const nchw = x.transpose([0, 3, 1, 2]);
        const extra = tf.zeros([B, H, W, C + 1]);
        const expected = new RegExp(`expected NHWC input \\[batch, [^\\]]*, ${C}\\]`);
        for (const [bad, why] of [[nchw, 'NCHW'], [extra, 'channels']] as const) {
          let message = '';
          try {
            m.forward(bad);
          } catch (e) {
            message = (e as Error).message;
          }
          expect({ why, message }).toEqual({ why, message: expect.stringMatching(expected) });
          expect({ why, message }).toEqual({ why, message: expect.stringMatching(escape(`got shape [${bad.shape}]`)) });
        }
        tf.dispose([nchw, extra]);
      }

      m.dispose();
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
