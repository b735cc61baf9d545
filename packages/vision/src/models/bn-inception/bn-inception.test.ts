import * as path from 'path';
import { manualSeed, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised } from '../../../test/torchvision-parity';
import { BN_INCEPTION_MODULES, bnInception, bnInceptionSide } from './index';

const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
const onCpu = BACKEND === 'wasm' ? it.skip : it;

/** conv (no bias) + BatchNorm parameters. */
const unit = (i: number, o: number, k: number) => i * o * k * k + 2 * o;

describe('BN-Inception (Inception v2)', () => {
  it('module table gives the paper output widths 256, 320, 576 ×5, 1024 ×3', () => {
    let c = 192;
    const widths: number[] = [];
    for (const s of Object.values(BN_INCEPTION_MODULES)) {
      c = s.conv1x1 + s.conv3x3 + s.double3x3 + (s.poolProj || c);
      widths.push(c);
    }
    expect(widths).toEqual([256, 320, 576, 576, 576, 576, 576, 1024, 1024, 1024]);
  });

  onCpu('has 11,194,984 parameters, computed module by module from the paper table', () => {
    let c = 192;
    let count = unit(3, 64, 7) + unit(64, 64, 1) + unit(64, 192, 3);
    for (const s of Object.values(BN_INCEPTION_MODULES)) {
      count += (s.conv1x1 ? unit(c, s.conv1x1, 1) : 0) + unit(c, s.reduce3x3, 1) + unit(s.reduce3x3, s.conv3x3, 3);
      count += unit(c, s.reduceDouble, 1) + unit(s.reduceDouble, s.double3x3, 3) + unit(s.double3x3, s.double3x3, 3);
      count += s.poolProj ? unit(c, s.poolProj, 1) : 0;
      c = s.conv1x1 + s.conv3x3 + s.double3x3 + (s.poolProj || c);
    }
    count += 1024 * 1000 + 1000;
    expect(count).toBe(11_194_984);
    const m = buildUninitialised(() => bnInception());
    expect(m.numParameters()).toBe(count);
    const sd = m.stateDict();
    expect(sd['conv1.conv.weight'].shape).toEqual([64, 3, 7, 7]);
    expect(sd['inception_3a.pool_proj.conv.weight'].shape).toEqual([32, 192, 1, 1]);
    expect(sd['inception_3c.branch3x3.conv.weight'].shape).toEqual([160, 128, 3, 3]);
    expect(Object.keys(sd).some((k) => k.startsWith('inception_3c.branch1x1') || k.startsWith('inception_3c.pool_proj'))).toBe(false);
    expect(sd['inception_5b.double3x3_2.bn.running_mean'].shape).toEqual([224]);
    expect(sd['last_linear.weight'].shape).toEqual([1000, 1024]);
    m.dispose();
  });

  it('maps 224×224 to 7×7 (imagenet stem) and 28×28 to 7×7 (small stem)', () => {
    expect(bnInceptionSide(224, 'imagenet')).toBe(7);
    expect(bnInceptionSide(28, 'small')).toBe(7);
    expect(bnInceptionSide(13, 'small')).toBe(4);
    expect(bnInceptionSide(8, 'imagenet')).toBe(0);
    expect(bnInceptionSide(10, 'imagenet')).toBe(0);
    expect(bnInceptionSide(11, 'imagenet')).toBe(1);
  });

  it('small variant: [B, 28, 28, 1] and odd sides -> [B, 10] without leaks; NCHW names both shapes', () => {
    manualSeed(0);
    const m = bnInception({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.125 }).eval();
    for (const side of [28, 13]) {
      const x = tf.randomUniform([2, side, side, 1]);
      const y = expectNoLeak(() => m.forward(x), 1);
      expect(y.shape).toEqual([2, 10]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
    }
    expect(() => m.forward(tf.zeros([2, 1, 28, 28]))).toThrow(
      'BNInception: expected NHWC input [batch, height, width, 1], got shape [2,1,28,28]; this looks like NCHW [batch, 1, height, width]',
    );
    expect(() => m.forward(tf.zeros([2, 28, 28, 3]))).toThrow('got shape [2,28,28,3] with 3 channels where 1 are expected');
    m.dispose();
    const full = bnInception({ numClasses: 4, widthMultiplier: 0.0625 });
    expect(full.minInputSize).toBe(11);
    expect(() => full.forward(tf.zeros([1, 8, 8, 3]))).toThrow('BNInception: expected NHWC input [batch, height, width, 3] with height, width >= 11, got shape [1,8,8,3]');
    full.dispose();
  });
});

describe('BN-Inception matches a plain-torch build of the paper table (tools/fixtures/vision_inception_v4.py)', () => {
  it('imagenet stem (ceil-mode pools), width 1/16, 35×35 RGB: same keys, torch weights load unchanged, logits within 1e-4', () => {
    const fx = loadFixture(path.join(__dirname, '../../../fixtures/inception_v4'), 'bn_inception');
    const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
    manualSeed(0);
    const m = bnInception({ numClasses: 10, widthMultiplier: 0.0625 }).eval();
    expect(Object.keys(m.stateDict())).toEqual(fx.meta.keys);
    m.loadStateDict(sd);
    const y = m.forward(fx.tensors.x);
    expect(Math.max(...Array.from(fx.tensors.out.dataSync()).map(Math.abs))).toBeGreaterThan(0.05);
    expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-4, what: 'BN-Inception logits' });
    y.dispose();
    m.dispose();
    fx.dispose();
  });
});
