import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '@neuralzoo/core';
import { loadFixture } from '@neuralzoo/core/testing';
import { decodeImage, encodeImage, readImage, writeImage } from './image';

// Reference pixels decoded by PIL 9.4 (tools/fixtures/vision_image_io.py) from images on this machine.
const FIXTURES = path.join(__dirname, '../../fixtures/image_io');

interface Ref {
  path: string;
  height: number;
  width: number;
  ys: number[];
  xs: number[];
  rgb: number[];
  gray: number[];
  alpha?: number[];
  mean: number[];
}

function reference(name: string): Ref {
  const fx = loadFixture(FIXTURES, name);
  const arr = (k: string) => (fx.tensors[k] ? Array.from(fx.tensors[k].dataSync()) : undefined);
  const ref = { ...(fx.meta as { path: string; height: number; width: number }), ys: arr('ys')!, xs: arr('xs')!, rgb: arr('rgb')!, gray: arr('gray')!, alpha: arr('alpha'), mean: arr('mean')! };
  fx.dispose();
  return ref;
}

/** Largest |a - b| between the tensor's pixels at the reference points and the reference values. */
function maxDiff(img: tf.Tensor4D, ref: Ref, values: number[], scale: number): number {
  const [, , W, C] = img.shape;
  const v = img.dataSync();
  let worst = 0;
  ref.ys.forEach((y, i) => {
    for (let c = 0; c < C; c++) worst = Math.max(worst, Math.abs(v[(y * W + ref.xs[i]) * C + c] * scale - values[i * C + c]));
  });
  return worst;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-image-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('readImage on real images', () => {
  const available = (p: string) => fs.existsSync(p);

  it('decodes sklearn china.jpg and flower.jpg (JPEG) like PIL: shape, pixels within 1/255, channel means', async () => {
    for (const name of ['china', 'flower']) {
      const ref = reference(name);
      if (!available(ref.path)) throw new Error(`${ref.path} is missing: apt-get install python3-sklearn`);
      const img = await readImage(ref.path);
      expect(img.shape).toEqual([1, 427, 640, 3]);
      expect(img.dtype).toBe('float32');
      // libjpeg-turbo in both; at most one grey level apart at the sampled pixels.
      expect(maxDiff(img, ref, ref.rgb, 255)).toBeLessThanOrEqual(1);
      const px = img.dataSync() as Float32Array;
      const mean = [0, 1, 2].map((c) => px.reduce((s, v, i) => (i % 3 === c ? s + v : s), 0) / (px.length / 3));
      ref.mean.forEach((m, c) => expect(Math.abs(mean[c] - m)).toBeLessThan(1e-3));
      const u8 = await readImage(fs.readFileSync(ref.path), { dtype: 'uint8' });
      expect(u8.dtype).toBe('int32');
      expect(maxDiff(u8, ref, ref.rgb, 1)).toBeLessThanOrEqual(1);
      const grey = await readImage(ref.path, { mode: 'grayscale', dtype: 'uint8' });
      expect(grey.shape).toEqual([1, 427, 640, 1]);
      expect(maxDiff(grey, ref, ref.gray, 1)).toBeLessThanOrEqual(2);
      tf.dispose([img, u8, grey]);
    }
  });

  it('decodes opencv-doc PNGs exactly: RGB graf1.png, grey box.png, RGBA chicky_512.png', async () => {
    const graf = reference('graf1');
    const rgb = await readImage(graf.path, { dtype: 'uint8' });
    expect(rgb.shape).toEqual([1, 640, 800, 3]);
    expect(maxDiff(rgb, graf, graf.rgb, 1)).toBe(0);

    const box = reference('box');
    const grey = await readImage(box.path, { mode: 'grayscale', dtype: 'uint8' });
    expect(grey.shape).toEqual([1, 223, 324, 1]);
    expect(maxDiff(grey, box, box.gray, 1)).toBe(0);
    const boxRgb = await readImage(box.path, { dtype: 'uint8' }); // grey replicated to RGB
    expect(maxDiff(boxRgb, box, box.rgb, 1)).toBe(0);

    const chicky = reference('chicky');
    const rgba = await readImage(chicky.path, { mode: 'rgba', dtype: 'uint8' });
    expect(rgba.shape).toEqual([1, 512, 512, 4]);
    const want = chicky.rgb.flatMap((_, i) => (i % 3 === 2 ? [chicky.rgb[i], chicky.alpha![(i - 2) / 3]] : [chicky.rgb[i]]));
    expect(maxDiff(rgba, chicky, want, 1)).toBe(0);
    const dropped = await readImage(chicky.path, { dtype: 'uint8' });
    expect(maxDiff(dropped, chicky, chicky.rgb, 1)).toBe(0);
    tf.dispose([rgb, grey, boxRgb, rgba, dropped]);
  });
});

describe('writeImage', () => {
  it('round-trips PNG exactly and JPEG closely, float and int32 tensors, 1 and 3 channels', async () => {
    const src = await readImage('/usr/lib/python3/dist-packages/sklearn/datasets/images/flower.jpg');
    const crop = src.slice([0, 100, 200, 0], [1, 64, 48, 3]);
    const png = path.join(tmp, 'sub', 'crop.png');
    await writeImage(crop, png);
    const back = await readImage(png);
    expect(back.shape).toEqual([1, 64, 48, 3]);
    // PNG stores the rounded bytes: back equals round(255 x) / 255.
    const want = tf.tidy(() => crop.mul(255).round().div(255));
    expect(tf.tidy(() => back.sub(want).abs().max().dataSync()[0])).toBeLessThan(1e-6);

    const jpg = path.join(tmp, 'crop.jpg');
    await writeImage(crop.squeeze([0]), jpg, { quality: 95 });
    const decoded = await decodeImage(jpg);
    expect([decoded.format, decoded.width, decoded.height, decoded.channels]).toEqual(['jpeg', 48, 64, 3]);
    const jback = await readImage(jpg);
    expect(tf.tidy(() => jback.sub(crop).abs().mean().dataSync()[0])).toBeLessThan(0.02);

    const levels = tf.tensor4d([0, 64, 128, 255, 300, -5], [1, 2, 3, 1], 'int32');
    const bytes = await encodeImage(levels, 'png');
    const greyBack = await readImage(bytes, { mode: 'grayscale', dtype: 'uint8' });
    expect(Array.from(greyBack.dataSync())).toEqual([0, 64, 128, 255, 255, 0]);
    tf.dispose([src, crop, back, want, jback, levels, greyBack]);
  });

  it('names the path for a missing file, an unsupported format and an unknown extension', async () => {
    await expect(readImage(path.join(tmp, 'nope.png'))).rejects.toThrow(`readImage: ${path.join(tmp, 'nope.png')}: no such file`);
    const text = path.join(tmp, 'notes.jpg');
    fs.writeFileSync(text, 'not an image');
    await expect(readImage(text)).rejects.toThrow(new RegExp(`^readImage: ${text.replace(/[.]/g, '\\.')}: not an image sharp can read \\(supported: JPEG, PNG, WebP\\)`));
    const gif = path.join(tmp, 'dot.gif');
    const one = tf.zeros([1, 1, 3]);
    fs.writeFileSync(gif, await require('sharp')(Buffer.from([0, 0, 0]), { raw: { width: 1, height: 1, channels: 3 } }).gif().toBuffer());
    await expect(readImage(gif)).rejects.toThrow(`readImage: ${gif}: unsupported format 'gif' (supported: JPEG, PNG, WebP)`);
    await expect(writeImage(one, path.join(tmp, 'x.bmp'))).rejects.toThrow(`writeImage: ${path.join(tmp, 'x.bmp')}: unknown extension '.bmp' (use .png, .jpg, .jpeg or .webp)`);
    await expect(writeImage(tf.zeros([2, 1, 1, 3]), path.join(tmp, 'x.png'))).rejects.toThrow('encodeImage: expected one image [H, W, C] or [1, H, W, C], got shape [2,1,1,3]');
    one.dispose();
  });

  it('writes WebP that reads back with the same size', async () => {
    const img = tf.tidy(() => tf.linspace(0, 1, 16 * 16 * 3).reshape([16, 16, 3]));
    const file = path.join(tmp, 'ramp.webp');
    await writeImage(img, file);
    const back = await readImage(file);
    expect(back.shape).toEqual([1, 16, 16, 3]);
    expect(tf.tidy(() => back.squeeze([0]).sub(img).abs().mean().dataSync()[0])).toBeLessThan(0.05);
    tf.dispose([img, back]);
  });
});
