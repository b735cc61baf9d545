/**
 * Positional encodings added to token embeddings: fixed sinusoids (Vaswani et al., 2017),
 * PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(…), kept as a buffer; or learned, one
 * embedding per position (Gehring et al., 2017; GPT/BERT). x [B, T, E] -> x + PE[:T].
 */
import { nn, tf } from '@neuralzoo/core';

/** The [maxLength, E] sinusoid table. */
export function sinusoidTable(maxLength: number, E: number): tf.Tensor2D {
  const pe = new Float32Array(maxLength * E);
  for (let p = 0; p < maxLength; p++)
    for (let i = 0; i < E; i += 2) {
      const angle = p / Math.pow(10000, i / E);
      pe[p * E + i] = Math.sin(angle);
      if (i + 1 < E) pe[p * E + i + 1] = Math.cos(angle);
    }
  return tf.tensor2d(pe, [maxLength, E]);
}

function checkLength(who: string, x: tf.Tensor, maxLength: number, E: number): void {
  if (x.rank !== 3 || x.shape[2] !== E) throw new Error(`${who}: expected [batch, time, ${E}], got [${x.shape}]`);
  if ((x.shape[1] as number) > maxLength) throw new Error(`${who}: sequence length ${x.shape[1]} exceeds maxLength ${maxLength}`);
}

/** Fixed sinusoidal encoding; buffer `pe` [maxLength, E] (not trained, in the state dict). */
export class SinusoidalPositionalEncoding extends nn.Module {
  readonly pe: tf.Variable;

  constructor(
    readonly embedDim: number,
    readonly maxLength: number,
  ) {
    super();
    const t = sinusoidTable(maxLength, embedDim);
    this.pe = this.registerBuffer('pe', tf.variable(t, false));
    t.dispose();
  }

  /** x [B, T, E], offset (first position, for step-wise decoding) -> x + PE[offset : offset + T]. */
  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    checkLength(this.typeName, x, this.maxLength - offset, this.embedDim);
    return tf.tidy(() => tf.add(x, this.pe.slice([offset, 0], [x.shape[1]!, this.embedDim])));
  }
}

/** Learned encoding: child `embedding` (nn.Embedding(maxLength, E)). */
export class LearnedPositionalEncoding extends nn.Module {
  readonly embedding: nn.Embedding;

  constructor(
    readonly embedDim: number,
    readonly maxLength: number,
  ) {
    super();
    this.embedding = this.registerModule('embedding', new nn.Embedding(maxLength, embedDim));
  }

  forward(x: tf.Tensor, offset = 0): tf.Tensor {
    checkLength(this.typeName, x, this.maxLength - offset, this.embedDim);
    return tf.tidy(() => {
      const pos = tf.range(offset, offset + x.shape[1]!, 1, 'int32'); // [T]
      return tf.add(x, this.embedding.forward(pos)); // [B, T, E] + [T, E]
    });
  }
}
