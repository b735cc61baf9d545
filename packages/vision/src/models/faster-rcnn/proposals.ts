/**
 * Class-agnostic region proposals by bottom-up grouping, in the spirit of selective search
 * (Uijlings et al., 2013), the proposal method of R-CNN: start from the connected components of
 * the foreground (pixels above a threshold, 8-connectivity) and repeatedly merge the two closest
 * regions, proposing the box of every region of the hierarchy. Suited to objects on a plain
 * background such as digit scenes; plain arrays, no tensors.
 */
import type { Box } from '../../detection/boxes';

/** Options of `groupingProposals`. */
export interface GroupingOptions {
  /** A pixel is foreground when its value (mean over channels) is > this. Default 0.2. */
  threshold?: number;
  /** Components with fewer foreground pixels are dropped as noise. Default 3. */
  minPixels?: number;
  /** Two regions merge only while the gap between their boxes (x gap + y gap, pixels) is <= this. Default 8. */
  maxGap?: number;
  /** Merged regions wider or taller than this (pixels) are neither proposed nor merged further. Default 48. */
  maxSide?: number;
}

/**
 * Proposals of one image [H, W, C] (row-major Float32Array): xyxy pixel boxes (x2, y2 exclusive),
 * components first, then merged regions in merge order; duplicates removed.
 */
export function groupingProposals(image: ArrayLike<number>, height: number, width: number, channels = 1, opts: GroupingOptions = {}): Box[] {
  const { threshold = 0.2, minPixels = 3, maxGap = 8, maxSide = 48 } = opts;
  if (image.length !== height * width * channels)
    throw new Error(`groupingProposals: image has ${image.length} values, expected ${height}·${width}·${channels} = ${height * width * channels}`);
  const fg = new Uint8Array(height * width);
  for (let p = 0; p < height * width; p++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += image[p * channels + c];
    fg[p] = s / channels > threshold ? 1 : 0;
  }
  // Connected components (8-connectivity) by flood fill.
  const seen = new Uint8Array(height * width);
  const regions: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < height * width; start++) {
    if (!fg[start] || seen[start]) continue;
    seen[start] = 1;
    stack.push(start);
    let n = 0;
    const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
    while (stack.length) {
      const p = stack.pop()!;
      const y = Math.floor(p / width);
      const x = p - y * width;
      n++;
      box[0] = Math.min(box[0], x);
      box[1] = Math.min(box[1], y);
      box[2] = Math.max(box[2], x + 1);
      box[3] = Math.max(box[3], y + 1);
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
          const q = yy * width + xx;
          if (fg[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
    }
    if (n >= minPixels) regions.push(box);
  }
  const out: Box[] = [...regions];
  // Hierarchical grouping: merge the closest pair (smallest gap, then smallest union) until none is close.
  const gap = (a: Box, b: Box) => Math.max(0, Math.max(a[0], b[0]) - Math.min(a[2], b[2])) + Math.max(0, Math.max(a[1], b[1]) - Math.min(a[3], b[3]));
  const union = (a: Box, b: Box): Box => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
  const live = [...regions];
  for (;;) {
    let best: [number, number] | null = null;
    let bestKey = [Infinity, Infinity];
    for (let i = 0; i < live.length; i++)
      for (let j = i + 1; j < live.length; j++) {
        const g = gap(live[i], live[j]);
        if (g > maxGap) continue;
        const u = union(live[i], live[j]);
        if (u[2] - u[0] > maxSide || u[3] - u[1] > maxSide) continue;
        const area = (u[2] - u[0]) * (u[3] - u[1]);
        if (g < bestKey[0] || (g === bestKey[0] && area < bestKey[1])) [best, bestKey] = [[i, j], [g, area]];
      }
    if (!best) break;
    const merged = union(live[best[0]], live[best[1]]);
    live.splice(best[1], 1);
    live.splice(best[0], 1, merged);
    out.push(merged);
  }
  const keys = new Set<string>();
  return out.filter((b) => {
    const k = b.join(',');
    if (keys.has(k)) return false;
    keys.add(k);
    return true;
  });
}
