import { Generator, defaultGenerator } from '../autograd/random';
import { Dataset } from './dataset';
import { Collated, collectTensors, defaultCollate } from './collate';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch. Default 1. */
  batchSize?: number;
  /** Reshuffle the sample order at every epoch. Default false. */
  shuffle?: boolean;
  /**
   * Seed of this loader's shuffling. Default: one number drawn from the default generator when
   * the loader is built, so `manualSeed(n)` before building makes the order reproducible.
   */
  seed?: number;
  /** Drop the last batch when it is smaller than `batchSize`. Default false. */
  dropLast?: boolean;
  /** Turns a list of samples into a batch. Default `defaultCollate`. */
  collate?: (samples: T[]) => B;
}

/**
 * Iterates over a data set in batches (PyTorch's DataLoader), with `for…of` or `for await…of`.
 *
 * Each iteration is one epoch. With `shuffle`, epoch e uses the permutation drawn from a
 * Generator seeded by (seed, e): epochs differ from each other and the whole sequence repeats for
 * the same seed. `epoch` says which epoch the next iteration will be; set it to resume.
 *
 * Ownership: every batch is made of new tensors that belong to the consumer, who disposes them
 * (`data.disposeBatch(batch)`; `train.fit` does this for batches of a DataLoader). Tensors that
 * `dataset.get` returned are disposed once collated unless the collate function passes them through.
 */
export class DataLoader<T = unknown, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The seed of this loader's shuffling (drawn from the default generator when not given). */
  readonly seed: number;
  /** The epoch the next iteration will run (0 at first; incremented when an iteration starts). */
  epoch = 0;
  private readonly collateFn: (samples: T[]) => B;
  private readonly customCollate: boolean;

  constructor(readonly dataset: Dataset<T>, opts: DataLoaderOptions<T, B> = {}) {
    if (!dataset || typeof dataset.get !== 'function' || typeof dataset.length !== 'number')
      throw new Error('DataLoader: dataset must have a numeric length and a get(i) method');
    this.batchSize = opts.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`DataLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
    this.shuffle = opts.shuffle ?? false;
    this.dropLast = opts.dropLast ?? false;
    if (opts.seed !== undefined && !Number.isFinite(opts.seed)) throw new Error(`DataLoader: seed must be a finite number, got ${opts.seed}`);
    this.seed = opts.seed ?? (this.shuffle ? defaultGenerator.seed() : 0);
    this.customCollate = opts.collate !== undefined;
    this.collateFn = opts.collate ?? ((samples: T[]) => defaultCollate(samples) as unknown as B);
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of epoch `epoch` (identity without shuffle). */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (!this.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    // lo word = the seed (its high bits folded in), hi word = epoch: manualSeed mixes both.
    const lo = ((this.seed >>> 0) ^ Math.imul(Math.floor(this.seed / 2 ** 32) >>> 0, 0x9e3779b1)) >>> 0;
    return new Generator(lo + epoch * 2 ** 32).permutation(n);
  }

  /** The batches' sample indices for epoch `epoch`. */
  batchIndices(epoch: number): Int32Array[] {
    const order = this.order(epoch);
    const out: Int32Array[] = [];
    for (let b = 0; b < this.length; b++) out.push(order.subarray(b * this.batchSize, Math.min(order.length, (b + 1) * this.batchSize)));
    return out;
  }

  *[Symbol.iterator](): Iterator<B> {
    yield* this.iterEpoch(this.epoch++);
  }

  /**
   * The batches of epoch `epoch` from batch `startBatch` on (for resuming mid-epoch), without
   * touching `this.epoch`.
   */
  *iterEpoch(epoch: number, startBatch = 0): IterableIterator<B> {
    if (!Number.isInteger(startBatch) || startBatch < 0) throw new Error(`DataLoader: startBatch must be a non-negative integer, got ${startBatch}`);
    const batches = this.batchIndices(epoch).slice(startBatch);
    for (const idx of batches) {
      if (!this.customCollate && this.dataset.getBatch) {
        yield this.dataset.getBatch(idx) as unknown as B;
        continue;
      }
      const samples = Array.from(idx, (i) => {
        const s = this.dataset.get(i);
        if (s !== null && typeof (s as { then?: unknown })?.then === 'function')
          throw new Error(`DataLoader: dataset.get(${i}) returned a Promise; iterate with 'for await' instead`);
        return s;
      });
      yield this.collateSamples(samples);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const batches = this.batchIndices(this.epoch++);
    for (const idx of batches) {
      if (!this.customCollate && this.dataset.getBatch) {
        yield (await this.dataset.getBatch(idx)) as unknown as B;
        continue;
      }
      const samples: T[] = [];
      for (const i of idx) samples.push(await this.dataset.get(i));
      yield this.collateSamples(samples);
    }
  }

  private collateSamples(samples: T[]): B {
    let batch: B;
    try {
      batch = this.collateFn(samples);
    } catch (e) {
      for (const t of collectTensors(samples)) t.dispose();
      throw e;
    }
    const kept = collectTensors(batch);
    for (const t of collectTensors(samples)) if (!kept.has(t) && !t.isDisposed) t.dispose();
    return batch;
  }
}
