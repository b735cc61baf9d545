/**
 * Hierarchical attention (Yang et al., 2016, HAN): attention pooling with a learned context vector,
 * u_i = tanh(W h_i + b), α = softmax(u_iᵀ u_ctx), pooled = Σ α_i h_i, applied first over the words
 * of each sentence and then over the sentence vectors of a document. Encoders between the levels
 * (HAN's bidirectional GRUs) belong to the model that uses these modules.
 */
import { nn, Parameter, tf } from '@neuralzoo/core';
import { maskedSoftmax } from './masking';

/** Attention pooling with a context vector: children `proj` (Linear D -> A) and parameter `context` [A]. */
export class AttentionPooling extends nn.Module {
  readonly proj: nn.Linear;
  readonly context: Parameter;

  constructor(
    readonly inputDim: number,
    readonly attentionDim: number = inputDim,
  ) {
    super();
    this.proj = this.registerModule('proj', new nn.Linear(inputDim, attentionDim));
    this.context = this.registerParameter('context', new Parameter(nn.init.uniform([attentionDim], -0.1, 0.1)));
  }

  /** h [B, N, D], paddingMask [B, N] (true = padding) -> [pooled [B, D], weights [B, N]]. */
  forward(h: tf.Tensor, paddingMask?: tf.Tensor | null): [tf.Tensor, tf.Tensor] {
    if (h.rank !== 3 || h.shape[2] !== this.inputDim) throw new Error(`${this.typeName}: expected [batch, items, ${this.inputDim}], got [${h.shape}]`);
    if (paddingMask && (paddingMask.rank !== 2 || paddingMask.shape[0] !== h.shape[0] || paddingMask.shape[1] !== h.shape[1]))
      throw new Error(`${this.typeName}: paddingMask must be [${h.shape.slice(0, 2)}], got [${paddingMask.shape}]`);
    const out = tf.tidy(() => {
      const u = tf.tanh(this.proj.forward(h)); // [B, N, A]
      const scores = tf.matMul(u, this.context.data.expandDims(1)).squeeze([2]); // [B, N, A] x [A, 1] -> [B, N]
      const w = maskedSoftmax(scores, paddingMask); // [B, N]
      return [tf.matMul(w.expandDims(1), h).squeeze([1]), w]; // [B, 1, N] x [B, N, D] -> [B, D]
    });
    return [out[0], out[1]];
  }
}

/** Word-level then sentence-level attention pooling: children `word_attention`, `sentence_attention`. */
export class HierarchicalAttention extends nn.Module {
  readonly word_attention: AttentionPooling;
  readonly sentence_attention: AttentionPooling;

  constructor(
    readonly inputDim: number,
    readonly attentionDim: number = inputDim,
  ) {
    super();
    this.word_attention = this.registerModule('word_attention', new AttentionPooling(inputDim, attentionDim));
    this.sentence_attention = this.registerModule('sentence_attention', new AttentionPooling(inputDim, attentionDim));
  }

  /**
   * words [B, N, W, D] (N sentences of W words), wordPaddingMask [B, N, W] (true = padding; a
   * sentence whose words are all padding is a padding sentence) ->
   * [document [B, D], wordWeights [B, N, W], sentenceWeights [B, N]].
   */
  forward(words: tf.Tensor, wordPaddingMask?: tf.Tensor | null): [tf.Tensor, tf.Tensor, tf.Tensor] {
    if (words.rank !== 4) throw new Error(`${this.typeName}: words must be [batch, sentences, words, features], got [${words.shape}]`);
    const [B, N, W, D] = words.shape;
    if (wordPaddingMask && !tf.util.arraysEqual(wordPaddingMask.shape, [B, N, W]))
      throw new Error(`${this.typeName}: wordPaddingMask must be [${[B, N, W]}], got [${wordPaddingMask.shape}]`);
    const out = tf.tidy(() => {
      const flatMask = wordPaddingMask ? wordPaddingMask.reshape([B * N, W]) : null;
      const [sent, ww] = this.word_attention.forward(words.reshape([B * N, W, D]), flatMask); // [B*N, D], [B*N, W]
      const sentMask = wordPaddingMask ? tf.all(wordPaddingMask, -1) : null; // [B, N]
      const [doc, sw] = this.sentence_attention.forward(sent.reshape([B, N, D]), sentMask); // [B, D], [B, N]
      return [doc, ww.reshape([B, N, W]), sw];
    });
    return [out[0], out[1], out[2]];
  }
}
