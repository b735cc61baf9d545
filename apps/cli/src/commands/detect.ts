import * as path from 'path';
import { BackendName, init, tf } from '@neuralzoo/core';
import { defaultDetectorWeights, detectImage, drawBoxes, loadDetector, readImage, writeImage } from '@neuralzoo/vision/node';
import type { FlagSpec } from '../args';
import { loadRegistry } from '../models';
import { formatTable } from '../table';

export const DETECT_FLAGS: Record<string, FlagSpec> = {
  weights: { type: 'string', description: 'safetensors file of the detector (default: the committed <model>_digits weights)' },
  out: { type: 'string', description: 'annotated PNG to write (default: <image name>.detections.png here)' },
  score: { type: 'string', description: 'lowest score a detection needs, in [0, 1] (default 0.3)' },
  backend: { type: 'string', description: 'auto | torch | tensorflow | wasm | cpu (default wasm)' },
};

export interface DetectCommandOptions {
  weights?: string;
  out?: string;
  /** Score threshold in [0, 1]. Default 0.3. */
  score?: number | string;
  backend?: string;
}

export interface DetectCommandResult {
  model: string;
  weights: string;
  out: string;
  detections: { label: number; score: number; box: number[] }[];
}

const BACKENDS = ['auto', 'torch', 'tensorflow', 'wasm', 'cpu'];

/**
 * `neuralzoo detect <model> <image>`: loads the detector's weights, reads the image (grey for the
 * single-channel digit models), resizes it to the model input, prints each detection (class,
 * score, box in the image's pixels) and writes the image with the boxes drawn as PNG.
 */
export async function detectCommand(modelName: string, image: string, opts: DetectCommandOptions, print: (line: string) => void): Promise<DetectCommandResult> {
  const entry = loadRegistry().get(modelName);
  if (entry.task !== 'object-detection') throw new Error(`neuralzoo detect: '${modelName}' is a ${entry.task} model, not a detector (detectors: ${detectorNames().join(', ')})`);
  const score = opts.score === undefined ? 0.3 : Number(opts.score);
  if (!(score >= 0 && score <= 1)) throw new Error(`neuralzoo detect: --score must be a number in [0, 1], got '${opts.score}'`);
  const backend = opts.backend ?? 'wasm';
  if (!BACKENDS.includes(backend)) throw new Error(`neuralzoo detect: unknown backend '${backend}'; expected one of ${BACKENDS.join(', ')}`);
  const weights = opts.weights ?? defaultDetectorWeights(modelName);
  if (!weights) throw new Error(`neuralzoo detect: no committed weights for '${modelName}'; pass --weights FILE (train some with packages/vision/scripts/train-detector.js ${modelName})`);
  const info = await init({ backend: backend as BackendName });

  const { model } = await loadDetector(weights, modelName);
  try {
    const channels = (model as unknown as { config?: { inChannels?: number } }).config?.inChannels ?? 3;
    const picture = await readImage(image, { mode: channels === 1 ? 'grayscale' : 'rgb' });
    try {
      const [, H, W] = picture.shape;
      print(`${modelName} on ${image} (${W}×${H}, ${channels === 1 ? 'grey' : 'RGB'}, resized to ${model.imageSize}×${model.imageSize}); weights ${weights}; backend ${info.name}`);
      const found = detectImage(model, picture, { scoreThreshold: score });
      const detections = found.boxes.map((box, i) => ({ label: found.labels[i], score: found.scores[i], box }));
      if (!detections.length) print(`no detection with score >= ${score}`);
      else {
        const rows = [['CLASS', 'SCORE', 'X1', 'Y1', 'X2', 'Y2']];
        for (const d of detections) rows.push([String(d.label), d.score.toFixed(3), ...d.box.map((v) => v.toFixed(1))]);
        print(formatTable(rows));
        print(`${detections.length} detection${detections.length === 1 ? '' : 's'} with score >= ${score}`);
      }
      const out = opts.out ?? `${path.basename(image, path.extname(image))}.detections.png`;
      // Draw on the image as read (grey for digit models), scaled up so that the tags stay legible.
      const zoom = Math.max(1, Math.round(384 / Math.max(H, W)));
      const annotated = tf.tidy(() => {
        const big = zoom === 1 ? picture : tf.image.resizeNearestNeighbor(picture, [H * zoom, W * zoom]);
        return drawBoxes(big, { ...found, boxes: found.boxes.map((b) => b.map((v) => v * zoom)) }, { fontScale: zoom > 1 ? 2 : 1, lineWidth: zoom > 1 ? 2 : 1 });
      });
      await writeImage(annotated, out);
      annotated.dispose();
      print(`wrote ${out}`);
      return { model: modelName, weights, out, detections };
    } finally {
      picture.dispose();
    }
  } finally {
    model.dispose();
  }
}

function detectorNames(): string[] {
  return loadRegistry()
    .list()
    .filter((e) => e.task === 'object-detection')
    .map((e) => e.name);
}
