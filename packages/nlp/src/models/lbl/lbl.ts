/**
 * Log-bilinear language model (Mnih & Hinton, 2007): the predicted representation is a linear
 * function of the context words' representations, r̂ = Σ_i C_i r(w_{t-n+i}), and the next word is
 * scored by its similarity to it, P(w | context) ∝ exp(r̂ · r(w) + b_w), with one table R of
 * representations for context and predicted words. B = batch, n = context, D = embeddingDim.
 */
import { nn, Parameter, tf } from '@neuralzoo/core';
import { LblConfig, resolveLblConfig } from './config';

export class LBL extends nn.Module {
  readonly config: Readonly<LblConfig>;
  /** R [V, D]: word representations. */
  readonly embedding: nn.Embedding;
  /** C_i [D, D] per context position (as Linear weights, no bias). */
  readonly context: nn.ModuleList;
  /** b [V]: word biases. */
  readonly bias: Parameter;

  constructor(config: Partial<LblConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveLblConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim));
    // Small representations (N(0, 0.1²)) keep the initial scores near uniform.
    tf.tidy(() => this.embedding.weight.data.assign(tf.mul(this.embedding.weight.data, 0.1)));
    this.context = this.registerModule('context', new nn.ModuleList(Array.from({ length: cfg.context }, () => new nn.Linear(cfg.embeddingDim, cfg.embeddingDim, { bias: false }))));
    this.bias = this.registerParameter('bias', new Parameter(tf.zeros([cfg.vocabSize])));
  }

  /** int32 contexts [B, n] (oldest word first) -> next-word logits [B, V]. */
  forward(contexts: tf.Tensor): tf.Tensor2D {
    const { context: n } = this.config;
    if (contexts.rank !== 2 || contexts.shape[1] !== n) throw new Error(`LBL: expected int32 contexts [batch, ${n}], got [${contexts.shape}]`);
    return tf.tidy(() => {
      const r = this.embedding.forward(contexts); // [B, n, D]
      const B = contexts.shape[0];
      const D = this.config.embeddingDim;
      const parts = this.context.children().map((c, i) => c.forward(r.slice([0, i, 0], [B, 1, D]).reshape([B, D]))); // n × [B, D]
      const rHat = tf.addN(parts); // [B, D]
      return tf.add(tf.matMul(rHat, this.embedding.weight.data, false, true), this.bias.data) as tf.Tensor2D; // [B, V]
    });
  }
}

export function lbl(config: Partial<LblConfig> = {}): LBL {
  return new LBL(config);
}
