/**
 * Draws detections onto an image: box outlines in a colour per class and, above each box, a label
 * tag ("<class> <score>") in a 3×5 bitmap font. Pure JS on the pixel values (no canvas), so it
 * runs in browsers too; save the result with `writeImage` of `@neuralzoo/vision/node`.
 */
import { tf } from '@neuralzoo/core';
import type { BoxLike } from './boxes';

/** What `drawBoxes` draws: xyxy pixel boxes (x2, y2 exclusive), with optional class indices and scores. */
export interface DrawableDetections {
  boxes: ArrayLike<BoxLike>;
  labels?: ArrayLike<number>;
  scores?: ArrayLike<number>;
}

/** Options of `drawBoxes`. */
export interface DrawBoxesOptions {
  /** Class names by class index; default the index itself ("7"). */
  labels?: string[];
  /** RGB colours 0–255 by class index (cycled); default `BOX_COLORS`. */
  colors?: [number, number, number][];
  /** Outline thickness in pixels, drawn inside the box. Default 1. */
  lineWidth?: number;
  /** Draw the label tag. Default true. */
  showLabels?: boolean;
  /** Append the score with two decimals to the tag. Default true (when scores are given). */
  showScores?: boolean;
  /** Pixel size of one font dot: glyphs are 3·s wide, 5·s tall. Default 1. */
  fontScale?: number;
}

/** Ten well-separated colours (Tableau 10), one per class, cycled. */
export const BOX_COLORS: readonly [number, number, number][] = [
  [78, 121, 167], [242, 142, 43], [225, 87, 89], [118, 183, 178], [89, 161, 79],
  [237, 201, 72], [176, 122, 161], [255, 157, 167], [156, 117, 95], [186, 176, 172],
];

// 3×5 glyphs, rows top to bottom, '#' = ink.
const GLYPHS: Record<string, string> = {
  '0': '### #.# #.# #.# ###', '1': '.#. ##. .#. .#. ###', '2': '### ..# ### #.. ###', '3': '### ..# ### ..# ###',
  '4': '#.# #.# ### ..# ..#', '5': '### #.. ### ..# ###', '6': '### #.. ### #.# ###', '7': '### ..# ..# ..# ..#',
  '8': '### #.# ### #.# ###', '9': '### #.# ### ..# ###', A: '.#. #.# ### #.# #.#', B: '##. #.# ##. #.# ##.',
  C: '### #.. #.. #.. ###', D: '##. #.# #.# #.# ##.', E: '### #.. ##. #.. ###', F: '### #.. ##. #.. #..',
  G: '### #.. #.# #.# ###', H: '#.# #.# ### #.# #.#', I: '### .#. .#. .#. ###', J: '..# ..# ..# #.# ###',
  K: '#.# #.# ##. #.# #.#', L: '#.. #.. #.. #.. ###', M: '#.# ### ### #.# #.#', N: '##. #.# #.# #.# #.#',
  O: '### #.# #.# #.# ###', P: '### #.# ### #.. #..', Q: '### #.# #.# ### ..#', R: '##. #.# ##. #.# #.#',
  S: '### #.. ### ..# ###', T: '### .#. .#. .#. .#.', U: '#.# #.# #.# #.# ###', V: '#.# #.# #.# #.# .#.',
  W: '#.# #.# ### ### #.#', X: '#.# #.# .#. #.# #.#', Y: '#.# #.# .#. .#. .#.', Z: '### ..# .#. #.. ###',
  '.': '... ... ... ... .#.', '-': '... ... ### ... ...', ':': '... .#. ... .#. ...', '%': '#.. ..# .#. #.. ..#',
  '_': '... ... ... ... ###', ' ': '... ... ... ... ...', '?': '### ..# .## ... .#.',
};

/** Ink dots of a character's glyph as [row, col] pairs (unknown characters draw '?'). */
function glyph(ch: string): [number, number][] {
  const rows = (GLYPHS[ch.toUpperCase()] ?? GLYPHS['?']).split(' ');
  const dots: [number, number][] = [];
  rows.forEach((row, r) => [...row].forEach((c, k) => c === '#' && dots.push([r, k])));
  return dots;
}

/**
 * Returns a copy of `image` ([H, W, C] or [1, H, W, C], C 1 or 3; float in [0, 1] or int32 0–255)
 * as a float32 RGB image in [0, 1] of the same rank, with each detection's box outlined in its
 * class colour and a tag "<label> <score>" on a filled strip above the box (inside it when the box
 * touches the top edge). Boxes are clipped to the image.
 */
export function drawBoxes(image: tf.Tensor, detections: DrawableDetections, opts: DrawBoxesOptions = {}): tf.Tensor {
  const shape = image.shape;
  if (!(image.rank === 3 || (image.rank === 4 && shape[0] === 1))) throw new Error(`drawBoxes: expected one image [H, W, C] or [1, H, W, C], got shape [${shape}]`);
  const [H, W, C] = shape.slice(-3);
  if (C !== 1 && C !== 3) throw new Error(`drawBoxes: expected 1 or 3 channels, got ${C} (shape [${shape}])`);
  const lineWidth = opts.lineWidth ?? 1;
  const s = opts.fontScale ?? 1;
  if (!Number.isInteger(lineWidth) || lineWidth < 1) throw new Error(`drawBoxes: lineWidth must be a positive integer, got ${lineWidth}`);
  if (!Number.isInteger(s) || s < 1) throw new Error(`drawBoxes: fontScale must be a positive integer, got ${s}`);
  const colors = opts.colors ?? BOX_COLORS;
  const { boxes, labels, scores } = detections;
  if (labels && labels.length !== boxes.length) throw new Error(`drawBoxes: ${boxes.length} boxes but ${labels.length} labels`);
  if (scores && scores.length !== boxes.length) throw new Error(`drawBoxes: ${boxes.length} boxes but ${scores.length} scores`);

  const src = image.dataSync();
  const scale = image.dtype === 'int32' ? 1 / 255 : 1;
  const out = new Float32Array(H * W * 3);
  for (let i = 0; i < H * W; i++)
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.min(1, Math.max(0, src[i * C + (C === 1 ? 0 : c)] * scale));
  const fill = (y0: number, x0: number, y1: number, x1: number, rgb: readonly number[]) => {
    for (let y = Math.max(0, y0); y < Math.min(H, y1); y++)
      for (let x = Math.max(0, x0); x < Math.min(W, x1); x++) for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = rgb[c] / 255;
  };

  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    const cls = labels ? labels[i] : 0;
    const color = colors[((cls % colors.length) + colors.length) % colors.length];
    // Pixel rows/columns the box covers: [top, bottom) × [left, right).
    const left = Math.max(0, Math.floor(b[0]));
    const top = Math.max(0, Math.floor(b[1]));
    const right = Math.min(W, Math.ceil(b[2]));
    const bottom = Math.min(H, Math.ceil(b[3]));
    if (right <= left || bottom <= top) continue;
    const lw = Math.min(lineWidth, right - left, bottom - top);
    fill(top, left, top + lw, right, color);
    fill(bottom - lw, left, bottom, right, color);
    fill(top, left, bottom, left + lw, color);
    fill(top, right - lw, bottom, right, color);

    if (opts.showLabels === false) continue;
    const name = labels ? opts.labels?.[cls] ?? String(cls) : '';
    const score = scores && opts.showScores !== false ? scores[i].toFixed(2) : '';
    const text = [name, score].filter(Boolean).join(' ');
    if (!text) continue;
    const tagH = 5 * s + 2;
    const tagW = text.length * 4 * s + 1;
    const tagTop = top - tagH >= 0 ? top - tagH : top;
    fill(tagTop, left, tagTop + tagH, left + tagW, color);
    // Dark ink on light colours, white on dark ones (ITU-R 601 luma).
    const ink = 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2] > 140 ? [0, 0, 0] : [255, 255, 255];
    [...text].forEach((ch, k) => {
      for (const [r, c] of glyph(ch)) {
        const y = tagTop + 1 + r * s;
        const x = left + 1 + (4 * k + c) * s;
        fill(y, x, y + s, x + s, ink);
      }
    });
  }
  return image.rank === 4 ? tf.tensor4d(out, [1, H, W, 3]) : tf.tensor3d(out, [H, W, 3]);
}
