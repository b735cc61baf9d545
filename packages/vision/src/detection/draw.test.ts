import { tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { BOX_COLORS, drawBoxes } from './draw';

/** RGB values 0–255 of pixel (y, x) of an [H, W, 3] or [1, H, W, 3] image in [0, 1]. */
function pixel(img: tf.Tensor, y: number, x: number): number[] {
  const W = img.shape[img.rank - 2];
  const v = img.dataSync();
  return [0, 1, 2].map((c) => Math.round(v[(y * W + x) * 3 + c] * 255));
}

describe('drawBoxes', () => {
  it('outlines a box in its class colour, leaves the inside, and writes the tag "1 0.50" above it', () => {
    const img = tf.fill([20, 30, 1], 0.2);
    const out = expectNoLeak(() => drawBoxes(img, { boxes: [[5, 8, 15, 18]], labels: [1], scores: [0.5] }), 1);
    expect(out.shape).toEqual([20, 30, 3]);
    const orange = [...BOX_COLORS[1]];
    expect(pixel(out, 8, 10)).toEqual(orange); // top edge
    expect(pixel(out, 17, 10)).toEqual(orange); // bottom edge (y2 = 18 exclusive)
    expect(pixel(out, 12, 5)).toEqual(orange); // left edge
    expect(pixel(out, 12, 14)).toEqual(orange); // right edge
    expect(pixel(out, 12, 10)).toEqual([51, 51, 51]); // inside: the grey image, now RGB
    expect(pixel(out, 12, 15)).toEqual([51, 51, 51]); // right of the box
    // Tag strip rows 1..7 (7 px tall above y1 = 8), from x1 = 5, 6 glyphs × 4 px + 1 wide.
    expect(pixel(out, 1, 5)).toEqual(orange);
    expect(pixel(out, 1, 29)).toEqual(orange);
    expect(pixel(out, 0, 5)).toEqual([51, 51, 51]);
    // Glyph '1' (".#. ##. .#. .#. ###") at x 6..8, y 2..6; black ink on the light orange.
    expect(pixel(out, 2, 7)).toEqual([0, 0, 0]);
    expect(pixel(out, 2, 6)).toEqual(orange);
    expect(pixel(out, 3, 6)).toEqual([0, 0, 0]);
    expect([6, 7, 8].map((x) => pixel(out, 6, x)[0])).toEqual([0, 0, 0]);
    // Glyph '.' of "0.50" is the 4th character: x 6 + 3·4 = 18..20, only its bottom middle dot.
    expect(pixel(out, 6, 19)).toEqual([0, 0, 0]);
    expect(pixel(out, 5, 19)).toEqual(orange);
    tf.dispose([img, out]);
  });

  it('clips boxes to the image, takes int32 0–255 batches of one, custom colours, names and line width', () => {
    const img = tf.zeros([1, 12, 16, 3], 'int32');
    const out = drawBoxes(img, { boxes: [[10, -3, 40, 8], [2, 2, 6, 6]], labels: [0, 3] }, { colors: [[255, 0, 0]], labels: ['cat', 'dog', 'ox', 'A'], lineWidth: 2 });
    expect(out.shape).toEqual([1, 12, 16, 3]);
    expect(out.dtype).toBe('float32');
    expect(pixel(out, 0, 15)).toEqual([255, 0, 0]); // clipped top/right corner
    expect(pixel(out, 7, 15)).toEqual([255, 0, 0]);
    expect(pixel(out, 6, 10)).toEqual([255, 0, 0]); // 2-px bottom edge: rows 6 and 7
    // No room above y1 = 0: the tag "cat" is inside, rows 0..6; 'C' at x 11..13: white ink on red.
    expect(pixel(out, 3, 11)).toEqual([255, 255, 255]);
    expect(pixel(out, 3, 12)).toEqual([255, 0, 0]);
    expect(pixel(out, 8, 12)).toEqual([0, 0, 0]); // below the box
    // Class 3 ("A") takes colour 3 % 1 = 0; its 2-px outline: (2, 2) and (3, 3), inside (4, 4) stays black
    // except where its inside tag strip (y1 = 2 < 7 rows above) covers it.
    expect(pixel(out, 3, 3)).toEqual([255, 0, 0]);
    const bare = drawBoxes(img, { boxes: [[2, 2, 6, 6]] }, { showLabels: false });
    expect(pixel(bare, 3, 3)).toEqual([0, 0, 0]);
    expect(pixel(bare, 2, 3)).toEqual([...BOX_COLORS[0]]);
    tf.dispose([img, out, bare]);
    expect(() => drawBoxes(tf.zeros([2, 4, 4, 3]), { boxes: [] })).toThrow('drawBoxes: expected one image [H, W, C] or [1, H, W, C], got shape [2,4,4,3]');
    expect(() => drawBoxes(tf.zeros([4, 4, 3]), { boxes: [[0, 0, 1, 1]], labels: [] })).toThrow('drawBoxes: 1 boxes but 0 labels');
  });
});
