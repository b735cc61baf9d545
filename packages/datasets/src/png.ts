/**
 * A minimal PNG decoder (PNG specification, 2nd edition): 8-bit, non-interlaced images of colour
 * types 0 (grey), 2 (RGB), 4 (grey + alpha) and 6 (RGBA); the IDAT stream is inflated with
 * zlib and each scanline unfiltered (None, Sub, Up, Average, Paeth). Enough for data sets
 * shipped as PNG sprites; other depths, palettes and interlacing are reported as unsupported.
 */
import * as zlib from 'zlib';

export interface PngImage {
  width: number;
  height: number;
  /** Samples per pixel: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA. */
  channels: number;
  /** Row-major [height, width, channels] bytes. */
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** Decodes a PNG file's bytes. `what` names the source in errors. */
export function decodePng(bytes: Uint8Array, what = 'PNG data'): PngImage {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error(`decodePng: ${what} is not a PNG file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  let width = 0, height = 0, channels = 0;
  const idat: Uint8Array[] = [];
  while (at + 8 <= bytes.length) {
    const len = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const body = bytes.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const [depth, colour, , , interlace] = body.subarray(8, 13);
      if (depth !== 8 || !(colour in CHANNELS) || interlace !== 0)
        throw new Error(`decodePng: ${what} is bit depth ${depth}, colour type ${colour}, interlace ${interlace}; only 8-bit non-interlaced grey/RGB(A) is supported`);
      channels = CHANNELS[colour];
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + len;
  }
  if (!channels || !idat.length) throw new Error(`decodePng: ${what} has no IHDR or IDAT chunk`);
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  if (raw.length !== height * (stride + 1)) throw new Error(`decodePng: ${what} inflates to ${raw.length} bytes, ${width}×${height}×${channels} needs ${height * (stride + 1)}`);
  const data = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = data.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? data.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = up ? up[x] : 0;
      const c = up && x >= channels ? up[x - channels] : 0;
      let v: number;
      switch (filter) {
        case 0: v = line[x]; break;
        case 1: v = line[x] + a; break;
        case 2: v = line[x] + b; break;
        case 3: v = line[x] + ((a + b) >> 1); break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v = line[x] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default: throw new Error(`decodePng: ${what} row ${y} has unknown filter ${filter}`);
      }
      out[x] = v & 0xff;
    }
  }
  return { width, height, channels, data };
}
