import * as path from 'path';
import { manualSeed, registry, tf } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised, errors, loadFormulaWeights, Structure } from '../../../test/torchvision-parity';
import { GOOGLENET_DEFAULTS, GOOGLENET_FASHION_MNIST_RECIPE, GoogLeNet, googlenet, Inception } from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/googlenet');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

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

  it("small stem: 3×3 stride-1 conv1 with the same keys, maps twice as large, accepts 16×16 up", () => {
    manualSeed(1);
    const m = googlenet({ widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10, stem: 'small' });
    const big = googlenet({ widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 });
    expect(Object.keys(m.stateDict())).toEqual(Object.keys(big.stateDict()));
    expect(m.stateDict()['conv1.conv.weight'].shape).toEqual([4, 1, 3, 3]);
    expect([m.minInputSize, big.minInputSize]).toEqual([16, 31]);
    const x = tf.randomUniform([2, 28, 28, 1]);
    const y = m.eval().forward(x);
    expect(y.shape).toEqual([2, 10]);
    const tiny = tf.zeros([1, 15, 15, 1]);
    expect(() => m.forward(tiny)).toThrow('GoogLeNet: expected NHWC input [batch, height, width, 1] with height, width >= 16, got shape [1,15,15,1]');
    tf.dispose([x, y, tiny]);
    m.dispose();
    big.dispose();
    expect(() => googlenet({ stem: 'cifar' as 'small' })).toThrow("GoogLeNet: stem must be 'imagenet' or 'small', got 'cifar'");
  });

  describe('contract (width 1/16, aux heads on, 32×32 grey)', () => {
    const cfg = { widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10, auxLogits: true };
    let model: GoogLeNet;
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
    expect(GOOGLENET_FASHION_MNIST_RECIPE.pad).toBe(0);
    const m = registry.create<GoogLeNet>('googlenet', { ...GOOGLENET_FASHION_MNIST_RECIPE.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(GoogLeNet);
    expect(m.aux1).not.toBeNull();
    expect(m.config.stem).toBe('small');
    expect(m.stateDict()['conv1.conv.weight'].shape).toEqual([4, 1, 3, 3]);
    m.dispose();
  });
});
