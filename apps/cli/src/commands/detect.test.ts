import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '@neuralzoo/core';
import { digitScenes, loadMnist } from '@neuralzoo/datasets';
import { DIGIT_SCENES, iou, unflattenBoxes } from '@neuralzoo/vision';
import { readImage, writeImage } from '@neuralzoo/vision/node';
import { run } from '../cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-detect-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Detections parsed back from the printed table: class, score, box. */
function parseTable(lines: string[]): { label: number; score: number; box: number[] }[] {
  const start = lines.findIndex((l) => /^CLASS\s+SCORE\s+X1\s+Y1\s+X2\s+Y2$/.test(l));
  if (start < 0) return [];
  const rows: { label: number; score: number; box: number[] }[] = [];
  for (const l of lines.slice(start + 2)) {
    const m = /^(\d+)\s+([\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)$/.exec(l);
    if (!m) break;
    rows.push({ label: Number(m[1]), score: Number(m[2]), box: m.slice(3).map(Number) });
  }
  return rows;
}

describe('neuralzoo detect', () => {
  it('finds the digits of held-out scenes saved as PNG with the committed yolo_v1 weights and writes the annotated PNG', async () => {
    const scenes = digitScenes({ digits: loadMnist({ split: 'test' }), ...DIGIT_SCENES.test, seed: 7, count: 6 });
    let found = 0;
    let total = 0;
    for (let i = 0; i < 6; i++) {
      const file = path.join(tmp, `scene${i}.png`);
      const img = tf.tensor3d(scenes.images.subarray(i * 96 * 96, (i + 1) * 96 * 96), [96, 96, 1]);
      await writeImage(img, file);
      img.dispose();
      const lines: string[] = [];
      const out = path.join(tmp, `scene${i}.out.png`);
      const code = await run(['detect', 'yolo_v1', file, '--out', out, '--score', '0.1'], (l) => lines.push(...l.split('\n')));
      expect(code).toBe(0);
      expect(lines[0]).toMatch(new RegExp(`^yolo_v1 on ${file.replace(/[.]/g, '\\.')} \\(96×96, grey, resized to 96×96\\); weights .*yolo_v1_digits\\.safetensors; backend wasm$`));
      expect(lines[lines.length - 1]).toBe(`wrote ${out}`);
      const dets = parseTable(lines);
      expect(dets.every((d) => d.score >= 0.1 && d.score <= 1 && d.label >= 0 && d.label <= 9)).toBe(true);
      const gt = unflattenBoxes(scenes.boxes[i]);
      const used = new Set<number>();
      gt.forEach((g, k) => {
        const j = dets.findIndex((d, n) => !used.has(n) && d.label === scenes.labels[i][k] && iou(d.box, g) > 0.5);
        if (j >= 0) used.add(j);
      });
      found += used.size;
      total += gt.length;
      if (i === 0) {
        // Annotated at 4× (384×384) in RGB: coloured pixels where boxes are drawn, none in the grey input.
        const ann = await readImage(out, { dtype: 'uint8' });
        expect(ann.shape).toEqual([1, 384, 384, 3]);
        const v = ann.dataSync();
        let coloured = 0;
        for (let p = 0; p < v.length; p += 3) if (v[p] !== v[p + 1] || v[p + 1] !== v[p + 2]) coloured++;
        expect(coloured > 0).toBe(dets.length > 0);
        ann.dispose();
      }
    }
    // The committed weights find ~72% of digits at score 0.1 on held-out scenes (19 of these 20).
    expect(found / total).toBeGreaterThan(0.5);
  });

  it('names a missing image, missing weights, a non-detector and a bad score', async () => {
    const print = () => undefined;
    const missing = path.join(tmp, 'nope.png');
    await expect(run(['detect', 'yolo_v1', missing], print)).rejects.toThrow(`readImage: ${missing}: no such file`);
    const scene = path.join(tmp, 'blank.png');
    const blank = tf.zeros([96, 96, 1]);
    await writeImage(blank, scene);
    blank.dispose();
    await expect(run(['detect', 'yolo_v1', scene, '--weights', path.join(tmp, 'w.safetensors')], print)).rejects.toThrow(`loadDetector: ${path.join(tmp, 'w.safetensors')}: no such weights file`);
    await expect(run(['detect', 'ssd', scene], print)).rejects.toThrow("neuralzoo detect: no committed weights for 'ssd'; pass --weights FILE");
    await expect(run(['detect', 'lenet5', scene], print)).rejects.toThrow(/^neuralzoo detect: 'lenet5' is a image-classification model, not a detector \(detectors: .*yolo_v1/);
    await expect(run(['detect', 'yolo_v1', scene, '--score', '2'], print)).rejects.toThrow("neuralzoo detect: --score must be a number in [0, 1], got '2'");
    await expect(run(['detect', 'yolo_v1'], print)).rejects.toThrow("neuralzoo detect: expected <model> <image>, got 'yolo_v1' (e.g. neuralzoo detect yolo_v1 scene.png)");
    const lines: string[] = [];
    expect(await run(['detect', 'yolo_v1', scene, '--out', path.join(tmp, 'blank.out.png')], (l) => lines.push(l))).toBe(0);
    expect(lines[1]).toBe('no detection with score >= 0.3');
  });
});
