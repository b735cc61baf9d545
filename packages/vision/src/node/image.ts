/**
 * Image files <-> NHWC tensors with sharp (libvips): JPEG, PNG and WebP in, PNG, JPEG and WebP out.
 * Node only (exported from `@neuralzoo/vision/node`); sharp is loaded on first use, so a missing
 * or broken sharp install fails with a message that says what to install, not at import.
 *
 * Pixels are taken as stored: no EXIF rotation, no colour management, alpha dropped (not
 * composited) for 'rgb' and 'grayscale', as PIL's `convert('RGB')` does.
 */
import * as fs from 'fs';
import * as path from 'path';
import type Sharp from 'sharp';
import { tf } from '@neuralzoo/core';
import { GRAY_WEIGHTS } from '../transforms/image';

type SharpFactory = typeof Sharp;

let sharpFactory: SharpFactory | null = null;

/** sharp, loaded on first use. */
function loadSharp(): SharpFactory {
  if (!sharpFactory) {
    try {
      sharpFactory = require('sharp') as SharpFactory;
    } catch (e) {
      throw new Error(
        `@neuralzoo/vision/node: image IO needs the 'sharp' package and its prebuilt binary for ${process.platform}-${process.arch} ` +
          `(pnpm add sharp@0.35.5); loading it failed: ${(e as Error).message.split('\n')[0]}`,
      );
    }
  }
  return sharpFactory;
}

/** Formats `readImage` decodes (sharp's format names). */
export const READ_FORMATS = ['jpeg', 'png', 'webp'] as const;

/** Options of `readImage`. */
export interface ReadImageOptions {
  /** Output channels: 'rgb' (3), 'grayscale' (1: ITU-R 601 luma 0.299 R + 0.587 G + 0.114 B) or 'rgba' (4; opaque alpha added where the file has none). Default 'rgb'. */
  mode?: 'rgb' | 'grayscale' | 'rgba';
  /** 'float32': values in [0, 1]; 'uint8': integer values 0–255 (an int32 tensor: TF.js has no uint8). Default 'float32'. */
  dtype?: 'float32' | 'uint8';
}

/** A decoded image before it becomes a tensor. */
export interface DecodedImage {
  /** Row-major [height, width, channels] bytes as the file holds them (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
  /** sharp's name of the file format: 'jpeg', 'png' or 'webp'. */
  format: string;
}

function describe(source: string | Uint8Array): string {
  return typeof source === 'string' ? source : `<${source.length}-byte buffer>`;
}

/** Decodes a JPEG, PNG or WebP file (path) or its bytes to 8-bit pixels with the file's own channels. */
export async function decodeImage(source: string | Uint8Array): Promise<DecodedImage> {
  const what = describe(source);
  if (typeof source === 'string' && !fs.existsSync(source)) throw new Error(`readImage: ${source}: no such file`);
  const sharp = loadSharp();
  let format: string | undefined;
  try {
    format = (await sharp(source).metadata()).format;
  } catch (e) {
    throw new Error(`readImage: ${what}: not an image sharp can read (supported: JPEG, PNG, WebP): ${(e as Error).message}`);
  }
  if (!format || !(READ_FORMATS as readonly string[]).includes(format))
    throw new Error(`readImage: ${what}: unsupported format '${format}' (supported: JPEG, PNG, WebP)`);
  const { data, info } = await sharp(source).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, channels: info.channels, format };
}

/** Converts [H, W, c] bytes with c in 1..4 to `mode`'s channels, as floats 0–255 (grey unrounded). */
function convert(img: DecodedImage, mode: 'rgb' | 'grayscale' | 'rgba'): { values: Float32Array; channels: number } {
  const { data, width, height, channels: c } = img;
  const n = width * height;
  const outC = mode === 'grayscale' ? 1 : mode === 'rgb' ? 3 : 4;
  const out = new Float32Array(n * outC);
  const [wr, wg, wb] = GRAY_WEIGHTS;
  for (let i = 0; i < n; i++) {
    const p = i * c;
    const isGrey = c <= 2;
    const r = data[p];
    const g = isGrey ? r : data[p + 1];
    const b = isGrey ? r : data[p + 2];
    const a = c === 2 ? data[p + 1] : c === 4 ? data[p + 3] : 255;
    const q = i * outC;
    if (outC === 1) out[q] = isGrey ? r : wr * r + wg * g + wb * b;
    else {
      out[q] = r;
      out[q + 1] = g;
      out[q + 2] = b;
      if (outC === 4) out[q + 3] = a;
    }
  }
  return { values: out, channels: outC };
}

/**
 * Reads a JPEG, PNG or WebP image (a path, or the file's bytes) as an NHWC tensor [1, H, W, C]:
 * C = 3 ('rgb', default), 1 ('grayscale') or 4 ('rgba'); float32 in [0, 1] or, with
 * `dtype: 'uint8'`, int32 values 0–255 (grey rounded to the nearest integer, as PIL's 'L').
 * Errors name the path: missing file, unreadable or unsupported format.
 */
export async function readImage(source: string | Uint8Array, opts: ReadImageOptions = {}): Promise<tf.Tensor4D> {
  const mode = opts.mode ?? 'rgb';
  const dtype = opts.dtype ?? 'float32';
  if (!['rgb', 'grayscale', 'rgba'].includes(mode)) throw new Error(`readImage: mode must be 'rgb', 'grayscale' or 'rgba', got '${mode}'`);
  if (dtype !== 'float32' && dtype !== 'uint8') throw new Error(`readImage: dtype must be 'float32' or 'uint8', got '${dtype}'`);
  const img = await decodeImage(source);
  const { values, channels } = convert(img, mode);
  const shape: [number, number, number, number] = [1, img.height, img.width, channels];
  if (dtype === 'uint8') {
    const ints = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) ints[i] = Math.round(values[i]);
    return tf.tensor4d(ints, shape, 'int32');
  }
  for (let i = 0; i < values.length; i++) values[i] /= 255;
  return tf.tensor4d(values, shape, 'float32');
}

/**
 * Bytes of one image tensor ([H, W, C] or [1, H, W, C], C in 1..4): float values are taken as
 * [0, 1] and int32 values as 0–255; both are clipped and rounded.
 */
export function imageBytes(image: tf.Tensor, caller = 'imageBytes'): DecodedImage {
  const shape = image.shape;
  if (!(image.rank === 3 || (image.rank === 4 && shape[0] === 1)))
    throw new Error(`${caller}: expected one image [H, W, C] or [1, H, W, C], got shape [${shape}]`);
  const [height, width, channels] = shape.slice(-3);
  if (channels < 1 || channels > 4) throw new Error(`${caller}: images need 1 to 4 channels, got ${channels} (shape [${shape}])`);
  const scale = image.dtype === 'int32' ? 1 : 255;
  const src = image.dataSync();
  const data = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Math.round(Math.min(255, Math.max(0, src[i] * scale)));
  return { data, width, height, channels, format: 'raw' };
}

/** Options of `writeImage` / `encodeImage`. */
export interface WriteImageOptions {
  /** JPEG and WebP quality 1–100. Default 90. */
  quality?: number;
}

const EXTENSIONS: Record<string, 'png' | 'jpeg' | 'webp'> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.webp': 'webp' };

/** Encodes one image tensor (see `imageBytes`) as PNG, JPEG or WebP bytes. */
export async function encodeImage(image: tf.Tensor, format: 'png' | 'jpeg' | 'webp', opts: WriteImageOptions = {}): Promise<Buffer> {
  const img = imageBytes(image, 'encodeImage');
  const quality = opts.quality ?? 90;
  const s = loadSharp()(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 2 | 3 | 4 } });
  if (format === 'png') return s.png().toBuffer();
  if (format === 'jpeg') return s.jpeg({ quality }).toBuffer();
  if (format === 'webp') return s.webp({ quality }).toBuffer();
  throw new Error(`encodeImage: format must be 'png', 'jpeg' or 'webp', got '${format}'`);
}

/**
 * Writes one image tensor ([H, W, C] or [1, H, W, C]; float in [0, 1] or int32 0–255) to `file`,
 * PNG, JPEG or WebP by its extension (.png, .jpg/.jpeg, .webp). Creates the parent folder.
 */
export async function writeImage(image: tf.Tensor, file: string, opts: WriteImageOptions = {}): Promise<void> {
  const format = EXTENSIONS[path.extname(file).toLowerCase()];
  if (!format) throw new Error(`writeImage: ${file}: unknown extension '${path.extname(file)}' (use .png, .jpg, .jpeg or .webp)`);
  const bytes = await encodeImage(image, format, opts);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, bytes);
}
