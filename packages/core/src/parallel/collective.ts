/**
 * The collective operations data parallelism needs, after torch.distributed (c10d): every rank
 * calls the same operations in the same order; each call returns once every rank has taken part.
 *
 * The threads transport (`@neuralzoo/core/node`) implements it over SharedArrayBuffer; a c10d
 * transport (Gloo/NCCL through @neuralzoo/backend-torch) implements the same three methods.
 * Operations are synchronous and in place, like c10d's blocking calls: replicas call them from
 * inside a forward or backward pass (SyncBatchNorm), where nothing can be awaited.
 */

/** How `allReduce` combines the ranks' values elementwise. */
export type ReduceOp = 'sum' | 'mean' | 'max' | 'min';

export interface Collective {
  /** This replica's index, 0 ≤ rank < worldSize. */
  readonly rank: number;
  /** Number of replicas. */
  readonly worldSize: number;
  /**
   * Replaces `data` on every rank with the elementwise reduction over ranks. Every rank passes an
   * array of the same length; the result is bitwise identical on every rank.
   */
  allReduce(data: Float32Array, op?: ReduceOp): void;
  /** Copies rank `root`'s `data` into every other rank's `data` (same length everywhere). */
  broadcast(data: Float32Array, root?: number): void;
  /** Returns once every rank has called it. */
  barrier(): void;
}

/** The collective of a single replica (world size 1): every operation leaves `data` as it is. */
export class SoloCollective implements Collective {
  readonly rank = 0;
  readonly worldSize = 1;
  allReduce(data: Float32Array, op: ReduceOp = 'sum'): void {
    checkOp(op);
  }
  broadcast(data: Float32Array, root = 0): void {
    if (root !== 0) throw new Error(`broadcast: root ${root} is out of range for world size 1`);
  }
  barrier(): void {}
}

const OPS = new Set<string>(['sum', 'mean', 'max', 'min']);

/** Throws on an unknown reduce op (shared by the transports). */
export function checkOp(op: string): asserts op is ReduceOp {
  if (!OPS.has(op)) throw new Error(`allReduce: unknown op '${op}'; expected one of sum, mean, max, min`);
}

/**
 * Reduces `n` values from each of `inputs` into `out` (elementwise, inputs in rank order, so every
 * rank that reduces the same inputs gets the same bits). `out` may alias no input.
 */
export function reduceInto(out: Float32Array, inputs: Float32Array[], op: ReduceOp, lo = 0, hi = out.length): void {
  const first = inputs[0];
  if (op === 'sum' || op === 'mean') {
    for (let j = lo; j < hi; j++) out[j] = first[j];
    for (let r = 1; r < inputs.length; r++) {
      const src = inputs[r];
      for (let j = lo; j < hi; j++) out[j] += src[j];
    }
    if (op === 'mean') {
      const n = inputs.length;
      for (let j = lo; j < hi; j++) out[j] /= n;
    }
    return;
  }
  const pick = op === 'max' ? Math.max : Math.min;
  for (let j = lo; j < hi; j++) {
    let v = first[j];
    for (let r = 1; r < inputs.length; r++) v = pick(v, inputs[r][j]);
    out[j] = v;
  }
}
