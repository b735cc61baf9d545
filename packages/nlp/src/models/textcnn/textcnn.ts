/**
 * Text CNN (Kim, 2014, "Convolutional Neural Networks for Sentence Classification"): word
 * embeddings, one 1-D convolution per filter width with ReLU, max-over-time pooling, dropout and a
 * linear classifier. Input: right-padded token ids [B, T]; padding never changes the output,
 * because pooling only sees windows that start inside the sentence.
 */
import { nn, tf } from '@neuralzoo/core';
import { resolveTextCnnConfig, TextCnnConfig } from './config';

export class TextCnn extends nn.Module {
  readonly config: Readonly<TextCnnConfig>;
  readonly embedding: nn.Embedding;
  readonly convs: nn.ModuleList;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(config: Partial<TextCnnConfig> & { vocabSize: number }) {
    super();
    const cfg = (this.config = Object.freeze(resolveTextCnnConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(cfg.vocabSize, cfg.embeddingDim, { paddingIdx: cfg.padId }));
    this.convs = this.registerModule('convs', new nn.ModuleList(cfg.filterSizes.map((k) => new nn.Conv1d(cfg.embeddingDim, cfg.numFilters, k))));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(cfg.numFilters * cfg.filterSizes.length, cfg.numClasses));
  }

  /** [B, T] int32 ids -> [B, numClasses] logits. */
  forward(ids: tf.Tensor): tf.Tensor2D {
    const { maxLength, padId, filterSizes } = this.config;
    if (ids.rank !== 2) throw new Error(`TextCnn: expected token ids [batch, time], got shape [${ids.shape}]`);
    if ((ids.shape[1] as number) > maxLength) throw new Error(`TextCnn: input has ${ids.shape[1]} tokens, over maxLength ${maxLength}; truncate it (padSequences truncation 'right')`);
    return tf.tidy(() => {
      const [B, T0] = ids.shape;
      // Sentences shorter than the widest filter are padded so every width has one window.
      const kMax = Math.max(...filterSizes);
      const x = T0 < kMax ? tf.pad(ids, [[0, 0], [0, kMax - T0]], padId) : ids; // [B, T]
      const T = x.shape[1] as number;
      const lengths = tf.notEqual(x, tf.scalar(padId, x.dtype)).toInt().sum(1); // [B]
      const emb = this.embedding.forward(x); // [B, T, E]
      const pos = tf.range(0, T, 1, 'int32').reshape([1, T]); // [1, T]
      const pooled = filterSizes.map((k, i) => {
        const h = tf.relu(this.convs.get(i).forward(emb)); // [B, T-k+1, F]
        // window t is valid when it starts in the sentence and (if it fits) ends in it: t < max(1, len-k+1)
        const valid = tf.less(pos.slice([0, 0], [1, T - k + 1]), tf.maximum(lengths.sub(k - 1), 1).reshape([B, 1])); // [B, T-k+1]
        const masked = tf.where(valid.expandDims(2).tile([1, 1, h.shape[2]]), h, tf.fill(h.shape, -1e9)); // [B, T-k+1, F]
        return masked.max(1); // [B, F]
      });
      const feats = tf.concat(pooled, 1); // [B, F·len(filterSizes)]
      return this.fc.forward(this.dropout.forward(feats)) as tf.Tensor2D; // [B, numClasses]
    });
  }
}

/** Kim's CNN-rand / CNN-static family; `config.vocabSize` is required, the rest overrides `TEXT_CNN_DEFAULTS`. */
export function textCnn(config: Partial<TextCnnConfig> & { vocabSize: number }): TextCnn {
  return new TextCnn(config);
}
