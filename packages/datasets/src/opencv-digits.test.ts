import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { loadOpencvDigits, OPENCV_DIGITS_FILE } from './opencv-digits';
import { decodePng } from './png';

const sha256 = (a: ArrayBufferView) => crypto.createHash('sha256').update(Buffer.from(a.buffer, a.byteOffset, a.byteLength)).digest('hex');
// CI installs the Debian package (.ci/run); the tests say so plainly when it is missing.
const installed = fs.existsSync(OPENCV_DIGITS_FILE);

/** A PNG whose rows are stored with the given filter bytes (CRCs left zero: the decoder skips them). */
function png(width: number, height: number, colour: number, rows: number[][]): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, Buffer.from(type), body, Buffer.alloc(4)]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = colour;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.from(rows.flat()))), chunk('IEND', Buffer.alloc(0))]);
}

describe('decodePng', () => {
  it('undoes the five scanline filters', () => {
    // Grey 3×5 image, one row per filter type; rows 0–2 decode to 10·row + col.
    const rows = [
      [0, 0, 1, 2], // None
      [1, 10, 1, 1], // Sub: 10, 11, 12
      [2, 10, 10, 10], // Up: 20, 21, 22
      [3, 20, 11, 1], // Average (checked below)
      [4, 10, 1, 1], // Paeth
    ];
    const img = decodePng(png(3, 5, 0, rows));
    expect([img.width, img.height, img.channels]).toEqual([3, 5, 1]);
    const d = Array.from(img.data);
    expect(d.slice(0, 9)).toEqual([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    // Average: a + ((left + up) >> 1) with left 0 for the first byte.
    expect(d[9]).toBe(20 + ((0 + 20) >> 1));
    expect(d[10]).toBe((11 + ((d[9] + 21) >> 1)) & 0xff);
    expect(d[11]).toBe((1 + ((d[10] + 22) >> 1)) & 0xff);
    // Paeth of the first byte is "up" (left and up-left are 0).
    expect(d[12]).toBe((10 + d[9]) & 0xff);
  });

  it('reads RGB pixels and rejects what it does not support', () => {
    const img = decodePng(png(2, 1, 2, [[0, 1, 2, 3, 4, 5, 6]]));
    expect([img.channels, Array.from(img.data)]).toEqual([3, [1, 2, 3, 4, 5, 6]]);
    expect(() => decodePng(Buffer.from('GIF89a'), 'x.gif')).toThrow('decodePng: x.gif is not a PNG file');
    expect(() => decodePng(png(1, 1, 3, [[0, 0]]), 'p.png')).toThrow('decodePng: p.png is bit depth 8, colour type 3, interlace 0; only 8-bit non-interlaced grey/RGB(A) is supported');
  });
});

describe('loadOpencvDigits', () => {
  it('finds the Debian package (apt-get install opencv-doc)', () => {
    expect(installed).toBe(true);
  });

  (installed ? it : it.skip)('cuts the 5,000 digits of the 2000×1000 sprite, split 4,000 / 500 / 500', () => {
    const p = (['train', 'val', 'test'] as const).map((split) => loadOpencvDigits({ split }));
    expect(p.map((s) => s.shape)).toEqual([[4000, 20, 20, 1], [500, 20, 20, 1], [500, 20, 20, 1]]);
    for (const [s, per] of [[p[0], 400], [p[1], 50], [p[2], 50]] as const)
      expect(Array.from({ length: 10 }, (_, c) => s.labels.filter((l) => l === c).length)).toEqual(Array(10).fill(per));
    let sum = 0;
    let max = 0;
    for (const v of p[0].images) {
      sum += v;
      if (v > max) max = v;
    }
    expect(max).toBe(1);
    expect(sum / p[0].images.length).toBeCloseTo(0.1323, 3);
    // Cells sit on the grid: the border rows of every digit are (almost) blank.
    const border = Array.from({ length: 500 }, (_, i) => p[2].images[i * 400]).reduce((a, b) => a + b, 0);
    expect(border).toBeLessThan(1);
    expect(sha256(p[2].labels)).toBe('1b3d481564d2bb39a9c8e29033cbd368c3c877d48234e4cf27ee504684073e7b');
    expect(sha256(p[2].images)).toBe('87d57d8434868eb19aa86b99de717accb6b5d7bc1e575227e22a8fc5fe756c77');
  });

  it('names the apt-get command when the file is missing', () => {
    const file = path.join(os.tmpdir(), 'nz-no-such-dir', 'digits.png');
    expect(() => loadOpencvDigits({ split: 'test', file })).toThrow(`loadOpencvDigits: ${file} is missing; install the data set with: apt-get install opencv-doc`);
  });
});
