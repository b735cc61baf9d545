/**
 * Recurrent neural network LM (Mikolov, Karafiát, Burget, Černocký & Khudanpur, 2010): an Elman
 * network, s(t) = tanh(U w(t) + W s(t-1)), y(t) = softmax(V s(t)), with U as a word embedding.
 * B = batch, T = time, E = embeddingDim, H = hiddenSize, V = vocabSize.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveRnnlmConfig, RnnlmConfig } from './config';

export class RNNLM extends nn.Module {
  readonly config: Readonly<RnnlmConfig>;
  readonly embedding: nn.Embedding;
  readonly rnn: nn.RNN;
  readonly decoder: nn.Linear;

  constructor(config: Partial<RnnlmConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveRnnlmConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim));
    tf.tidy(() => this.embedding.weight.data.assign(tf.mul(this.embedding.weight.data, 0.1)));
    this.rnn = this.registerModule('rnn', new nn.RNN(cfg.embeddingDim, cfg.hiddenSize, { nonlinearity: 'tanh' }));
    this.decoder = this.registerModule('decoder', new nn.Linear(cfg.hiddenSize, cfg.vocabSize));
  }

  /** int32 ids [B, T] and state h [1, B, H] (null: zeros) -> [logits [B, T, V], h [1, B, H]]. */
  forward(ids: tf.Tensor, h: tf.Tensor | null = null): [tf.Tensor3D, tf.Tensor] {
    if (ids.rank !== 2) throw new Error(`RNNLM: expected int32 ids [batch, time], got [${ids.shape}]`);
    return tf.tidy(() => {
      const [out, hN] = this.rnn.forward(this.embedding.forward(ids), h); // [B, T, H], [1, B, H]
      return [this.decoder.forward(out) as tf.Tensor3D, hN];
    });
  }
}

export function rnnlm(config: Partial<RnnlmConfig> = {}): RNNLM {
  return new RNNLM(config);
}
