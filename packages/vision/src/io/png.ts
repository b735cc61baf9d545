/**
 * A small PNG encoder (PNG specification, 2nd edition) in plain JS, so it runs in browsers too:
 * 8-bit grey, grey+alpha, RGB or RGBA, filter 0 on every scanline and a zlib stream of stored
 * (uncompressed) deflate blocks. Files are larger than compressed ones but valid everywhere;
 * `imageGrid` tiles a batch of images into one picture (e.g. PixelCNN samples).
 */
import { tf } from '@neuralzoo/core';

const COLOUR_TYPE: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO 3309, polynomial 0xedb88320) of the bytes, as PNG chunks need. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** Adler-32 of the bytes (the zlib trailer). */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib stream (RFC 1950) of stored deflate blocks (RFC 1951, BTYPE 00), at most 65,535 bytes each. */
function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65535));
  const out = new Uint8Array(2 + raw.length + 5 * blocks + 4);
  out[0] = 0x78; // CM 8 (deflate), 32K window
  out[1] = 0x01; // no dictionary, lowest level; (0x78 << 8 | 0x01) % 31 === 0
  let at = 2;
  for (let i = 0; i < blocks; i++) {
    const start = i * 65535;
    const len = Math.min(65535, raw.length - start);
    out[at++] = i === blocks - 1 ? 1 : 0; // BFINAL, BTYPE 00
    out[at++] = len & 0xff;
    out[at++] = len >>> 8;
    out[at++] = ~len & 0xff;
    out[at++] = (~len >>> 8) & 0xff;
    out.set(raw.subarray(start, start + len), at);
    at += len;
  }
  new DataView(out.buffer).setUint32(at, adler32(raw));
  return out;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes row-major [height, width, channels] bytes (channels 1 grey, 2 grey+alpha, 3 RGB,
 * 4 RGBA) as a PNG file.
 */
export function encodePng(data: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  if (!(channels in COLOUR_TYPE)) throw new Error(`encodePng: channels must be 1, 2, 3 or 4, got ${channels}`);
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0)
    throw new Error(`encodePng: width and height must be positive integers, got ${width}×${height}`);
  if (data.length !== width * height * channels)
    throw new Error(`encodePng: ${width}×${height}×${channels} needs ${width * height * channels} bytes, got ${data.length}`);
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, width);
  hv.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = COLOUR_TYPE[channels];
  // compression 0, filter method 0, no interlace: bytes 10–12 stay 0
  const stride = width * channels;
  const raw = new Uint8Array(height * (stride + 1)); // each scanline: filter type 0 + bytes
  for (let y = 0; y < height; y++) raw.set(data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Options of `imageGrid`. */
export interface ImageGridOptions {
  /** Images per row of the grid. Default ceil(sqrt(n)). */
  columns?: number;
  /** Pixels between images and around the grid. Default 1. */
  padding?: number;
  /** Value of the padding pixels, in the images' [0, 1] range. Default 0.5. */
  padValue?: number;
}

/**
 * Tiles an NHWC batch [N, H, W, C] with values in [0, 1] into one [rows·(H+p)+p, cols·(W+p)+p, C]
 * picture of bytes (values clipped to [0, 1] and scaled to 0–255), ready for `encodePng`.
 */
export function imageGrid(images: tf.Tensor, opts: ImageGridOptions = {}): { data: Uint8Array; width: number; height: number; channels: number } {
  if (images.rank !== 4) throw new Error(`imageGrid: expected NHWC images [N, H, W, C], got shape [${images.shape}]`);
  const [n, h, w, c] = images.shape as [number, number, number, number];
  const cols = opts.columns ?? Math.ceil(Math.sqrt(n));
  const pad = opts.padding ?? 1;
  const rows = Math.ceil(n / cols);
  const width = cols * (w + pad) + pad;
  const height = rows * (h + pad) + pad;
  const fill = Math.round(Math.min(1, Math.max(0, opts.padValue ?? 0.5)) * 255);
  const data = new Uint8Array(width * height * c).fill(fill);
  const px = images.dataSync();
  for (let i = 0; i < n; i++) {
    const top = pad + Math.floor(i / cols) * (h + pad);
    const left = pad + (i % cols) * (w + pad);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) {
          const v = px[((i * h + y) * w + x) * c + k];
          data[((top + y) * width + left + x) * c + k] = Math.round(Math.min(1, Math.max(0, v)) * 255);
        }
  }
  return { data, width, height, channels: c };
}
