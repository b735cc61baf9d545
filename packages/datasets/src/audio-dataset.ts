import { data, tf } from '@neuralzoo/core';

/** Labelled variable-length recordings (e.g. `spokenDigits()`, `loadTtsDigits()`). */
export interface LabelledAudio {
  waveforms: Float32Array[];
  labels: Int32Array;
}

export interface AudioDatasetOptions {
  /** Samples per example: longer clips are centre-cropped, shorter ones zero-padded at both ends. */
  length: number;
}

/** A clip cropped or padded, centred, to `length` samples. */
export function fitLength(w: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  if (w.length >= length) out.set(w.subarray((w.length - length) >> 1, ((w.length - length) >> 1) + length));
  else out.set(w, (length - w.length) >> 1);
  return out;
}

/**
 * Labelled audio as core's `data.Dataset`: every clip is centred in `length` samples; sample i
 * is `[waveform [length, 1] float32, label int32 scalar]` (a [time, channels] sequence), and
 * `getBatch` gives `[waveforms [B, length, 1], labels [B]]`.
 */
export class AudioDataset extends data.Dataset<tf.Tensor[]> {
  private readonly clips: Float32Array;
  private readonly L: number;

  constructor(readonly set: LabelledAudio, opts: AudioDatasetOptions) {
    super();
    if (!Number.isInteger(opts.length) || opts.length < 1) throw new Error(`toAudioDataset: length must be a positive integer, got ${opts.length}`);
    if (set.waveforms.length !== set.labels.length) throw new Error(`toAudioDataset: ${set.waveforms.length} waveforms but ${set.labels.length} labels`);
    this.L = opts.length;
    this.clips = new Float32Array(set.waveforms.length * this.L);
    set.waveforms.forEach((w, i) => this.clips.set(fitLength(w, this.L), i * this.L));
  }

  get length(): number {
    return this.set.labels.length;
  }

  get(index: number): tf.Tensor[] {
    this.check(index);
    return [tf.tensor2d(this.clips.slice(index * this.L, (index + 1) * this.L), [this.L, 1]), tf.scalar(this.set.labels[index], 'int32')];
  }

  override getBatch(indices: ArrayLike<number>): tf.Tensor[] {
    const b = indices.length;
    const x = new Float32Array(b * this.L);
    const y = new Int32Array(b);
    for (let k = 0; k < b; k++) {
      const i = indices[k];
      this.check(i);
      x.set(this.clips.subarray(i * this.L, (i + 1) * this.L), k * this.L);
      y[k] = this.set.labels[i];
    }
    return [tf.tensor3d(x, [b, this.L, 1]), tf.tensor1d(y, 'int32')];
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`AudioDataset: index ${i} is out of range for length ${this.length}`);
  }
}

/** Wraps labelled audio for `data.DataLoader` / `train.fit`, clips centred in `length` samples. */
export function toAudioDataset(set: LabelledAudio, opts: AudioDatasetOptions): AudioDataset {
  return new AudioDataset(set, opts);
}
