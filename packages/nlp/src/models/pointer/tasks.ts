/**
 * SYNTHETIC tasks of Vinyals, Fortunato & Jaitly (2015) for pointer networks, seeded: sorting
 * numbers drawn uniformly from [0, 1), and the planar convex hull of points uniform in the unit
 * square. Targets are 1-based input positions followed by 0, the end pointer; rows are padded
 * with -1 (ignored by the loss). Generated data: report results on them as synthetic.
 */
import { Generator } from '@neuralzoo/core';

/** A pointer task: inputs [count, n, dim] row-major, targets [count, L] (1-based indices, 0 = end, -1 = pad). */
export interface PointerTask {
  inputs: Float32Array;
  targets: Int32Array;
  count: number;
  n: number;
  dim: number;
  /** Target length L (longest output + end). */
  targetLength: number;
  synthetic: true;
}

/** SYNTHETIC: sort n numbers ascending; the target is the argsort (then end). */
export function sortingTask(count: number, n: number, seed = 0): PointerTask {
  const gen = new Generator(seed);
  const L = n + 1;
  const inputs = new Float32Array(count * n);
  const targets = new Int32Array(count * L);
  for (let i = 0; i < count; i++) {
    const xs = Array.from({ length: n }, () => gen.random());
    inputs.set(xs, i * n);
    const order = xs.map((_, j) => j).sort((a, b) => xs[a] - xs[b]);
    order.forEach((j, k) => (targets[i * L + k] = j + 1));
    targets[i * L + n] = 0;
  }
  return { inputs, targets, count, n, dim: 1, targetLength: L, synthetic: true };
}

/**
 * Convex hull vertices of points p (x, y pairs) counter-clockwise, starting at the vertex with the
 * smallest index (Andrew's monotone chain; collinear points on edges are left out).
 */
export function convexHull(p: ArrayLike<number>): number[] {
  const n = p.length / 2;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[2 * a] - p[2 * b] || p[2 * a + 1] - p[2 * b + 1]);
  const cross = (o: number, a: number, b: number) => (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1]) - (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o]);
  const chain = (order: number[]) => {
    const h: number[] = [];
    for (const i of order) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], i) <= 0) h.pop();
      h.push(i);
    }
    h.pop();
    return h;
  };
  const hull = [...chain(idx), ...chain([...idx].reverse())];
  if (hull.length === 0) return n ? [0] : [];
  const start = hull.indexOf(Math.min(...hull));
  return [...hull.slice(start), ...hull.slice(0, start)];
}

/** SYNTHETIC: the convex hull of n points uniform in the unit square (counter-clockwise, then end). */
export function convexHullTask(count: number, n: number, seed = 0): PointerTask {
  const gen = new Generator(seed);
  const L = n + 1;
  const inputs = new Float32Array(count * n * 2);
  const targets = new Int32Array(count * L).fill(-1);
  for (let i = 0; i < count; i++) {
    const pts = Array.from({ length: 2 * n }, () => gen.random());
    inputs.set(pts, i * n * 2);
    const hull = convexHull(pts);
    hull.forEach((j, k) => (targets[i * L + k] = j + 1));
    targets[i * L + hull.length] = 0;
  }
  return { inputs, targets, count, n, dim: 2, targetLength: L, synthetic: true };
}
