import * as path from 'path';
import { manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised, errors, loadFormulaWeights, Structure } from '../../../test/torchvision-parity';
import { ALEXNET_DEFAULTS, ALEXNET_FASHION_MNIST_RECIPE, AlexNet, alexnet } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/alexnet');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

describe('AlexNet (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  onCpu('alexnet() has torchvision 0.14\'s state dict: ordered keys, shapes, 61,100,840 parameters', () => {
    const m = buildUninitialised(() => alexnet());
    const sd = m.stateDict();
    expect(Object.entries(sd).map(([k, t]) => [k, t.shape])).toEqual(structure.alexnet.keys);
    expect(m.numParameters()).toBe(structure.alexnet.count);
    expect(m.numParameters()).toBe(61_100_840);
    m.dispose();
  });

  onWasm('matches torchvision alexnet logits on 64×64 input with a torchvision-named state dict', async () => {
    const fx = loadFixture(FIXTURES, 'alexnet_64');
    const m = buildUninitialised(() => alexnet()).eval();
    await loadFormulaWeights(m);
    const y = m.forward(fx.tensors.x);
    const { maxErr, maxRef } = errors(y, fx.tensors.out);
    expect(maxRef).toBeGreaterThan(1);
    expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxRef));
    expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-4, what: 'alexnet logits' });
    tf.dispose(y);
    m.dispose();
    fx.dispose();
  });

  it('rejects NCHW input and a wrong channel count, naming both shapes', () => {
    const m = alexnet({ stem: 'small', widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([2, 3, 32, 32]);
    expect(() => m.forward(nchw)).toThrow(
      'AlexNet: expected NHWC input [batch, height, width, 3] with height, width >= 15, got shape [2,3,32,32]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([2, 32, 32, 1]);
    expect(() => m.forward(grey)).toThrow('AlexNet: expected NHWC input [batch, height, width, 3] with height, width >= 15, got shape [2,32,32,1]');
    const tiny = tf.zeros([1, 14, 14, 3]);
    expect(() => m.forward(tiny)).toThrow('got shape [1,14,14,3]');
    tf.dispose([nchw, grey, tiny]);
    m.dispose();
    const full = alexnet({ widthMultiplier: 1 / 16, numClasses: 10 });
    const small = tf.zeros([1, 62, 62, 3]);
    expect(() => full.forward(small)).toThrow('AlexNet: expected NHWC input [batch, height, width, 3] with height, width >= 63, got shape [1,62,62,3]');
    small.dispose();
    full.dispose();
  });

  describe('contract (small stem, width 1/16, 28×28 grey)', () => {
    const cfg = { stem: 'small' as const, widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 };
    let model: AlexNet;
    beforeAll(() => {
      manualSeed(0);
      model = alexnet(cfg);
    });
    afterAll(() => model.dispose());

    it('maps [B, 28, 28, 1] to [B, 10] and scales widths', () => {
      const sd = model.stateDict();
      expect(sd['features.0.weight'].shape).toEqual([4, 1, 3, 3]);
      expect(sd['classifier.1.weight'].shape).toEqual([256, 16 * 36]);
      expect(sd['classifier.6.weight'].shape).toEqual([10, 256]);
      const x = tf.randomUniform([3, 28, 28, 1]);
      const y = model.forward(x);
      expect(y.shape).toEqual([3, 10]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
    });

  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = alexnet(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...ALEXNET_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    m.dispose();
    expect(() => alexnet({ stem: 'cifar' as 'small' })).toThrow("AlexNet: stem must be 'imagenet' or 'small', got 'cifar'");
    expect(() => alexnet({ widthMultiplier: 0 })).toThrow('AlexNet: widthMultiplier must be > 0, got 0');
    expect(() => alexnet({ numClasses: 2.5 })).toThrow('AlexNet: numClasses must be a positive integer, got 2.5');
    expect(() => alexnet({ dropout: 1.5 })).toThrow('AlexNet: dropout must be in [0, 1], got 1.5');
  });

  it('is registered as alexnet with its Fashion-MNIST recipe', () => {
    const entry = registry.get('alexnet');
    expect([entry.task, entry.domain]).toEqual(['image-classification', 'vision']);
    expect(entry.recipe).toBe(ALEXNET_FASHION_MNIST_RECIPE);
    expect(entry.recipe!.dataset).toBe('fashion-mnist');
    expect(ALEXNET_FASHION_MNIST_RECIPE.model).toEqual({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25, dropout: 0.3 });
    const m = registry.create<AlexNet>('alexnet', { ...ALEXNET_FASHION_MNIST_RECIPE.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(AlexNet);
    expect(m.config.stem).toBe('small');
    expect(m.stateDict()['features.0.weight'].shape).toEqual([4, 1, 3, 3]);
    m.dispose();
  });
});
