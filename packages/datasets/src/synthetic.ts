/**
 * SYNTHETIC sequence tasks for testing sequence models where no real data set fits: copy,
 * reverse and sort sequences of random tokens (the algorithmic tasks of Graves et al., 2014, and
 * Vinyals et al., 2015). Every result carries `synthetic: true`; report metrics on them as
 * synthetic.
 *
 * Tokens are integers in [1, vocabSize); 0 is padding. A sample has a random length in
 * [minLength, maxLength] and is right-padded with 0 to maxLength, in both input and target.
 * Samples are drawn by core's seeded Generator, so a seed fixes the set.
 */
import { data, Generator, tf } from '@neuralzoo/core';

export interface SequenceTaskOptions {
  /** Number of sequences. */
  count: number;
  /** Vocabulary size including the padding id 0 (tokens are 1..vocabSize-1). Default 10. */
  vocabSize?: number;
  /** Shortest sequence (default maxLength). */
  minLength?: number;
  /** Longest sequence = padded length T. */
  maxLength: number;
  /** Seed of the generator (default 0). */
  seed?: number;
}

/** Input/target token sequences, both [N, T] row-major int32, padded with 0. */
export interface SequenceTask {
  inputs: Int32Array;
  targets: Int32Array;
  /** [N, T]. */
  shape: [number, number];
  /** Real (unpadded) length of each sequence. */
  lengths: Int32Array;
  vocabSize: number;
  /** Which task made it: 'copy', 'reverse' or 'sort'. */
  task: string;
  /** Always true: the data are generated, not collected. */
  synthetic: true;
}

function generate(task: 'copy' | 'reverse' | 'sort', opts: SequenceTaskOptions): SequenceTask {
  const { count, maxLength, vocabSize = 10, seed = 0 } = opts;
  const minLength = opts.minLength ?? maxLength;
  const where = `${task}Task`;
  if (!Number.isInteger(count) || count < 1) throw new Error(`${where}: count must be a positive integer, got ${count}`);
  if (!Number.isInteger(vocabSize) || vocabSize < 2) throw new Error(`${where}: vocabSize must be an integer >= 2 (0 is padding), got ${vocabSize}`);
  if (!Number.isInteger(minLength) || !Number.isInteger(maxLength) || minLength < 1 || minLength > maxLength)
    throw new Error(`${where}: need integers 1 <= minLength (${minLength}) <= maxLength (${maxLength})`);
  const gen = new Generator(seed);
  const inputs = new Int32Array(count * maxLength);
  const targets = new Int32Array(count * maxLength);
  const lengths = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const len = minLength + gen.randint(maxLength - minLength + 1);
    lengths[i] = len;
    const seq = Array.from({ length: len }, () => 1 + gen.randint(vocabSize - 1));
    const out = task === 'copy' ? seq : task === 'reverse' ? [...seq].reverse() : [...seq].sort((a, b) => a - b);
    inputs.set(seq, i * maxLength);
    targets.set(out, i * maxLength);
  }
  return { inputs, targets, shape: [count, maxLength], lengths, vocabSize, task, synthetic: true };
}

/** SYNTHETIC: the target repeats the input. */
export function copyTask(opts: SequenceTaskOptions): SequenceTask {
  return generate('copy', opts);
}

/** SYNTHETIC: the target is the input reversed (padding stays at the end). */
export function reverseTask(opts: SequenceTaskOptions): SequenceTask {
  return generate('reverse', opts);
}

/** SYNTHETIC: the target is the input sorted ascending (padding stays at the end). */
export function sortTask(opts: SequenceTaskOptions): SequenceTask {
  return generate('sort', opts);
}

/**
 * A `SequenceTask` as core's `data.Dataset`: sample i is `[input [T] int32, target [T] int32]`,
 * `getBatch` gives `[inputs [B, T], targets [B, T]]`. Holds no tensor.
 */
export class SequenceTaskDataset extends data.Dataset<tf.Tensor[]> {
  constructor(readonly set: SequenceTask) {
    super();
  }

  get length(): number {
    return this.set.shape[0];
  }

  get(index: number): tf.Tensor[] {
    const [x, y] = this.rows([index]);
    const T = this.set.shape[1];
    return [tf.tensor1d(x.subarray(0, T), 'int32'), tf.tensor1d(y.subarray(0, T), 'int32')];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const [x, y] = this.rows(indices);
    const shape: [number, number] = [indices.length, this.set.shape[1]];
    return [tf.tensor2d(x, shape, 'int32'), tf.tensor2d(y, shape, 'int32')];
  }

  private rows(indices: ArrayLike<number>): [Int32Array, Int32Array] {
    const T = this.set.shape[1];
    const x = new Int32Array(indices.length * T);
    const y = new Int32Array(indices.length * T);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`SequenceTaskDataset: index ${i} is out of range for length ${this.length}`);
      x.set(this.set.inputs.subarray(i * T, (i + 1) * T), k * T);
      y.set(this.set.targets.subarray(i * T, (i + 1) * T), k * T);
    }
    return [x, y];
  }
}

/** Wraps a synthetic sequence task for `data.DataLoader` / `train.fit`. */
export function toSequenceDataset(set: SequenceTask): SequenceTaskDataset {
  return new SequenceTaskDataset(set);
}
