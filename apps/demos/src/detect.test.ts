import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tf } from '@neuralzoo/core';
import { readImage } from '@neuralzoo/vision/node';
import { detectDemo } from './detect';

describe('detect demo', () => {
  it('detects the digits of MNIST-test scenes with the committed YOLO v1 and saves the annotated grid', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-detect-demo-'));
    const out = path.join(dir, 'grid.png');
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const res = await detectDemo({ backend: 'wasm', scenes: 4, out, print: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.scenes).toHaveLength(4);
    const digits = res.scenes.reduce((s, r) => s + r.digits.length, 0);
    expect(digits).toBeGreaterThanOrEqual(8); // 2..5 digits per scene
    for (const [i, r] of res.scenes.entries()) {
      expect(lines[i + 2]).toMatch(new RegExp(`^scene ${i + 1}: digits ${r.digits.join(' ')} -> found ${r.found}/${r.digits.length}; `));
      expect(r.detections.every((d) => d.score >= 0.2 && d.box.every((v) => v > -10 && v < 106))).toBe(true);
    }
    // Measured with the committed weights: 8/14 digits found, 8/9 detections right, mAP@0.5 0.887.
    expect(res.recall).toBeGreaterThan(0.4);
    expect(res.precision).toBeGreaterThan(0.6);
    expect(res.map50).toBeGreaterThan(0.4);
    expect(lines[lines.length - 2]).toMatch(/^found \d+\/\d+ digits \([\d.]+%\), \d+\/\d+ detections right \([\d.]+%\); mAP@0\.5 [\d.]+ on these 4 scenes; wasm, [\d.]+ s$/);
    // 4 scenes of 288×288 in one row with 4-px borders.
    const grid = await readImage(out);
    expect(grid.shape).toEqual([1, 4 + 292, 4 + 4 * 292, 3]);
    grid.dispose();
    fs.rmSync(dir, { recursive: true });
  });
});
