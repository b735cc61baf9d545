/**
 * The input check every vision model shares: NHWC images with a fixed channel count and a
 * minimum (or exact) side. Errors name the model, the expected shape and the shape received, and
 * recognise channels-first (NCHW) batches, saying how to transpose them.
 */
import type { tf } from '@neuralzoo/core';

/** What a model accepts; sides are checked by `side` (exact), `minSide` or `accepts`. */
export interface ImageInputSpec {
  /** Channels of the last axis, e.g. 1 for MNIST, 3 for RGB. */
  channels: number;
  /** Exact height and width (LeNet's 28×28), if the model needs one size. */
  side?: number;
  /** Smallest height and width the model accepts (default 1). */
  minSide?: number;
  /** Extra size test, for strides that rule out some sides; gets (height, width). */
  accepts?: (height: number, width: number) => boolean;
}

/** The expected shape as text: `[batch, 28, 28, 1]` or `[batch, height, width, 3] with height, width >= 75`. */
export function describeImageInput(spec: ImageInputSpec): string {
  const c = spec.channels;
  if (spec.side !== undefined) return `[batch, ${spec.side}, ${spec.side}, ${c}]`;
  const min = spec.minSide ?? 1;
  return `[batch, height, width, ${c}]${min > 1 ? ` with height, width >= ${min}` : ''}`;
}

function sidesOk(spec: ImageInputSpec, h: number, w: number): boolean {
  if (spec.side !== undefined && (h !== spec.side || w !== spec.side)) return false;
  const min = spec.minSide ?? 1;
  if (h < min || w < min) return false;
  return spec.accepts ? spec.accepts(h, w) : true;
}

/**
 * Throws unless `x` is an NHWC batch [B, H, W, channels] the model accepts. The message names
 * `model`, the expected shape and the received one; for a channels-first batch [B, C, H, W] it
 * adds the transpose that fixes it and the shape that gives.
 */
export function checkImageInput(model: string, x: tf.Tensor, spec: ImageInputSpec): void {
  const s = x.shape;
  const c = spec.channels;
  if (x.rank === 4 && s[3] === c && sidesOk(spec, s[1]!, s[2]!)) return;
  const expected = describeImageInput(spec);
  let why = '';
  if (x.rank !== 4) why = ` (a ${x.rank}-D tensor; images are 4-D NHWC)`;
  else if (s[1] === c && s[3] !== c) {
    const first = spec.side !== undefined ? `[batch, ${c}, ${spec.side}, ${spec.side}]` : `[batch, ${c}, height, width]`;
    why = `; this looks like NCHW ${first}: transpose it with x.transpose([0, 2, 3, 1]), which gives [${[s[0], s[2], s[3], s[1]]}]`;
  } else if (s[3] !== c) why = ` with ${s[3]} channels where ${c} are expected`;
  else why = ` (height ${s[1]}, width ${s[2]} not accepted)`;
  throw new Error(`${model}: expected NHWC input ${expected}, got shape [${s}]${why}`);
}
