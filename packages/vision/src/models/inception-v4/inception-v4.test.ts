import * as path from 'path';
import { manualSeed, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised } from '../../../test/torchvision-parity';
import { inceptionResNetV2, inceptionResNetV2Side, inceptionV4, inceptionV4Side } from './index';

const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size structure checks once, on cpu. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;

/** Parameter count of a conv (no bias) + BN(eps 1e-3) unit: the paper's building block. */
const unit = (i: number, o: number, kh: number, kw = kh) => i * o * kh * kw + 2 * o;

describe('Inception v4', () => {
  onCpu('has 42,679,816 parameters, computed block by block from the paper', () => {
    const stem = unit(3, 32, 3) + unit(32, 32, 3) + unit(32, 64, 3) + unit(64, 96, 3) // features.0–3
      + unit(160, 64, 1) + unit(64, 96, 3) + unit(160, 64, 1) + unit(64, 64, 1, 7) + unit(64, 64, 7, 1) + unit(64, 96, 3) // Mixed_4a
      + unit(192, 192, 3); // Mixed_5a
    const a = unit(384, 96, 1) + unit(384, 64, 1) + unit(64, 96, 3) + unit(384, 64, 1) + unit(64, 96, 3) + unit(96, 96, 3) + unit(384, 96, 1);
    const redA = unit(384, 384, 3) + unit(384, 192, 1) + unit(192, 224, 3) + unit(224, 256, 3);
    const b = unit(1024, 384, 1) + unit(1024, 192, 1) + unit(192, 224, 1, 7) + unit(224, 256, 7, 1)
      + unit(1024, 192, 1) + unit(192, 192, 7, 1) + unit(192, 224, 1, 7) + unit(224, 224, 7, 1) + unit(224, 256, 1, 7) + unit(1024, 128, 1);
    const redB = unit(1024, 192, 1) + unit(192, 192, 3) + unit(1024, 256, 1) + unit(256, 256, 1, 7) + unit(256, 320, 7, 1) + unit(320, 320, 3);
    const c = unit(1536, 256, 1) + unit(1536, 384, 1) + 2 * unit(384, 256, 1, 3) + unit(1536, 384, 1) + unit(384, 448, 3, 1) + unit(448, 512, 1, 3)
      + 2 * unit(512, 256, 1, 3) + unit(1536, 256, 1);
    const fc = 1536 * 1000 + 1000;
    const paper = stem + 4 * a + redA + 7 * b + redB + 3 * c + fc;
    expect(paper).toBe(42_679_816);
    const m = buildUninitialised(() => inceptionV4());
    expect(m.numParameters()).toBe(paper);
    const sd = m.stateDict();
    expect(sd['features.0.conv.weight'].shape).toEqual([32, 3, 3, 3]);
    expect(sd['features.3.conv.conv.weight'].shape).toEqual([96, 64, 3, 3]);
    expect(sd['features.4.branch1.1.conv.weight'].shape).toEqual([64, 64, 1, 7]);
    expect(sd['features.6.branch3.1.conv.weight'].shape).toEqual([96, 384, 1, 1]);
    expect(sd['features.17.branch2.4.conv.weight'].shape).toEqual([256, 224, 1, 7]);
    expect(sd['features.21.branch2_3b.conv.weight'].shape).toEqual([256, 512, 3, 1]);
    expect(sd['features.21.branch2_3b.bn.running_var'].shape).toEqual([256]);
    expect(sd['last_linear.weight'].shape).toEqual([1000, 1536]);
    expect(Object.keys(sd).filter((k) => k.startsWith('features.22'))).toEqual([]);
    m.dispose();
  });

  it('gives 8×8 maps at 299×299 and 1×1 at 75×75 (imagenet stem), 1×1 at 28×28 (small stem)', () => {
    expect(inceptionV4Side(299, 'imagenet')).toBe(8);
    expect(inceptionV4Side(75, 'imagenet')).toBe(1);
    expect(inceptionV4Side(74, 'imagenet')).toBe(0);
    expect(inceptionV4Side(28, 'small')).toBe(1);
    expect(inceptionV4Side(20, 'small')).toBe(0);
  });

  it('small variant: [B, 28, 28, 1] -> [B, 10] logits without leaks; bad input names both shapes', () => {
    manualSeed(0);
    const m = inceptionV4({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.125, blocks: [1, 1, 1] }).eval();
    expect(m.minInputSize).toBe(21);
    const x = tf.randomUniform([2, 28, 28, 1]);
    const y = expectNoLeak(() => m.forward(x), 1);
    expect(y.shape).toEqual([2, 10]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
    expect(() => m.forward(tf.zeros([2, 1, 28, 28]))).toThrow(
      'InceptionV4: expected NHWC input [batch, height, width, 1] with height, width >= 21, got shape [2,1,28,28]; this looks like NCHW',
    );
    expect(() => m.forward(tf.zeros([2, 20, 20, 1]))).toThrow('got shape [2,20,20,1]');
    expect(() => inceptionV4({ blocks: [1, 2] as unknown as [number, number, number] })).toThrow('InceptionV4: blocks must be three integers >= 0, got [1,2]');
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('Inception-ResNet v2', () => {
  onCpu('has 55,843,464 parameters, computed block by block from the paper', () => {
    const stem = unit(3, 32, 3) + unit(32, 32, 3) + unit(32, 64, 3) + unit(64, 80, 1) + unit(80, 192, 3);
    const mixed5b = unit(192, 96, 1) + unit(192, 48, 1) + unit(48, 64, 5) + unit(192, 64, 1) + unit(64, 96, 3) + unit(96, 96, 3) + unit(192, 64, 1);
    const b35 = unit(320, 32, 1) + unit(320, 32, 1) + unit(32, 32, 3) + unit(320, 32, 1) + unit(32, 48, 3) + unit(48, 64, 3) + 128 * 320 + 320;
    const mixed6a = unit(320, 384, 3) + unit(320, 256, 1) + unit(256, 256, 3) + unit(256, 384, 3);
    const b17 = unit(1088, 192, 1) + unit(1088, 128, 1) + unit(128, 160, 1, 7) + unit(160, 192, 7, 1) + 384 * 1088 + 1088;
    const mixed7a = unit(1088, 256, 1) + unit(256, 384, 3) + unit(1088, 256, 1) + unit(256, 288, 3) + unit(1088, 256, 1) + unit(256, 288, 3) + unit(288, 320, 3);
    const b8 = unit(2080, 192, 1) + unit(2080, 192, 1) + unit(192, 224, 1, 3) + unit(224, 256, 3, 1) + 448 * 2080 + 2080;
    const head = unit(2080, 1536, 1) + 1536 * 1000 + 1000;
    const paper = stem + mixed5b + 10 * b35 + mixed6a + 20 * b17 + mixed7a + 10 * b8 + head;
    expect(paper).toBe(55_843_464);
    const m = buildUninitialised(() => inceptionResNetV2());
    expect(m.numParameters()).toBe(paper);
    const sd = m.stateDict();
    expect(sd['conv2d_1a.conv.weight'].shape).toEqual([32, 3, 3, 3]);
    expect(sd['mixed_5b.branch3.1.conv.weight'].shape).toEqual([64, 192, 1, 1]);
    expect(sd['repeat.9.conv2d.weight'].shape).toEqual([320, 128, 1, 1]);
    expect(sd['repeat.9.conv2d.bias'].shape).toEqual([320]);
    expect(sd['repeat_1.19.branch1.2.conv.weight'].shape).toEqual([192, 160, 7, 1]);
    expect(sd['repeat_2.8.conv2d.weight'].shape).toEqual([2080, 448, 1, 1]);
    expect(sd['block8.branch1.1.conv.weight'].shape).toEqual([224, 192, 1, 3]);
    expect(sd['conv2d_7b.conv.weight'].shape).toEqual([1536, 2080, 1, 1]);
    expect(sd['last_linear.weight'].shape).toEqual([1000, 1536]);
    expect(m.block8.relu).toBe(false);
    expect(m.block8.scale).toBe(1);
    m.dispose();
  });

  it('gives 8×8 maps at 299×299, 4×4 at 28×28 with the small stem', () => {
    expect(inceptionResNetV2Side(299, 'imagenet')).toBe(8);
    expect(inceptionResNetV2Side(28, 'small')).toBe(4);
  });

  it('residual block: x + scale · conv2d(branches), then ReLU', () => {
    manualSeed(1);
    const m = inceptionResNetV2({ inChannels: 1, numClasses: 3, stem: 'small', widthMultiplier: 0.0625, blocks: [1, 0, 0] }).eval();
    const block = m.repeat.get(0) as import('./inception-v4').Block35;
    const x = tf.randomNormal([1, 5, 5, block.conv2d.outChannels]);
    const y = block.forward(x);
    const ref = tf.tidy(() => {
      const cat = tf.concat([block.branch0.forward(x), block.branch1.forward(x) as tf.Tensor4D, block.branch2.forward(x) as tf.Tensor4D], 3);
      return tf.relu(tf.add(x, tf.mul(block.conv2d.forward(cat), 0.17)));
    });
    expect(Array.from(y.dataSync())).toEqual(Array.from(ref.dataSync()));
    tf.dispose([x, y, ref]);
    m.dispose();
  });

  it('small variant: [B, 28, 28, 1] -> [B, 10] without leaks; NCHW input names both shapes', () => {
    manualSeed(0);
    const m = inceptionResNetV2({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.125, blocks: [1, 1, 1] }).eval();
    const x = tf.randomUniform([2, 28, 28, 1]);
    const y = expectNoLeak(() => m.forward(x), 1);
    expect(y.shape).toEqual([2, 10]);
    expect(() => m.forward(tf.zeros([2, 1, 28, 28]))).toThrow('InceptionResNetV2: expected NHWC input [batch, height, width, 1] with height, width >= 13, got shape [2,1,28,28]');
    tf.dispose([x, y]);
    m.dispose();
  });
});

describe('Inception v4 / Inception-ResNet v2 match a plain-torch build of the paper (tools/fixtures/vision_inception_v4.py)', () => {
  const FIXTURES = path.join(__dirname, '../../../fixtures/inception_v4');
  const config = { inChannels: 1, numClasses: 10, stem: 'small' as const, widthMultiplier: 0.0625, blocks: [1, 1, 1] as [number, number, number] };
  for (const [name, build] of [['v4', inceptionV4], ['irv2', inceptionResNetV2]] as const)
    it(`${name}: same state-dict keys, torch weights load unchanged, logits within 1e-4`, () => {
      const fx = loadFixture(FIXTURES, name);
      const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
      manualSeed(0);
      const m = build(config).eval();
      expect(Object.keys(m.stateDict())).toEqual(fx.meta.keys);
      m.loadStateDict(sd);
      const y = m.forward(fx.tensors.x);
      expect(Math.max(...Array.from(fx.tensors.out.dataSync()).map(Math.abs))).toBeGreaterThan(0.05);
      expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-4, what: `${name} logits` });
      y.dispose();
      m.dispose();
      fx.dispose();
    });
});
