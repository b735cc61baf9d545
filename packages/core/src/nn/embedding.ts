import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { noGrad } from '../autograd/backward';
import { Module } from './module';
import { normal } from './init';

export interface EmbeddingOptions {
  /** Index whose row is zero at init and never receives a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up with a larger normType-norm are rescaled to this norm in place, like torch. */
  maxNorm?: number | null;
  /** The p of the p-norm for maxNorm. Default 2. */
  normType?: number;
}

/** A lookup table of `numEmbeddings` vectors (torch.nn.Embedding). weight [numEmbeddings, embeddingDim] ~ N(0, 1). */
export class Embedding extends Module {
  readonly weight: Parameter;
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    opts: EmbeddingOptions = {},
  ) {
    super();
    const name = this.typeName;
    if (!Number.isInteger(numEmbeddings) || numEmbeddings <= 0) throw new Error(`${name}: numEmbeddings must be a positive integer, got ${numEmbeddings}`);
    if (!Number.isInteger(embeddingDim) || embeddingDim <= 0) throw new Error(`${name}: embeddingDim must be a positive integer, got ${embeddingDim}`);
    const p = opts.paddingIdx ?? null;
    if (p !== null && (!Number.isInteger(p) || p < -numEmbeddings || p >= numEmbeddings))
      throw new Error(`${name}: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}] (numEmbeddings ${numEmbeddings}), got ${p}`);
    this.paddingIdx = p === null ? null : p < 0 ? p + numEmbeddings : p;
    this.maxNorm = opts.maxNorm ?? null;
    if (this.maxNorm !== null && !(this.maxNorm > 0)) throw new Error(`${name}: maxNorm must be > 0, got ${this.maxNorm}`);
    this.normType = opts.normType ?? 2;
    if (!(this.normType > 0)) throw new Error(`${name}: normType must be > 0, got ${this.normType}`);
    const w = normal([numEmbeddings, embeddingDim]);
    const init = this.paddingIdx === null ? w : tf.tidy(() => tf.mul(w, rowMask(numEmbeddings, this.paddingIdx!)));
    if (init !== w) w.dispose();
    this.weight = this.registerParameter('weight', new Parameter(init));
  }

  /** int32 indices [...] -> [..., embeddingDim] */
  forward(indices: tf.Tensor): tf.Tensor {
    if (indices.dtype !== 'int32')
      throw new Error(`${this.typeName}: expected int32 indices, got ${indices.dtype} tensor of shape [${indices.shape}]`);
    const idx = indices.dataSync() as Int32Array;
    for (const i of idx)
      if (i < 0 || i >= this.numEmbeddings)
        throw new Error(`${this.typeName}: index ${i} is out of range for numEmbeddings ${this.numEmbeddings} (valid: 0..${this.numEmbeddings - 1})`);
    if (this.maxNorm !== null) this.renorm(idx);
    return tf.tidy(() => {
      const flat = indices.reshape([-1]);
      let rows = tf.gather(this.weight.data, flat); // [N, dim]
      if (this.paddingIdx !== null && idx.includes(this.paddingIdx)) {
        // Same values, but the padding row's lookups carry no gradient.
        const keep = tf.tensor2d(Float32Array.from(idx, (i) => (i === this.paddingIdx ? 0 : 1)), [idx.length, 1]);
        const frozen = noGrad(() => tf.gather(this.weight.data, flat));
        rows = tf.add(tf.mul(rows, keep), tf.mul(frozen, tf.sub(1, keep)));
      }
      return rows.reshape([...indices.shape, this.embeddingDim]);
    });
  }

  /** torch's embedding_renorm_: rows used by `idx` with norm > maxNorm are scaled to maxNorm (norm + 1e-7). */
  private renorm(idx: Int32Array): void {
    noGrad(() =>
      tf.tidy(() => {
        const used = new Float32Array(this.numEmbeddings);
        for (const i of idx) used[i] = 1;
        const w = this.weight.data;
        const pth = this.normType;
        const norms = tf.pow(tf.sum(tf.pow(tf.abs(w), pth), 1, true), 1 / pth); // [num, 1]
        const over = tf.logicalAnd(tf.greater(norms, this.maxNorm!), tf.greater(tf.tensor2d(used, [this.numEmbeddings, 1]), 0));
        const scale = tf.where(over, tf.div(this.maxNorm!, tf.add(norms, 1e-7)), tf.onesLike(norms));
        w.assign(tf.mul(w, scale));
      }),
    );
  }
}

/** [n, 1] ones with a zero at `row`. */
function rowMask(n: number, row: number): tf.Tensor2D {
  const m = new Float32Array(n).fill(1);
  m[row] = 0;
  return tf.tensor2d(m, [n, 1]);
}
