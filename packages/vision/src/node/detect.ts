/**
 * Detection on image files (Node): load a registered single-stage detector from a safetensors
 * file written by scripts/train-detector.js (state dict + `model` and `config` metadata), run it on
 * an image of any size and draw the result. Used by `neuralzoo detect` and the `detect` demo.
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '@neuralzoo/core';
import { detect, Detector } from '../detection/detector';
import type { Detections, PostprocessOptions } from '../detection/nms';
import { resize, toGray } from '../transforms/image';
import { loadModelFile, LoadedModel } from './model-file';

/** Folder of the committed detector weights (`<model>_digits.safetensors`). */
export const WEIGHTS_DIR = path.join(__dirname, '..', '..', 'weights');

/** The committed weights of `model` (e.g. weights/yolo_v1_digits.safetensors), or null when there are none. */
export function defaultDetectorWeights(model: string): string | null {
  const file = path.join(WEIGHTS_DIR, `${model}_digits.safetensors`);
  return fs.existsSync(file) ? file : null;
}

/** A detector built from a weights file. */
export type LoadedDetector = LoadedModel<Detector>;

/**
 * Builds the registered detector named in `file`'s metadata (`model`, with its `config` JSON) and
 * loads the state dict (strict), in eval mode. With `expected`, a file of another model is an error.
 */
export function loadDetector(file: string, expected?: string): Promise<LoadedDetector> {
  return loadModelFile<Detector>(file, { expected, task: 'object-detection', caller: 'loadDetector' });
}

/** Channels a detector's input has (its config's `inChannels`, else 3). */
function inChannels(model: Detector): number {
  const config = (model as unknown as { config?: { inChannels?: number } }).config;
  return config?.inChannels ?? 3;
}

/**
 * Runs `model` on one image of any size ([H, W, C] or [1, H, W, C], float in [0, 1], C 1 or 3):
 * converts it to the model's channels (grey with torchvision's weights, or grey replicated to RGB),
 * resizes it bilinearly to the model's square input, detects, and maps the boxes back to the
 * image's pixels. Defaults as `detect`: scoreThreshold 0.3, iouThreshold 0.5.
 */
export function detectImage(model: Detector, image: tf.Tensor, opts: PostprocessOptions = {}): Detections {
  if (!(image.rank === 3 || (image.rank === 4 && image.shape[0] === 1))) throw new Error(`detectImage: expected one image [H, W, C] or [1, H, W, C], got shape [${image.shape}]`);
  const [H, W, C] = image.shape.slice(-3);
  const S = model.imageSize;
  const want = inChannels(model);
  const input = tf.tidy(() => {
    let x = image.rank === 3 ? image.expandDims(0) : image;
    if (C !== want) {
      if (want === 1 && C === 3) x = toGray()(x);
      else if (want === 3 && C === 1) x = tf.tile(x, [1, 1, 1, 3]);
      else throw new Error(`detectImage: the model takes ${want} channels, the image has ${C}`);
    }
    return H === S && W === S ? x.clone() : resize([S, S])(x);
  });
  try {
    const [found] = detect(model, input, opts);
    const sx = W / S;
    const sy = H / S;
    return { ...found, boxes: found.boxes.map((b) => [b[0] * sx, b[1] * sy, b[2] * sx, b[3] * sy]) };
  } finally {
    input.dispose();
  }
}
