/**
 * word2vec (Mikolov, Chen, Corrado & Dean, 2013; Mikolov, Sutskever et al., 2013): CBOW and
 * skip-gram, trained with negative sampling or a hierarchical softmax over a Huffman tree of the
 * word counts. `input.weight` [V, D] holds the word vectors; `output` holds the output vectors
 * [V, D] (negative sampling) or the inner-node vectors [V - 1, D] (hierarchical softmax), and
 * `output_bias` ([V] or [V - 1], only with `outputBias`) a learned offset per output unit.
 * B = batch, D = embeddingDim, C = 2 · window context words, L = longest Huffman code.
 */
import { Generator, nn, Parameter, tf } from '@neuralzoo/core';
import { resolveWord2VecConfig, Word2VecConfig } from './config';
import { buildHuffman, HuffmanTree } from './huffman';

export class Word2Vec extends nn.Module {
  readonly config: Readonly<Word2VecConfig>;
  /** Word (input) vectors, uniform in ±0.5 / D as in the original code. */
  readonly input: nn.Embedding;
  /** Output vectors [V, D] or inner-node vectors [V - 1, D], zero at init. */
  readonly output: Parameter;
  /** Bias per output word / inner node, zero at init; null unless `outputBias`. */
  readonly outputBias: Parameter | null;
  private tree: HuffmanTree | null = null;
  private noiseCdf: Float64Array | null = null;

  constructor(config: Partial<Word2VecConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveWord2VecConfig(config)));
    const { vocabSize: V, embeddingDim: D } = cfg;
    this.input = this.registerModule('input', new nn.Embedding(V, D));
    tf.tidy(() => this.input.weight.data.assign(nn.init.uniform([V, D], -0.5 / D, 0.5 / D)));
    const rows = cfg.objective === 'hierarchical' ? V - 1 : V;
    this.output = this.registerParameter('output', new Parameter(tf.zeros([rows, D])));
    this.outputBias = cfg.outputBias ? this.registerParameter('output_bias', new Parameter(tf.zeros([rows]))) : null;
  }

  /**
   * Sets the word counts (train split) that define the Huffman tree (hierarchical softmax) or the
   * noise distribution ∝ count^0.75 (negative sampling). Zero counts are raised to 1.
   */
  setCounts(counts: ArrayLike<number>): this {
    if (counts.length !== this.config.vocabSize) throw new Error(`Word2Vec.setCounts: expected ${this.config.vocabSize} counts, got ${counts.length}`);
    const c = Float64Array.from(counts, (n) => Math.max(1, n));
    if (this.config.objective === 'hierarchical') this.tree = buildHuffman(c);
    else {
      const cdf = new Float64Array(c.length);
      let acc = 0;
      c.forEach((n, i) => (cdf[i] = acc += n ** 0.75));
      this.noiseCdf = cdf.map((x) => x / acc);
    }
    return this;
  }

  /** The Huffman tree in use (hierarchical softmax), once counts are set. */
  get huffman(): HuffmanTree | null {
    return this.tree;
  }

  /** Hidden vectors: skip-gram centre ids [B] or CBOW context ids [B, C] (mean of their vectors) -> [B, D]. */
  hidden(inputs: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.input.forward(inputs); // [B, D] or [B, C, D]
      return (inputs.rank === 2 ? tf.mean(v, 1) : v) as tf.Tensor2D;
    });
  }

  /** Same as `hidden`: the representation the output layer scores, [B] or [B, C] ids -> [B, D]. */
  forward(inputs: tf.Tensor): tf.Tensor2D {
    return this.hidden(inputs);
  }

  /** Mean training loss of a batch: inputs as in `hidden`, int32 targets [B]; `gen` draws the noise words. */
  loss(inputs: tf.Tensor, targets: tf.Tensor, gen: Generator): tf.Scalar {
    const expected = this.config.architecture === 'cbow' ? 2 : 1;
    if (inputs.rank !== expected) throw new Error(`Word2Vec (${this.config.architecture}): expected ${expected === 2 ? 'context ids [batch, 2·window]' : 'centre ids [batch]'}, got [${inputs.shape}]`);
    return this.config.objective === 'hierarchical' ? this.hsLoss(inputs, targets) : this.nsLoss(inputs, targets, gen);
  }

  /** -log σ(h·o_t + b_t) - Σ_k log σ(-h·o_{n_k} - b_{n_k}), k noise words ~ unigram^0.75 (b = 0 without outputBias), averaged over the batch. */
  private nsLoss(inputs: tf.Tensor, targets: tf.Tensor, gen: Generator): tf.Scalar {
    if (!this.noiseCdf) throw new Error('Word2Vec: call setCounts(counts) before training with negative sampling');
    const B = targets.shape[0];
    const K = this.config.negatives;
    const noise = new Int32Array(B * K);
    for (let i = 0; i < noise.length; i++) noise[i] = sampleCdf(this.noiseCdf, gen.random());
    return tf.tidy(() => {
      const h = this.hidden(inputs); // [B, D]
      const noiseIds = tf.tensor2d(noise, [B, K], 'int32');
      let pos = tf.sum(tf.mul(h, tf.gather(this.output.data, targets)), -1); // [B]
      const negVecs = tf.gather(this.output.data, noiseIds); // [B, K, D]
      let neg = tf.sum(tf.mul(negVecs, h.expandDims(1)), -1); // [B, K]
      if (this.outputBias) {
        pos = tf.add(pos, tf.gather(this.outputBias.data, targets));
        neg = tf.add(neg, tf.gather(this.outputBias.data, noiseIds)); // [B, K]
      }
      const ll = tf.add(logSigmoid(pos), tf.sum(logSigmoid(tf.neg(neg)), -1)); // [B]
      return tf.neg(tf.mean(ll)) as tf.Scalar;
    });
  }

  /** -log P(t | h) = -Σ_j log σ(±h·n_j) along the target's Huffman path, averaged over the batch. */
  private hsLoss(inputs: tf.Tensor, targets: tf.Tensor): tf.Scalar {
    return tf.tidy(() => tf.neg(tf.mean(this.hsLogProb(this.hidden(inputs), targets.dataSync() as Int32Array))) as tf.Scalar);
  }

  /** log P(w_b | h_b) under the hierarchical softmax: h [B, D], words (B ids) -> [B]. */
  hsLogProb(h: tf.Tensor, words: ArrayLike<number>): tf.Tensor1D {
    const tree = this.tree;
    if (!tree) throw new Error('Word2Vec: call setCounts(counts) before using the hierarchical softmax');
    const B = words.length;
    const L = tree.maxDepth;
    const nodes = new Int32Array(B * L);
    const sign = new Float32Array(B * L);
    for (let b = 0; b < B; b++) {
      const w = words[b];
      tree.paths[w].forEach((n, j) => {
        nodes[b * L + j] = n;
        sign[b * L + j] = 1 - 2 * tree.codes[w][j]; // left (0): σ(s), right (1): σ(-s); padding: 0
      });
    }
    return tf.tidy(() => {
      const nodeIds = tf.tensor2d(nodes, [B, L], 'int32');
      const vecs = tf.gather(this.output.data, nodeIds); // [B, L, D]
      let s = tf.sum(tf.mul(vecs, h.expandDims(1)), -1); // [B, L]
      if (this.outputBias) s = tf.add(s, tf.gather(this.outputBias.data, nodeIds));
      const sg = tf.tensor2d(sign, [B, L]);
      // Padding steps have sign 0: masked out (log σ(0) would add -log 2).
      return tf.sum(tf.mul(logSigmoid(tf.mul(s, sg)), tf.abs(sg)), -1) as tf.Tensor1D; // [B]
    });
  }

  /** Word vectors [V, D] as a Float32Array (row-major). */
  vectors(): Float32Array {
    return this.input.weight.data.dataSync() as Float32Array;
  }
}

/** log σ(x) = min(x, 0) - log(1 + exp(-|x|)), stable for any x (tf.logSigmoid's custom gradient fails under variableGrads). */
function logSigmoid(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.minimum(x, 0), tf.log1p(tf.exp(tf.neg(tf.abs(x))))));
}

/** Smallest i with cdf[i] > u (binary search): a draw from the distribution whose cumulative sums are cdf. */
export function sampleCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function word2vec(config: Partial<Word2VecConfig> = {}): Word2Vec {
  return new Word2Vec(config);
}
