import * as path from 'path';
import { manualSeed, registry, tf } from '@neuralzoo/core';
import { loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised, errors, loadFormulaWeights, Structure } from '../../../test/torchvision-parity';
import { VGG, VGG_DEFAULTS, VGG_FASHION_MNIST_RECIPES, vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/vgg');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

const BUILDERS = { vgg11, vgg11_bn: vgg11Bn, vgg13, vgg13_bn: vgg13Bn, vgg16, vgg16_bn: vgg16Bn, vgg19, vgg19_bn: vgg19Bn };

describe('VGG (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  onCpu('vgg11 … vgg19_bn have torchvision 0.14\'s state dicts: ordered keys, shapes, parameter counts', () => {
    for (const [name, build] of Object.entries(BUILDERS)) {
      const m = buildUninitialised(() => build());
      expect([name, Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape])]).toEqual([name, structure[name].keys]);
      expect([name, m.numParameters()]).toEqual([name, structure[name].count]);
      m.dispose();
    }
    expect(structure.vgg11.count).toBe(132_863_336);
    expect(structure.vgg16.count).toBe(138_357_544);
  });

  it('rejects NCHW input, a wrong channel count and too small images, naming both shapes', () => {
    const m = vgg11({ widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([2, 3, 32, 32]);
    expect(() => m.forward(nchw)).toThrow(
      'VGG(vgg11): expected NHWC input [batch, height, width, 3] with height, width >= 32, got shape [2,3,32,32]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([2, 32, 32, 1]);
    expect(() => m.forward(grey)).toThrow('VGG(vgg11): expected NHWC input [batch, height, width, 3] with height, width >= 32, got shape [2,32,32,1]');
    const small = tf.zeros([2, 28, 28, 3]);
    expect(() => m.forward(small)).toThrow('got shape [2,28,28,3]');
    tf.dispose([nchw, grey, small]);
    m.dispose();
  });

  describe('contract (vgg11_bn and vgg11, width 1/16, 32×32 grey)', () => {
    const cfg = { widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 };
    for (const [name, build] of [['vgg11_bn', vgg11Bn], ['vgg11', vgg11]] as const) {
      describe(name, () => {
        let model: VGG;
        beforeAll(() => {
          manualSeed(0);
          model = build(cfg);
        });
        afterAll(() => model.dispose());

        it('maps [B, 32, 32, 1] to [B, 10] and scales widths', () => {
          const sd = model.stateDict();
          expect(sd['features.0.weight'].shape).toEqual([4, 1, 3, 3]);
          expect(sd['classifier.0.weight'].shape).toEqual([256, 32 * 49]);
          const x = tf.randomUniform([3, 32, 32, 1]);
          const y = model.forward(x);
          expect(y.shape).toEqual([3, 10]);
          expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
          tf.dispose([x, y]);
        });

      });
    }
  });

  it('initialises like torchvision: Kaiming-normal (fan_out) convs, N(0, 0.01) linears, zero biases; initWeights false keeps layer defaults', () => {
    manualSeed(2);
    const m = vgg11({ widthMultiplier: 0.125, numClasses: 10 });
    const sd = m.stateDict();
    const std = (t: tf.Tensor) => Math.sqrt(tf.tidy(() => tf.moments(t).variance.dataSync()[0]));
    expect(std(sd['features.8.weight']) / Math.sqrt(2 / (32 * 9))).toBeCloseTo(1, 1); // [32, 32, 3, 3]: fan_out 32·9
    expect(std(sd['classifier.0.weight']) / 0.01).toBeCloseTo(1, 2); // [512, 3136]
    expect(Array.from(sd['features.0.bias'].dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(sd['classifier.3.bias'].dataSync()).every((v) => v === 0)).toBe(true);
    m.dispose();
    const d = vgg11({ widthMultiplier: 1 / 16, numClasses: 10, initWeights: false });
    expect(Array.from(d.stateDict()['features.0.bias'].dataSync()).some((v) => v !== 0)).toBe(true);
    d.dispose();
  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = vgg13Bn(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...VGG_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    m.dispose();
    expect(() => vgg16({ dropout: -0.1 })).toThrow('VGG(vgg16): dropout must be in [0, 1], got -0.1');
    expect(() => vgg19Bn({ inChannels: 0 })).toThrow('VGG(vgg19_bn): inChannels must be a positive integer, got 0');
    expect(() => new VGG('vgg12' as 'vgg11', false)).toThrow("VGG: depth must be one of vgg11, vgg13, vgg16, vgg19, got 'vgg12'");
  });

  it('registers vgg11 … vgg19_bn with their Fashion-MNIST recipes', () => {
    for (const name of Object.keys(BUILDERS)) {
      const entry = registry.get(name);
      expect([name, entry.task, entry.domain]).toEqual([name, 'image-classification', 'vision']);
      expect(entry.recipe).toBe(VGG_FASHION_MNIST_RECIPES[name]);
      expect(entry.recipe!.pad).toBe(2);
    }
    expect(VGG_FASHION_MNIST_RECIPES.vgg16_bn.model).toEqual({ inChannels: 1, numClasses: 10, widthMultiplier: 0.125 });
    const m = registry.create<VGG>('vgg16_bn', { ...VGG_FASHION_MNIST_RECIPES.vgg16_bn.model, widthMultiplier: 1 / 16 });
    expect([m.depth, m.batchNorm]).toEqual(['vgg16', true]);
    expect(m.stateDict()['features.1.running_var'].shape).toEqual([4]);
    m.dispose();
  });
  // Last in the file: the two full-size models (~0.55 GB of parameters each) grow the wasm heap.
  for (const [name, build] of [['vgg11_bn', vgg11Bn], ['vgg16', vgg16]] as const) {
    onWasm(`matches torchvision ${name} logits on 32×32 input with a torchvision-named state dict`, async () => {
      const fx = loadFixture(FIXTURES, `${name}_32`);
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
});
