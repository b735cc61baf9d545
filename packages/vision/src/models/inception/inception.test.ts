import * as path from 'path';
import { manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised, errors, loadFormulaWeights, Structure } from '../../../test/torchvision-parity';
import { INCEPTION_V3_DEFAULTS, INCEPTION_V3_FASHION_MNIST_RECIPE, InceptionA, InceptionB, InceptionV3, inceptionV3 } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/inception');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

describe('Inception v3 (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  onCpu('inceptionV3() has torchvision 0.14\'s state dict without and with the aux head: keys, shapes, 23,834,568 / 27,161,264 parameters', () => {
    for (const [name, auxLogits] of [['inception_v3', false], ['inception_v3_aux', true]] as const) {
      const m = buildUninitialised(() => inceptionV3({ auxLogits }));
      expect([name, Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape])]).toEqual([name, structure[name].keys]);
      expect([name, m.numParameters()]).toEqual([name, structure[name].count]);
      m.dispose();
    }
    expect(structure.inception_v3.count).toBe(23_834_568);
  });

  for (const [name, transformInput] of [['inception_v3_75', false], ['inception_v3_75_transform', true]] as const) {
    onWasm(`matches torchvision inception_v3 logits on 75×75 input (transform_input ${transformInput})`, async () => {
      const fx = loadFixture(FIXTURES, name);
      const m = buildUninitialised(() => inceptionV3({ transformInput })).eval();
      await loadFormulaWeights(m);
      const y = m.forward(fx.tensors.x);
      const { maxErr, maxRef } = errors(y, fx.tensors.out);
      expect(maxRef).toBeGreaterThan(0.1);
      expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxRef)); // 1e-4 relative to the largest logit
      tf.dispose(y);
      m.dispose();
      fx.dispose();
    });
  }

  for (const [name, build, inC] of [
    ['a', () => new InceptionA(4, 3), 4],
    ['b', () => new InceptionB(4), 4],
  ] as const) {
    it(`Inception${name.toUpperCase()} loads a seeded torchvision state dict (trained BatchNorm statistics) and matches its output`, () => {
      const fx = loadFixture(FIXTURES, `block_${name}`);
      expect(fx.meta.in_channels).toBe(inC);
      const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
      const block = build().eval();
      block.loadStateDict(sd);
      const y = block.forward(fx.tensors.x);
      expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: `Inception${name.toUpperCase()} output` });
      y.dispose();
      block.dispose();
      fx.dispose();
    });
  }

  it('rejects NCHW input, a wrong channel count and too small images, naming both shapes', () => {
    const m = inceptionV3({ widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([1, 3, 75, 75]);
    expect(() => m.forward(nchw)).toThrow(
      'InceptionV3: expected NHWC input [batch, height, width, 3] with height, width >= 75, got shape [1,3,75,75]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([1, 75, 75, 1]);
    expect(() => m.forward(grey)).toThrow('InceptionV3: expected NHWC input [batch, height, width, 3] with height, width >= 75, got shape [1,75,75,1]');
    const small = tf.zeros([1, 74, 74, 3]);
    expect(() => m.forward(small)).toThrow('got shape [1,74,74,3]');
    tf.dispose([nchw, grey, small]);
    m.dispose();
    const aux = inceptionV3({ widthMultiplier: 1 / 16, numClasses: 10, auxLogits: true });
    const x = tf.zeros([2, 75, 75, 3]);
    expect(() => aux.forwardWithAux(x)).toThrow('InceptionV3: the aux head needs Mixed_6e maps >= 17×17 (e.g. 299×299 inputs), got 3×3 from input shape [2,75,75,3]');
    x.dispose();
    aux.dispose();
  });

  // The cpu backend's conv gradients are slow under Jest: the contract runs on wasm, the embedded default.
  (BACKEND === 'wasm' ? describe : describe.skip)('contract (small stem, width 1/16, 28×28 grey)', () => {
    const cfg = { stem: 'small' as const, widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 };
    let model: InceptionV3;
    beforeAll(() => {
      manualSeed(0);
      model = inceptionV3(cfg);
    });
    afterAll(() => model.dispose());

    it('maps [B, 28, 28, 1] to [B, 10]', () => {
      expect(model.stateDict()['Conv2d_1a_3x3.conv.weight'].shape).toEqual([2, 1, 3, 3]);
      const x = tf.randomUniform([3, 28, 28, 1]);
      const y = model.forward(x);
      expect(y.shape).toEqual([3, 10]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      const out = model.forwardWithAux(x);
      expect(out.aux).toBeNull();
      tf.dispose([x, y, out.logits]);
    });

  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = inceptionV3(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...INCEPTION_V3_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.AuxLogits).toBeNull();
    expect(m.minInputSize).toBe(75);
    m.dispose();
    expect(() => inceptionV3({ stem: 'tiny' as 'small' })).toThrow("InceptionV3: stem must be 'imagenet' or 'small', got 'tiny'");
    expect(() => inceptionV3({ transformInput: true, inChannels: 1 })).toThrow('InceptionV3: transformInput needs inChannels 3, got 1');
  });

  it('is registered as inception_v3 with its Fashion-MNIST recipe', () => {
    const entry = registry.get('inception_v3');
    expect([entry.task, entry.domain]).toEqual(['image-classification', 'vision']);
    expect(entry.recipe).toBe(INCEPTION_V3_FASHION_MNIST_RECIPE);
    const m = registry.create<InceptionV3>('inception_v3', { ...INCEPTION_V3_FASHION_MNIST_RECIPE.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(InceptionV3);
    expect(m.minInputSize).toBe(13);
    m.dispose();
  });
});
