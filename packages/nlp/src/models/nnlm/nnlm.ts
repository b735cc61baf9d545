/**
 * Neural probabilistic language model (Bengio, Ducharme, Vincent & Jauvin, 2003):
 *   x = [C(w_{t-n+1}); …; C(w_{t-1})],  y = b + W x + U tanh(d + H x),  P(w_t | context) = softmax(y).
 * B = batch, n = context, m = embeddingDim, h = hiddenSize, V = vocabSize.
 */
import { nn, tf } from '@neuralzoo/core';
import { NnlmConfig, resolveNnlmConfig } from './config';

export class NNLM extends nn.Module {
  readonly config: Readonly<NnlmConfig>;
  /** C: the shared word features. */
  readonly embedding: nn.Embedding;
  /** H and d. */
  readonly hidden: nn.Linear;
  /** U and b. */
  readonly output: nn.Linear;
  /** W (no bias), when directConnections. */
  readonly direct: nn.Linear | null;

  constructor(config: Partial<NnlmConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveNnlmConfig(config)));
    const x = cfg.context * cfg.embeddingDim;
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim));
    this.hidden = this.registerModule('hidden', new nn.Linear(x, cfg.hiddenSize));
    this.output = this.registerModule('output', new nn.Linear(cfg.hiddenSize, cfg.vocabSize));
    this.direct = this.registerModule('direct', cfg.directConnections ? new nn.Linear(x, cfg.vocabSize, { bias: false }) : null);
  }

  /** int32 contexts [B, n] (oldest word first) -> next-word logits [B, V]. */
  forward(contexts: tf.Tensor): tf.Tensor2D {
    const { context: n, embeddingDim: m } = this.config;
    if (contexts.rank !== 2 || contexts.shape[1] !== n) throw new Error(`NNLM: expected int32 contexts [batch, ${n}], got [${contexts.shape}]`);
    return tf.tidy(() => {
      const x = this.embedding.forward(contexts).reshape([-1, n * m]); // [B, n·m]
      let y = this.output.forward(tf.tanh(this.hidden.forward(x))); // [B, V]
      if (this.direct) y = tf.add(y, this.direct.forward(x));
      return y as tf.Tensor2D;
    });
  }
}

export function nnlm(config: Partial<NnlmConfig> = {}): NNLM {
  return new NNLM(config);
}
