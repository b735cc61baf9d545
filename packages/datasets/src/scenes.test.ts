import { loadMnist } from './mnist';
import { digitScenes } from './scenes';
import type { ImageSet } from './types';

/** Three 8×8 "digits": a centred 4×4 square of ink whose value encodes the class. */
function squares(): ImageSet {
  const images = new Float32Array(3 * 64);
  for (let i = 0; i < 3; i++) for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) images[i * 64 + y * 8 + x] = 0.5 + 0.25 * i;
  return { images, labels: Int32Array.from([0, 1, 2]), shape: [3, 8, 8, 1], classes: ['a', 'b', 'c'] };
}

describe('digitScenes (synthetic)', () => {
  it('pastes crops with tight boxes around their ink and the crops\' labels', () => {
    const scenes = digitScenes({ digits: squares(), count: 20, size: 32, minDigits: 2, maxDigits: 3, scale: [1, 1], maxIoU: 0, seed: 5 });
    expect(scenes.synthetic).toBe(true);
    expect(scenes.shape).toEqual([20, 32, 32, 1]);
    for (let s = 0; s < 20; s++) {
      const b = scenes.boxes[s];
      const l = scenes.labels[s];
      expect(l.length).toBeGreaterThanOrEqual(2);
      expect(b.length).toBe(4 * l.length);
      for (let k = 0; k < l.length; k++) {
        const [x1, y1, x2, y2] = b.subarray(4 * k, 4 * k + 4);
        // Unscaled squares give 4×4 boxes filled with the class's value.
        expect([x2 - x1, y2 - y1]).toEqual([4, 4]);
        expect(scenes.images[s * 1024 + y1 * 32 + x1]).toBeCloseTo(0.5 + 0.25 * l[k], 6);
        expect(scenes.images[s * 1024 + (y2 - 1) * 32 + (x2 - 1)]).toBeCloseTo(0.5 + 0.25 * l[k], 6);
      }
      // Ink only inside boxes.
      let outside = 0;
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) {
          const inBox = Array.from({ length: l.length }, (_, k) => b.subarray(4 * k, 4 * k + 4)).some(([x1, y1, x2, y2]) => x >= x1 && x < x2 && y >= y1 && y < y2);
          if (!inBox && scenes.images[s * 1024 + y * 32 + x] > 0) outside++;
        }
      expect(outside).toBe(0);
    }
    expect(digitScenes({ digits: squares(), count: 3, size: 32, seed: 5 }).images).toEqual(digitScenes({ digits: squares(), count: 3, size: 32, seed: 5 }).images);
  });

  it('composes real MNIST digits at random scales', () => {
    const scenes = digitScenes({ digits: loadMnist({ split: 'test' }), count: 50, size: 96, seed: 1 });
    const counts = scenes.labels.map((l) => l.length);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBe(3);
    const widths = scenes.boxes.flatMap((b) => Array.from({ length: b.length / 4 }, (_, k) => b[4 * k + 2] - b[4 * k]));
    // MNIST ink spans up to 20 px; scaled by 0.75–1.25 it stays within 1–25 px.
    expect(Math.max(...widths)).toBeLessThanOrEqual(26);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(1);
    expect(scenes.classes).toHaveLength(10);
  });

  it('rejects options that cannot work', () => {
    expect(() => digitScenes({ digits: squares(), count: 1, size: 8, scale: [1, 2] })).toThrow('digitScenes: scale [1,2] must be increasing and fit a 8×8 digit in the 8×8 canvas');
    expect(() => digitScenes({ digits: squares(), count: 0 })).toThrow('digitScenes: count must be a positive integer, got 0');
  });
});
