import * as path from 'path';
import { Generator, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak, loadFixture } from '@neuralzoo/core/testing';
import {
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  centerCrop,
  colorJitter,
  compose,
  normalize,
  randomCrop,
  randomHorizontalFlip,
  resize,
  toGray,
} from './image';

const FIXTURES = path.join(__dirname, '../../fixtures/image_io');

/** [1, H, W, 1] image with values 0, 1, 2, … in row-major order. */
function ramp(H: number, W: number, C = 1): tf.Tensor4D {
  return tf.range(0, H * W * C).reshape([1, H, W, C]) as tf.Tensor4D;
}

describe('image transforms against torch / torchvision (fixtures/image_io/transforms)', () => {
  let fx: ReturnType<typeof loadFixture>;
  let t: Record<string, tf.Tensor>;
  beforeAll(() => {
    fx = loadFixture(FIXTURES, 'transforms');
    t = fx.tensors;
  });
  afterAll(() => fx.dispose());

  it('resize equals F.interpolate(bilinear, align_corners=False) down and up, on batches and single images', () => {
    for (const [key, size] of [['resize_3x4', [3, 4]], ['resize_8x11', [8, 11]]] as const) {
      const y = expectNoLeak(() => resize([size[0], size[1]])(t.x), 1);
      expect(y.shape).toEqual([2, size[0], size[1], 3]);
      expectClose(y, t[key], { rtol: 1e-4, atol: 1e-5 });
      const one = resize([size[0], size[1]])(t.x.slice([1], [1]).squeeze([0]));
      expect(one.shape).toEqual([size[0], size[1], 3]);
      expectClose(one, t[key].slice([1], [1]).squeeze([0]), { rtol: 1e-4, atol: 1e-5 });
      tf.dispose([y, one]);
    }
  });

  it('resize(n) sets the shorter side to n and keeps the aspect ratio as torchvision', () => {
    const x = tf.zeros([1, 40, 100, 3]);
    const y = resize(20)(x);
    const z = resize(20)(tf.zeros([30, 10, 1]));
    expect(y.shape).toEqual([1, 20, 50, 3]);
    expect(z.shape).toEqual([60, 20, 1]);
    tf.dispose([x, y, z]);
  });

  it('brightness, contrast, saturation, grayscale and normalize equal torchvision.transforms.functional', () => {
    const cases: [tf.Tensor, tf.Tensor][] = [
      [adjustBrightness(t.x, 1.3), t['brightness_1.3']],
      [adjustContrast(t.x, 0.6), t['contrast_0.6']],
      [adjustSaturation(t.x, 1.7), t['saturation_1.7']],
      [toGray()(t.x), t.gray],
      [normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])(t.x), t.normalize],
    ];
    for (const [got, want] of cases) {
      expect(got.shape).toEqual(want.shape);
      expectClose(got, want, { rtol: 1e-4, atol: 1e-5 });
    }
    tf.dispose(cases.map((c) => c[0]));
    // Per-image factors: image 0 unchanged, image 1 at 0.6.
    const mixed = adjustContrast(t.x, [1, 0.6]);
    expectClose(mixed.slice([0], [1]), t.x.slice([0], [1]), { atol: 1e-6 });
    expectClose(mixed.slice([1], [1]), t['contrast_0.6'].slice([1], [1]), { rtol: 1e-4, atol: 1e-5 });
    mixed.dispose();
  });
});

describe('centerCrop', () => {
  it('takes torchvision\'s centre (offsets rounded half to even) and pads small images with zeros', () => {
    const x = ramp(5, 6);
    const y = centerCrop([2, 3])(x); // top round(1.5) = 2, left round(1.5) = 2
    expect(Array.from(y.dataSync())).toEqual([14, 15, 16, 20, 21, 22]);
    const z = centerCrop(4)(x); // top round(0.5) = 0, left 1
    expect(z.shape).toEqual([1, 4, 4, 1]);
    expect(Array.from(z.dataSync()).slice(0, 4)).toEqual([1, 2, 3, 4]);
    const padded = centerCrop([3, 4])(tf.ones([2, 2, 1]));
    expect(padded.shape).toEqual([3, 4, 1]);
    expect(Array.from(padded.dataSync())).toEqual([0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    tf.dispose([x, y, z, padded]);
    expect(() => centerCrop(0)).toThrow('centerCrop: size must be positive integers, got 0');
  });
});

describe('randomCrop', () => {
  it('crops each image at its own seeded offset, with padding, replaying the generator draws', () => {
    const x = tf.concat([ramp(4, 4), ramp(4, 4).add(100)]);
    const g = new Generator(3);
    const probe = new Generator(3);
    const y = expectNoLeak(() => randomCrop(3, { padding: 1, generator: g })(x), 1);
    expect(y.shape).toEqual([2, 3, 3, 1]);
    const v = y.dataSync();
    for (let b = 0; b < 2; b++) {
      const top = probe.randint(4) - 1; // 6×6 padded image: 4 offsets, minus the padding
      const left = probe.randint(4) - 1;
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          const [r, c] = [top + i, left + j];
          const want = r < 0 || c < 0 || r > 3 || c > 3 ? 0 : r * 4 + c + 100 * b;
          expect(v[b * 9 + i * 3 + j]).toBe(want);
        }
    }
    const a = randomCrop([2, 2], { generator: new Generator(7) })(x);
    const b = randomCrop([2, 2], { generator: new Generator(7) })(x);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, y, a, b]);
    expect(() => randomCrop(5)(tf.zeros([4, 4, 1]))).toThrow('randomCrop: crop 5×5 is larger than the (padded) image 4×4');
  });
});

describe('randomHorizontalFlip', () => {
  it('mirrors the images whose draw is below p and keeps the others', () => {
    const x = tf.concat(Array.from({ length: 6 }, (_, b) => ramp(2, 3).add(10 * b)));
    const probe = new Generator(11);
    const flips = Array.from({ length: 6 }, () => probe.random() < 0.5);
    expect(flips.some(Boolean) && !flips.every(Boolean)).toBe(true);
    const y = expectNoLeak(() => randomHorizontalFlip({ generator: new Generator(11) })(x), 1);
    const v = Array.from(y.dataSync());
    for (let b = 0; b < 6; b++) {
      const row0 = [0, 1, 2].map((c) => c + 10 * b);
      expect(v.slice(b * 6, b * 6 + 3)).toEqual(flips[b] ? row0.reverse() : row0);
    }
    const always = randomHorizontalFlip({ p: 1 })(tf.tensor3d([1, 2, 3], [1, 3, 1]));
    expect(Array.from(always.dataSync())).toEqual([3, 2, 1]);
    tf.dispose([x, y, always]);
  });
});

describe('colorJitter', () => {
  it('applies each image\'s drawn factors in its drawn order, equal to the adjust functions', () => {
    const x = tf.randomUniform([3, 4, 5, 3], 0, 1, 'float32', 1);
    const opts = { brightness: 0.4, contrast: [0.5, 1.5] as [number, number], saturation: 0.8 };
    const y = expectNoLeak(() => colorJitter({ ...opts, generator: new Generator(5) })(x), 1);
    const probe = new Generator(5);
    const ranges = [[0.6, 1.4], [0.5, 1.5], [0.2, 1.8]];
    const fns = [adjustBrightness, adjustContrast, adjustSaturation];
    for (let b = 0; b < 3; b++) {
      const order = probe.permutation(3);
      let want: tf.Tensor = x.slice([b], [1]);
      for (const k of order) {
        const f = ranges[k][0] + (ranges[k][1] - ranges[k][0]) * probe.random();
        expect(f).toBeGreaterThanOrEqual(ranges[k][0]);
        want = fns[k](want, f);
      }
      expectClose(y.slice([b], [1]), want, { atol: 1e-6 });
    }
    const same = colorJitter()(x);
    expectClose(same, x, { atol: 0 });
    tf.dispose([x, y, same]);
    expect(() => colorJitter({ contrast: [1.5, 0.5] })).toThrow('colorJitter: contrast must be a non-negative spread or a [min, max] range');
  });
});

describe('compose', () => {
  it('chains transforms, frees the intermediates and keeps the input', () => {
    const x = tf.randomUniform([2, 10, 12, 3], 0, 1, 'float32', 2);
    const pipeline = compose([resize([8, 8]), centerCrop(6), toGray(), normalize([0.5], [0.25])]);
    const y = expectNoLeak(() => pipeline(x), 1);
    expect(y.shape).toEqual([2, 6, 6, 1]);
    const manual = tf.tidy(() => toGray()(centerCrop(6)(resize([8, 8])(x))).sub(0.5).div(0.25));
    expectClose(y, manual, { atol: 1e-6 });
    expect(x.isDisposed).toBe(false);
    tf.dispose([x, y, manual]);
    expect(() => normalize([0.5, 0.5, 0.5], [1, 1, 1])(tf.zeros([2, 2, 1]))).toThrow('normalize: 3 mean/std values for 1 channels (shape [1,2,2,1])');
    expect(() => resize(4)(tf.zeros([4, 4]))).toThrow('resize: expected an image [H, W, C] or a batch [B, H, W, C], got shape [4,4]');
  });
});
