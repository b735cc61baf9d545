/**
 * Multi-layer bidirectional LSTM (Graves & Schmidhuber, 2005; Huang et al., 2015) over word
 * embeddings, with a sentence-level head (classifier on the last states of both directions) and a
 * token-level head (tagger: one label per token). Inputs are right-padded ids [B, T]; the real
 * length of each row goes to the LSTM, so padding never changes the outputs of real tokens.
 */
import { nn, tf } from '@neuralzoo/core';
import { BiLstmConfig, resolveBiLstmConfig } from './config';

/** Real (non-padding) length of every row of right-padded ids [B, T]. */
function rowLengths(ids: tf.Tensor, padId: number): number[] {
  const [B, T] = ids.shape;
  const v = ids.dataSync();
  return Array.from({ length: B }, (_, b) => {
    let n = 0;
    for (let t = 0; t < T; t++) if (v[b * T + t] !== padId) n = t + 1;
    return n;
  });
}

/** Embedding + stacked BiLSTM: ids [B, T] -> outputs [B, T, 2H] (zero at padding) and last states. */
export class BiLstmEncoder extends nn.Module {
  readonly embedding: nn.Embedding;
  readonly lstm: nn.LSTM;
  readonly dropout: nn.Dropout;

  constructor(readonly config: Readonly<BiLstmConfig>) {
    super();
    const c = config;
    this.embedding = this.registerModule('embedding', new nn.Embedding(c.vocabSize, c.embeddingDim, { paddingIdx: c.padId }));
    this.lstm = this.registerModule('lstm', new nn.LSTM(c.embeddingDim, c.hiddenSize, { numLayers: c.numLayers, bidirectional: true, dropout: c.numLayers > 1 ? c.dropout : 0 }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(c.dropout));
  }

  /** Returns [outputs [B, T, 2H], last [B, 2H] = (forward h at its last real token, backward h at token 0)]. */
  forward(ids: tf.Tensor): [tf.Tensor3D, tf.Tensor2D] {
    const { maxLength, padId, numLayers } = this.config;
    if (ids.rank !== 2) throw new Error(`${this.typeName}: expected token ids [batch, time], got shape [${ids.shape}]`);
    if ((ids.shape[1] as number) > maxLength) throw new Error(`${this.typeName}: input has ${ids.shape[1]} tokens, over maxLength ${maxLength}; truncate it (padSequences truncation 'right')`);
    const lengths = rowLengths(ids, padId);
    return tf.tidy(() => {
      const x = this.dropout.forward(this.embedding.forward(ids)); // [B, T, E]
      const [out, [h]] = this.lstm.forward(x, null, { lengths }); // out [B, T, 2H], h [2L, B, H]
      const last = tf.concat([h.gather(2 * (numLayers - 1)), h.gather(2 * numLayers - 1)], 1); // [B, 2H]
      return [out as tf.Tensor3D, last as tf.Tensor2D];
    });
  }
}

/** Sentence classifier: BiLSTM encoder, last states of both directions -> dropout -> linear. */
export class BiLstmClassifier extends nn.Module {
  readonly config: Readonly<BiLstmConfig>;
  readonly encoder: BiLstmEncoder;
  readonly fc: nn.Linear;

  constructor(config: Partial<BiLstmConfig> & { vocabSize: number }) {
    super();
    const cfg = (this.config = Object.freeze(resolveBiLstmConfig(config, 'BiLstmClassifier')));
    this.encoder = this.registerModule('encoder', new BiLstmEncoder(cfg));
    this.fc = this.registerModule('fc', new nn.Linear(2 * cfg.hiddenSize, cfg.numClasses));
  }

  /** [B, T] int32 ids -> [B, numClasses] logits. */
  forward(ids: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const [, last] = this.encoder.forward(ids); // [B, 2H]
      return this.fc.forward(this.encoder.dropout.forward(last)) as tf.Tensor2D;
    });
  }
}

/** Token tagger: BiLSTM encoder outputs -> dropout -> linear per token. Train with crossEntropy and ignoreIndex at padding. */
export class BiLstmTagger extends nn.Module {
  readonly config: Readonly<BiLstmConfig>;
  readonly encoder: BiLstmEncoder;
  readonly fc: nn.Linear;

  constructor(config: Partial<BiLstmConfig> & { vocabSize: number }) {
    super();
    const cfg = (this.config = Object.freeze(resolveBiLstmConfig(config, 'BiLstmTagger')));
    this.encoder = this.registerModule('encoder', new BiLstmEncoder(cfg));
    this.fc = this.registerModule('fc', new nn.Linear(2 * cfg.hiddenSize, cfg.numClasses));
  }

  /** [B, T] int32 ids -> [B, T, numClasses] tag logits (rows past a sequence's length are the bias only). */
  forward(ids: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const [out] = this.encoder.forward(ids); // [B, T, 2H]
      return this.fc.forward(this.encoder.dropout.forward(out)) as tf.Tensor3D; // [B, T, numClasses]
    });
  }
}

/** BiLSTM sentence classifier; `config.vocabSize` is required, the rest overrides `BILSTM_DEFAULTS`. */
export function bilstmClassifier(config: Partial<BiLstmConfig> & { vocabSize: number }): BiLstmClassifier {
  return new BiLstmClassifier(config);
}

/** BiLSTM token tagger; `config.vocabSize` is required, `numClasses` is the number of tags. */
export function bilstmTagger(config: Partial<BiLstmConfig> & { vocabSize: number }): BiLstmTagger {
  return new BiLstmTagger(config);
}
