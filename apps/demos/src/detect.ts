/**
 * Demo `detect`: digit detection. Builds SYNTHETIC scenes from real MNIST test digits (digitScenes
 * of @neuralzoo/datasets: digits pasted on 96×96 canvases, exact boxes), runs the committed YOLO v1
 * weights (packages/vision/weights/yolo_v1_digits.safetensors) on each, prints the detections and,
 * per scene, how many digits were found (right class, IoU > 0.5), the mAP@0.5 over the scenes, and
 * saves the annotated scenes as one PNG grid.
 */
import * as path from 'path';
import { BackendName, init, tf } from '@neuralzoo/core';
import { digitScenes, loadMnist } from '@neuralzoo/datasets';
import { DIGIT_SCENES, drawBoxes, evaluateDetector, iou, imageGrid, unflattenBoxes } from '@neuralzoo/vision';
import { defaultDetectorWeights, detectImage, loadDetector, writeImage } from '@neuralzoo/vision/node';

export interface DetectDemoOptions {
  /** TF.js backend. Default 'wasm'. */
  backend?: BackendName;
  /** Scenes to build and detect on. Default 8. */
  scenes?: number;
  /** Seed of the scenes. Default 2026 (not the recipe's test seed 2). */
  seed?: number;
  /** Lowest score shown and counted. Default 0.2. */
  scoreThreshold?: number;
  /** Detector weights. Default the committed yolo_v1_digits.safetensors. */
  weights?: string;
  /** PNG of the annotated scenes. Default detect-demo.png in the current folder. */
  out?: string;
  print?: (line: string) => void;
}

export interface DetectSceneResult {
  /** Ground-truth classes of the scene's digits. */
  digits: number[];
  detections: { label: number; score: number; box: number[] }[];
  /** Digits matched by a detection of their class with IoU > 0.5 (each detection used once). */
  found: number;
}

export interface DetectDemoResult {
  scenes: DetectSceneResult[];
  /** Found digits / all digits. */
  recall: number;
  /** Detections that matched a digit / all detections. */
  precision: number;
  /** mAP@0.5 (VOC all-point) over the scenes at score threshold 0.01, as the recipe reports it. */
  map50: number;
  out: string;
  backend: string;
  seconds: number;
}

export async function detectDemo(opts: DetectDemoOptions = {}): Promise<DetectDemoResult> {
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const start = Date.now();
  const info = await init({ backend: opts.backend ?? 'wasm' });
  const count = opts.scenes ?? 8;
  const score = opts.scoreThreshold ?? 0.2;
  const weights = opts.weights ?? defaultDetectorWeights('yolo_v1');
  if (!weights) throw new Error('detect demo: packages/vision/weights/yolo_v1_digits.safetensors is missing (train it: node packages/vision/scripts/train-detector.js yolo_v1)');
  const { model } = await loadDetector(weights, 'yolo_v1');
  const scenes = digitScenes({ digits: loadMnist({ split: 'test' }), ...DIGIT_SCENES.test, seed: opts.seed ?? 2026, count });
  print(`backend: ${info.name}; YOLO v1 from ${path.basename(weights)} (${model.numParameters().toLocaleString('en-US')} parameters)`);
  print(`${count} SYNTHETIC scenes of 96×96 from real MNIST test digits; detections with score >= ${score}`);

  const results: DetectSceneResult[] = [];
  const annotated: tf.Tensor3D[] = [];
  const S = 96;
  const zoom = 3;
  for (let i = 0; i < count; i++) {
    const img = tf.tensor4d(scenes.images.subarray(i * S * S, (i + 1) * S * S), [1, S, S, 1]);
    const found = detectImage(model, img, { scoreThreshold: score });
    const gt = unflattenBoxes(scenes.boxes[i]);
    const digits = Array.from(scenes.labels[i]);
    const used = new Set<number>();
    gt.forEach((g, k) => {
      const j = found.boxes.findIndex((b, d) => !used.has(d) && found.labels[d] === digits[k] && iou(b, g) > 0.5);
      if (j >= 0) used.add(j);
    });
    const detections = found.boxes.map((box, d) => ({ label: found.labels[d], score: found.scores[d], box }));
    results.push({ digits, detections, found: used.size });
    const list = detections.map((d) => `${d.label} (${d.score.toFixed(2)}) at [${d.box.map((v) => v.toFixed(0)).join(', ')}]`).join('; ');
    print(`scene ${i + 1}: digits ${digits.join(' ')} -> found ${used.size}/${digits.length}; ${detections.length} detection${detections.length === 1 ? '' : 's'}${list ? `: ${list}` : ''}`);
    annotated.push(
      tf.tidy(() => {
        const big = tf.image.resizeNearestNeighbor(img, [S * zoom, S * zoom]).squeeze([0]);
        return drawBoxes(big, { ...found, boxes: found.boxes.map((b) => b.map((v) => v * zoom)) }, { fontScale: 2, lineWidth: 2 }) as tf.Tensor3D;
      }),
    );
    img.dispose();
  }

  const digitsTotal = results.reduce((s, r) => s + r.digits.length, 0);
  const foundTotal = results.reduce((s, r) => s + r.found, 0);
  const detTotal = results.reduce((s, r) => s + r.detections.length, 0);
  const map50 = evaluateDetector(model, scenes).map;
  model.dispose();
  const out = opts.out ?? 'detect-demo.png';
  const batch = tf.stack(annotated);
  const grid = imageGrid(batch, { columns: Math.min(4, count), padding: 4, padValue: 1 });
  tf.dispose([batch, ...annotated]);
  const picture = tf.tensor3d(Int32Array.from(grid.data), [grid.height, grid.width, grid.channels], 'int32');
  await writeImage(picture, out);
  picture.dispose();
  const seconds = (Date.now() - start) / 1000;
  const recall = foundTotal / digitsTotal;
  const precision = detTotal ? foundTotal / detTotal : 0;
  print(
    `found ${foundTotal}/${digitsTotal} digits (${(100 * recall).toFixed(1)}%), ${foundTotal}/${detTotal} detections right (${(100 * precision).toFixed(1)}%); ` +
      `mAP@0.5 ${map50.toFixed(3)} on these ${count} scenes; ${info.name}, ${seconds.toFixed(1)} s`,
  );
  print(`wrote ${out} (${grid.width}×${grid.height})`);
  return { scenes: results, recall, precision, map50, out, backend: info.name, seconds };
}
