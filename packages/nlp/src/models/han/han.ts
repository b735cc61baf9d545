/**
 * Hierarchical attention network (Yang, Yang, Dyer, He, Smola & Hovy, 2016): a BiGRU over the
 * words of each sentence with word attention gives sentence vectors; a BiGRU over the sentences
 * with sentence attention gives the document vector, then a linear classifier. Input: ids
 * [B, S, W] (documents × sentences × words), right-padded at both levels. Padded words and empty
 * sentences get zero attention and never change the output; an empty document gives the bias.
 */
import { nn, Parameter, tf } from '@neuralzoo/core';
import { HanConfig, resolveHanConfig } from './config';

/** Softmax over the last axis where mask is 1; rows with no unmasked entry give all zeros. */
function maskedSoftmax(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const neg = tf.where(mask.cast('bool'), scores, tf.fill(scores.shape, -1e9)); // [N, L]
    const e = tf.exp(neg.sub(neg.max(1, true))).mul(mask); // [N, L]
    return e.div(e.sum(1, true).add(1e-9)) as tf.Tensor2D;
  });
}

/** Attention pooling with a learned context vector: u = tanh(W h + b), α = softmax(u·ctx) over unmasked steps. */
export class HanAttention extends nn.Module {
  readonly proj: nn.Linear;
  readonly context: Parameter;

  constructor(inputSize: number, attentionDim: number) {
    super();
    this.proj = this.registerModule('proj', new nn.Linear(inputSize, attentionDim));
    this.context = this.registerParameter('context', new Parameter(tf.randomUniform([attentionDim], -0.1, 0.1)));
  }

  /** h [N, L, D], mask [N, L] (1 = real) -> [pooled [N, D], weights [N, L]]. */
  forward(h: tf.Tensor3D, mask: tf.Tensor2D): [tf.Tensor2D, tf.Tensor2D] {
    return tf.tidy(() => {
      const [N, L, D] = h.shape;
      const u = tf.tanh(this.proj.forward(h)); // [N, L, A]
      const scores = u.reshape([N * L, -1]).matMul(this.context.data.reshape([-1, 1])).reshape([N, L]) as tf.Tensor2D; // [N, L]
      const alpha = maskedSoftmax(scores, mask); // [N, L]
      const pooled = alpha.reshape([N, 1, L]).matMul(h).reshape([N, D]) as tf.Tensor2D; // [N, D]
      return [pooled, alpha];
    });
  }
}

export class Han extends nn.Module {
  readonly config: Readonly<HanConfig>;
  readonly embedding: nn.Embedding;
  readonly wordGru: nn.GRU;
  readonly wordAttention: HanAttention;
  readonly sentenceGru: nn.GRU;
  readonly sentenceAttention: HanAttention;
  readonly dropout: nn.Dropout;
  readonly fc: nn.Linear;

  constructor(config: Partial<HanConfig> & { vocabSize: number }) {
    super();
    const c = (this.config = Object.freeze(resolveHanConfig(config)));
    this.embedding = this.registerModule('embedding', new nn.Embedding(c.vocabSize, c.embeddingDim, { paddingIdx: c.padId }));
    this.wordGru = this.registerModule('word_gru', new nn.GRU(c.embeddingDim, c.wordHiddenSize, { bidirectional: true }));
    this.wordAttention = this.registerModule('word_attention', new HanAttention(2 * c.wordHiddenSize, c.attentionDim));
    this.sentenceGru = this.registerModule('sentence_gru', new nn.GRU(2 * c.wordHiddenSize, c.sentenceHiddenSize, { bidirectional: true }));
    this.sentenceAttention = this.registerModule('sentence_attention', new HanAttention(2 * c.sentenceHiddenSize, c.attentionDim));
    this.dropout = this.registerModule('dropout', new nn.Dropout(c.dropout));
    this.fc = this.registerModule('fc', new nn.Linear(2 * c.sentenceHiddenSize, c.numClasses));
  }

  /** [B, S, W] int32 ids -> [B, numClasses] logits. */
  forward(ids: tf.Tensor): tf.Tensor2D {
    return this.forwardWithAttention(ids)[0];
  }

  /** Logits [B, numClasses], word attention [B, S, W] and sentence attention [B, S]. */
  forwardWithAttention(ids: tf.Tensor): [tf.Tensor2D, tf.Tensor3D, tf.Tensor2D] {
    const { padId, maxSentences, maxWords } = this.config;
    if (ids.rank !== 3) throw new Error(`Han: expected token ids [batch, sentences, words], got shape [${ids.shape}]`);
    const [B, S, W] = ids.shape;
    if (S > maxSentences) throw new Error(`Han: input has ${S} sentences, over maxSentences ${maxSentences}`);
    if (W > maxWords) throw new Error(`Han: input has ${W} words per sentence, over maxWords ${maxWords}`);
    // Real lengths: words of each sentence, sentences (with at least one word) of each document.
    const v = ids.dataSync();
    const wordLengths: number[] = [];
    const sentLengths: number[] = [];
    for (let b = 0; b < B; b++) {
      let ns = 0;
      for (let s = 0; s < S; s++) {
        let nw = 0;
        for (let w = 0; w < W; w++) if (v[(b * S + s) * W + w] !== padId) nw = w + 1;
        wordLengths.push(nw);
        if (nw > 0) ns = s + 1;
      }
      sentLengths.push(ns);
    }
    const out = tf.tidy((): [tf.Tensor2D, tf.Tensor3D, tf.Tensor2D] => {
      const words = ids.reshape([B * S, W]); // [B·S, W]
      const wordMask = tf.notEqual(words, tf.scalar(padId, ids.dtype)).toFloat() as tf.Tensor2D; // [B·S, W]
      const emb = this.dropout.forward(this.embedding.forward(words)); // [B·S, W, E]
      const [hw] = this.wordGru.forward(emb, null, { lengths: wordLengths }); // [B·S, W, 2Hw]
      const [sentVecs, wordAlpha] = this.wordAttention.forward(hw as tf.Tensor3D, wordMask); // [B·S, 2Hw], [B·S, W]
      const sents = sentVecs.reshape([B, S, -1]); // [B, S, 2Hw]
      const sentMask = tf.tensor2d(Float32Array.from(wordLengths, (n) => (n > 0 ? 1 : 0)), [B, S]); // [B, S]
      const [hs] = this.sentenceGru.forward(sents, null, { lengths: sentLengths }); // [B, S, 2Hs]
      const [doc, sentAlpha] = this.sentenceAttention.forward(hs as tf.Tensor3D, sentMask); // [B, 2Hs], [B, S]
      const logits = this.fc.forward(this.dropout.forward(doc)) as tf.Tensor2D; // [B, numClasses]
      return [logits, wordAlpha.reshape([B, S, W]) as tf.Tensor3D, sentAlpha as tf.Tensor2D]; // [B, S, W], [B, S]
    });
    return out;
  }
}

/** HAN; `config.vocabSize` is required, the rest overrides `HAN_DEFAULTS`. */
export function han(config: Partial<HanConfig> & { vocabSize: number }): Han {
  return new Han(config);
}
