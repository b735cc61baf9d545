/**
 * A small training loop for sequence-pair models (seq2seq, Transformer, CopyNet): length-bucketed
 * mini-batches padded to their longest member, Adam, gradient-norm clipping, an optional wall-time
 * budget. Browser-safe (no data set access): callers pass token id lists.
 */
import { backward, Generator, nn, optim, tf } from '@neuralzoo/core';
import { greedyDecode, StepDecoder } from '../../decode/index';

/** A model trained on (source, target) id batches. */
export interface PairModel extends nn.Module {
  /** src [B, S] int32, tgt [B, T] int32 (bos … eos) -> mean loss. */
  loss(src: tf.Tensor2D, tgt: tf.Tensor2D): tf.Scalar;
}

/** Options of `trainPairs`. */
export interface TrainPairsOptions {
  /** Passes over the data (stops early at `maxSeconds`). */
  epochs: number;
  batchSize: number;
  /** Adam learning rate. */
  lr: number;
  /** Max global gradient norm. Default 1. */
  clip?: number;
  /** Linear learning-rate warm-up from lr / warmupSteps to lr over this many steps (post-norm Transformers need it). Default 0. */
  warmupSteps?: number;
  /** Seed of the batch order. Default 0. */
  seed?: number;
  /** Wall-time budget in seconds; training stops after the step that crosses it. Default none. */
  maxSeconds?: number;
  /** Called after every step with (step, loss). */
  onStep?: (step: number, loss: number) => void;
  /** Padding id. Default 0. */
  padId?: number;
}

/**
 * @deprecated Core's recurrent layers now differentiate through every time length (1, 21, 31, …
 * included), so no extra padding step is needed: returns `L` unchanged. Kept for callers of 0.1.0.
 */
export function trainableLength(L: number): number {
  return L;
}

/** Right-pads id lists to their longest (at least `minLength`) -> [B, L] int32. */
export function padIds(seqs: readonly (readonly number[])[], padId = 0, minLength = 1): tf.Tensor2D {
  const L = Math.max(minLength, ...seqs.map((s) => s.length));
  const out = new Int32Array(seqs.length * L).fill(padId);
  seqs.forEach((s, i) => out.set(s, i * L));
  return tf.tensor2d(out, [seqs.length, L], 'int32');
}

/** Batches of indices: shuffled, then sorted by source length within windows of 50 batches (less padding). */
export function bucketBatches(lengths: readonly number[], batchSize: number, gen: Generator): number[][] {
  const order = Array.from(gen.permutation(lengths.length));
  const batches: number[][] = [];
  const window = batchSize * 50;
  for (let w = 0; w < order.length; w += window) {
    const chunk = order.slice(w, w + window).sort((a, b) => lengths[a] - lengths[b]);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return Array.from(gen.permutation(batches.length)).map((i) => batches[i]);
}

/** Trains `model` on pairs; returns the steps run, the wall time and the mean loss of the last 50 steps. */
export function trainPairs(model: PairModel, src: readonly number[][], tgt: readonly number[][], opts: TrainPairsOptions): { steps: number; seconds: number; loss: number } {
  if (src.length !== tgt.length || src.length === 0) throw new Error(`trainPairs: need as many sources as targets (> 0), got ${src.length} and ${tgt.length}`);
  const gen = new Generator(opts.seed ?? 0);
  const pad = opts.padId ?? 0;
  const opt = new optim.Adam(model.parameters(), { lr: opts.lr });
  const t0 = Date.now();
  const recent: number[] = [];
  let steps = 0;
  model.train();
  outer: for (let epoch = 0; epoch < opts.epochs; epoch++)
    for (const batch of bucketBatches(src.map((s) => s.length), opts.batchSize, gen)) {
      const s = padIds(batch.map((i) => src[i]), pad);
      const t = padIds(batch.map((i) => tgt[i]), pad, 2);
      const loss = backward(() => model.loss(s, t), model);
      optim.clipGradNorm(model.parameters(), opts.clip ?? 1);
      if (opts.warmupSteps) for (const g of opt.paramGroups) g.lr = opts.lr * Math.min(1, (steps + 1) / opts.warmupSteps);
      opt.step();
      opt.zeroGrad();
      tf.dispose([s, t]);
      steps++;
      recent.push(loss);
      if (recent.length > 50) recent.shift();
      opts.onStep?.(steps, loss);
      if (opts.maxSeconds && (Date.now() - t0) / 1000 > opts.maxSeconds) break outer;
    }
  model.eval();
  return { steps, seconds: (Date.now() - t0) / 1000, loss: recent.reduce((a, b) => a + b, 0) / recent.length };
}

/** Greedy decoding of many sources in batches of `batchSize` (sorted by length for speed), in input order. */
export function greedyDecodeAll(model: StepDecoder, src: readonly number[][], opts: { bos: number; eos: number; maxLength: number; batchSize?: number; padId?: number }): number[][] {
  const order = src.map((_, i) => i).sort((a, b) => src[a].length - src[b].length);
  const out: number[][] = new Array(src.length);
  const bs = opts.batchSize ?? 256;
  for (let i = 0; i < order.length; i += bs) {
    const idx = order.slice(i, i + bs);
    const s = padIds(idx.map((j) => src[j]), opts.padId ?? 0);
    const res = greedyDecode(model, s, opts);
    idx.forEach((j, k) => (out[j] = res[k]));
    s.dispose();
  }
  return out;
}
