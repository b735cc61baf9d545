import { backward, manualSeed, registry, tf } from '@neuralzoo/core';
import { expectNoLeak } from '@neuralzoo/core/testing';
import { convexHull, convexHullTask, PointerNet, sequenceAccuracy, sortingTask } from './index';

describe('pointer tasks (SYNTHETIC)', () => {
  it('sorting targets are the 1-based argsort then end', () => {
    const t = sortingTask(3, 4, 1);
    expect(t.synthetic).toBe(true);
    for (let i = 0; i < 3; i++) {
      const xs = Array.from(t.inputs.subarray(i * 4, i * 4 + 4));
      const tg = Array.from(t.targets.subarray(i * 5, i * 5 + 5));
      expect(tg[4]).toBe(0);
      const sorted = tg.slice(0, 4).map((j) => xs[j - 1]);
      expect(sorted).toEqual([...xs].sort((a, b) => a - b));
    }
  });

  it('convex hull: counter-clockwise from the lowest index, interior and collinear points left out', () => {
    // square (0,0) (1,0) (1,1) (0,1) given out of order, plus an interior point and an edge midpoint
    const pts = [0.5, 0.5, 1, 1, 0, 0, 1, 0, 0.5, 0, 0, 1];
    expect(convexHull(pts)).toEqual([1, 5, 2, 3]); // (1,1) -> (0,1) -> (0,0) -> (1,0)
    const t = convexHullTask(2, 6, 3);
    const row = Array.from(t.targets.subarray(0, 7));
    const end = row.indexOf(0);
    expect(end).toBeGreaterThanOrEqual(3);
    expect(row.slice(end + 1).every((v) => v === -1)).toBe(true);
  });
});

describe('PointerNet', () => {
  it('logits over end + inputs, masking keeps outputs permutations, finite gradients, no leak', () => {
    manualSeed(0);
    const m = new PointerNet({ inputDim: 1, hiddenSize: 8 });
    const task = sortingTask(3, 5, 2);
    const x = tf.tensor3d(task.inputs, [3, 5, 1]);
    const y = tf.tensor2d(task.targets, [3, 6], 'int32');
    const logits = m.forward(x, y);
    expect(logits.shape).toEqual([3, 6, 6]);
    const L = logits.arraySync() as number[][][];
    expect(L[0][0][0]).toBe(-1e9); // end is masked at the first step
    const first = task.targets[0]; // pointed at step 0 -> masked from step 1 on
    expect(L[0][1][first]).toBe(-1e9);
    const loss = backward(() => m.loss(x, y), m);
    expect(loss).toBeGreaterThan(0.5);
    for (const [name, p] of m.namedParameters()) {
      const g = Array.from(p.grad!.dataSync());
      expect([name, g.every(Number.isFinite) && g.some((v) => v !== 0)]).toEqual([name, true]);
    }
    m.zeroGrad();
    const pred = expectNoLeak(() => m.decode(x));
    for (const p of pred) expect(new Set(p).size).toBe(p.length); // never points twice
    expect(pred.every((p) => p.every((j) => j >= 1 && j <= 5))).toBe(true);
    expect(sequenceAccuracy([Array.from(task.targets.subarray(0, 5))], task.targets, 6)).toBe(1);
    expect(sequenceAccuracy([[1, 2]], task.targets, 6)).toBe(0);
    expectNoLeak(() => tf.dispose(m.forward(x, y)));
    tf.dispose([x, y, logits]);
    m.dispose();
  });

  it('validates inputs and is registered as pointer_net', () => {
    const m = registry.create<PointerNet>('pointer_net', { inputDim: 2, hiddenSize: 4 });
    const bad = tf.zeros([1, 3, 1]);
    expect(() => m.decode(bad)).toThrow('PointerNet: inputs must be [batch, n, 2], got [1,3,1]');
    expect(registry.get('pointer_net').recipe!.target).toBe(0.9);
    bad.dispose();
    m.dispose();
  });
});
