import * as zlib from 'zlib';
import { tf } from '@neuralzoo/core';
import { decodePng } from '@neuralzoo/datasets';
import { adler32, crc32, encodePng, imageGrid } from './png';

describe('encodePng', () => {
  it('computes the CRC-32 and Adler-32 check values of the specifications', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
  });

  it('round-trips grey, grey+alpha, RGB and RGBA images through a PNG decoder', () => {
    for (const channels of [1, 2, 3, 4]) {
      const [w, h] = [5, 3];
      const data = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 37 + channels) & 0xff);
      const png = encodePng(data, w, h, channels);
      const img = decodePng(png);
      expect([img.width, img.height, img.channels]).toEqual([w, h, channels]);
      expect(Array.from(img.data)).toEqual(Array.from(data));
    }
  });

  it('splits IDAT data over stored blocks of at most 65,535 bytes that zlib inflates', () => {
    const [w, h] = [300, 300]; // 90,300 raw bytes: two stored blocks
    const data = Uint8Array.from({ length: w * h }, (_, i) => i % 251);
    const png = encodePng(data, w, h, 1);
    expect(Array.from(decodePng(png).data.subarray(0, 600))).toEqual(Array.from(data.subarray(0, 600)));
    expect(decodePng(png).data[w * h - 1]).toBe(data[w * h - 1]);
    const idatAt = png.findIndex((_, i) => png[i] === 0x49 && png[i + 1] === 0x44 && png[i + 2] === 0x41 && png[i + 3] === 0x54);
    const len = new DataView(png.buffer).getUint32(idatAt - 4);
    expect(zlib.inflateSync(png.subarray(idatAt + 4, idatAt + 4 + len)).length).toBe(h * (w + 1));
  });

  it('rejects wrong sizes and channel counts', () => {
    expect(() => encodePng(new Uint8Array(5), 2, 2, 1)).toThrow('encodePng: 2×2×1 needs 4 bytes, got 5');
    expect(() => encodePng(new Uint8Array(4), 2, 2, 5 as number)).toThrow('channels must be 1, 2, 3 or 4, got 5');
  });
});

describe('imageGrid', () => {
  it('tiles a batch with padding, clipping values to bytes', () => {
    const x = tf.tensor4d([0, 1, 1, 0, 2, -1, 0.5, 1], [2, 2, 2, 1]);
    const g = imageGrid(x, { columns: 2, padding: 1, padValue: 0 });
    expect([g.width, g.height, g.channels]).toEqual([7, 4, 1]);
    // rows: pad / image 0 row 0, pad, image 1 row 0, pad / …
    expect(Array.from(g.data)).toEqual([
      0, 0, 0, 0, 0, 0, 0,
      0, 0, 255, 0, 255, 0, 0,
      0, 255, 0, 0, 128, 255, 0,
      0, 0, 0, 0, 0, 0, 0,
    ]);
    x.dispose();
  });
});
