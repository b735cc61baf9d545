/**
 * LSTM language model trained with truncated BPTT (Zaremba, Sutskever & Vinyals, 2014), with the
 * output layer optionally tied to the embedding (Press & Wolf, 2017; Inan et al., 2017).
 * B = batch, T = time, E = embeddingDim, H = hiddenSize, L = numLayers, V = vocabSize.
 */
import { nn, Parameter, tf } from '@neuralzoo/core';
import { LstmLmConfig, resolveLstmLmConfig } from './config';

/** LSTM state [h, c], each [L, B, H]. */
export type LstmState = [tf.Tensor, tf.Tensor];

export class LstmLM extends nn.Module {
  readonly config: Readonly<LstmLmConfig>;
  readonly embedding: nn.Embedding;
  readonly lstm: nn.LSTM;
  /** Output layer [V, H] when untied; null when tied to the embedding. */
  readonly decoder: nn.Linear | null;
  /** Output bias [V] (the tied layer's bias). */
  readonly decoderBias: Parameter | null;
  private readonly drop: nn.Dropout;

  constructor(config: Partial<LstmLmConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveLstmLmConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim));
    // Small initial vectors (uniform ±0.1 scale), as in Zaremba et al.; N(0, 1) saturates the gates.
    tf.tidy(() => this.embedding.weight.data.assign(tf.mul(this.embedding.weight.data, 0.1)));
    this.lstm = this.registerModule('lstm', new nn.LSTM(cfg.embeddingDim, cfg.hiddenSize, { numLayers: cfg.numLayers }));
    this.decoder = this.registerModule('decoder', cfg.tieWeights ? null : new nn.Linear(cfg.hiddenSize, cfg.vocabSize));
    this.decoderBias = this.registerParameter('decoder_bias', cfg.tieWeights ? new Parameter(tf.zeros([cfg.vocabSize])) : null);
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
  }

  /** int32 ids [B, T] and state (null: zeros) -> [logits [B, T, V], state [h, c] each [L, B, H]]. */
  forward(ids: tf.Tensor, state: LstmState | null = null): [tf.Tensor3D, LstmState] {
    if (ids.rank !== 2) throw new Error(`LstmLM: expected int32 ids [batch, time], got [${ids.shape}]`);
    return tf.tidy(() => {
      const [B, T] = ids.shape;
      const x = this.drop.forward(this.embedding.forward(ids)); // [B, T, E]
      const [out, [h, c]] = this.lstm.forward(x, state); // [B, T, H]
      const o = this.drop.forward(out).reshape([B * T, this.config.hiddenSize]); // [B·T, H]
      const logits = this.decoder
        ? this.decoder.forward(o)
        : tf.add(tf.matMul(o, this.embedding.weight.data, false, true), this.decoderBias!.data); // [B·T, V]
      return [logits.reshape([B, T, this.config.vocabSize]) as tf.Tensor3D, [h, c]];
    });
  }
}

export function lstmLm(config: Partial<LstmLmConfig> = {}): LstmLM {
  return new LstmLM(config);
}
