import * as zlib from 'zlib';
import { parseIdx } from './idx';

/** Builds an IDX file: header (0, 0, type, rank, dims as big-endian uint32) + body. */
function idx(type: number, shape: number[], body: Buffer): Buffer {
  const head = Buffer.alloc(4 + 4 * shape.length);
  head[2] = type;
  head[3] = shape.length;
  shape.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, body]);
}

describe('parseIdx', () => {
  it('reads uint8 data, plain and gzip-compressed', () => {
    const file = idx(0x08, [2, 3], Buffer.from([0, 1, 2, 253, 254, 255]));
    for (const bytes of [file, zlib.gzipSync(file)]) {
      const out = parseIdx(bytes);
      expect(out.dtype).toBe('uint8');
      expect(out.shape).toEqual([2, 3]);
      expect(Array.from(out.data)).toEqual([0, 1, 2, 253, 254, 255]);
    }
  });

  it('converts big-endian int32 and float32 values', () => {
    const i32 = Buffer.alloc(8);
    i32.writeInt32BE(-7, 0);
    i32.writeInt32BE(65536, 4);
    expect(Array.from(parseIdx(idx(0x0c, [2], i32)).data)).toEqual([-7, 65536]);
    const f32 = Buffer.alloc(8);
    f32.writeFloatBE(1.5, 0);
    f32.writeFloatBE(-0.25, 4);
    const out = parseIdx(idx(0x0d, [1, 2], f32));
    expect(out.data).toBeInstanceOf(Float32Array);
    expect(Array.from(out.data)).toEqual([1.5, -0.25]);
  });

  it('rejects bad magic, unknown types and wrong lengths, naming the source', () => {
    expect(() => parseIdx(Buffer.from([1, 0, 8, 1, 0, 0, 0, 0]), 'a.idx')).toThrow('parseIdx: a.idx is not an IDX file (expected two zero bytes, got 1,0)');
    expect(() => parseIdx(idx(0x0a, [1], Buffer.from([0])), 'b.idx')).toThrow('parseIdx: b.idx has unknown IDX type code 0xa');
    expect(() => parseIdx(idx(0x08, [2, 2], Buffer.from([1, 2, 3])), 'c.idx')).toThrow('parseIdx: c.idx has 15 bytes; header [2,2] of uint8 needs 16');
  });
});
