/**
 * Recurrent encoder–decoder with optional attention. Encoder: embedding + (bi)GRU/LSTM/RNN over
 * the padded source (lengths respected). Decoder (Luong et al., 2015, with input feeding): at step
 * t, h_t = cell([emb(y_{t-1}); h̃_{t-1}], h_{t-1}); c_t = attention(h_t, encoder outputs);
 * h̃_t = tanh(W_c [c_t; h_t]); logits = W_o h̃_t. Without attention the decoder reads only its
 * own state, initialised from the encoder's final state (Sutskever et al., 2014; Cho et al., 2014).
 * B=batch, S=source length, T=target length, E=embedDim, H=hiddenSize, D=directions, V=target vocab.
 */
import { defaultGenerator, F, nn, tf } from '@neuralzoo/core';
import { AdditiveAttention, GeneralAttention } from '../../attention/index';
import type { DecoderState, StepDecoder } from '../../decode/index';
import { resolveSeq2SeqConfig, Seq2SeqConfig } from './config';

type Cell = nn.GRUCell | nn.LSTMCell | nn.RNNCell;

export class Seq2Seq extends nn.Module implements StepDecoder {
  readonly config: Readonly<Seq2SeqConfig>;
  readonly src_embed: nn.Embedding;
  readonly tgt_embed: nn.Embedding;
  readonly encoder: nn.GRU | nn.LSTM | nn.RNN;
  readonly bridge: nn.Linear;
  readonly decoder: Cell;
  readonly attention: AdditiveAttention | GeneralAttention | null;
  readonly combine: nn.Linear | null;
  readonly out: nn.Linear;
  private readonly drop: nn.Dropout;

  constructor(config: Partial<Seq2SeqConfig> & Pick<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>) {
    super();
    const cfg = (this.config = Object.freeze(resolveSeq2SeqConfig(config)));
    const { embedDim: E, hiddenSize: H, padId } = cfg;
    const D = cfg.bidirectional ? 2 : 1;
    const att = cfg.attention !== 'none';
    this.src_embed = this.registerModule('src_embed', new nn.Embedding(cfg.srcVocabSize, E, { paddingIdx: padId }));
    this.tgt_embed = this.registerModule('tgt_embed', new nn.Embedding(cfg.tgtVocabSize, E, { paddingIdx: padId }));
    const rnnOpts = { numLayers: cfg.numLayers, bidirectional: cfg.bidirectional, dropout: cfg.numLayers > 1 ? cfg.dropout : 0 };
    this.encoder = this.registerModule('encoder', cfg.cell === 'gru' ? new nn.GRU(E, H, rnnOpts) : cfg.cell === 'lstm' ? new nn.LSTM(E, H, rnnOpts) : new nn.RNN(E, H, rnnOpts));
    this.bridge = this.registerModule('bridge', new nn.Linear(D * H, H));
    const inDim = att ? E + H : E; // input feeding: the previous attentional state joins the embedding
    this.decoder = this.registerModule('decoder', cfg.cell === 'gru' ? new nn.GRUCell(inDim, H) : cfg.cell === 'lstm' ? new nn.LSTMCell(inDim, H) : new nn.RNNCell(inDim, H));
    this.attention = this.registerModule('attention', cfg.attention === 'bahdanau' ? new AdditiveAttention(H, D * H, H) : cfg.attention === 'luong' ? new GeneralAttention(H, D * H) : null);
    this.combine = this.registerModule('combine', att ? new nn.Linear(D * H + H, H, { bias: false }) : null);
    this.out = this.registerModule('out', new nn.Linear(H, cfg.tgtVocabSize));
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
  }

  /**
   * Encoder + initial decoder state: src [B, S] int32 -> [encoder outputs [B, S, D·H],
   * h0 [B, H], c0 [B, H] (zeros unless LSTM), h̃0 [B, H] (zeros), key padding [B, S] float (1 = pad)].
   */
  encode(src: tf.Tensor2D): DecoderState {
    if (src.rank !== 2) throw new Error(`Seq2Seq: src must be [batch, source length] token ids, got [${src.shape}]`);
    const lengths = lengthsOf(src, this.config.padId);
    if (lengths.some((l) => l === 0)) throw new Error('Seq2Seq: every source needs at least one token (got an empty, all-padding row)');
    return tf.tidy(() => {
      const B = src.shape[0];
      const H = this.config.hiddenSize;
      const x = this.drop.forward(this.src_embed.forward(src)); // [B, S, E]
      const [outputs, state] = this.encoder.forward(x, null as never, { lengths }) as [tf.Tensor, tf.Tensor | [tf.Tensor, tf.Tensor]];
      const hN = Array.isArray(state) ? state[0] : state; // [L·D, B, H]
      const L = this.config.numLayers, D = this.config.bidirectional ? 2 : 1;
      const last = hN.slice([(L - 1) * D, 0, 0], [D, B, H]).transpose([1, 0, 2]).reshape([B, D * H]); // [B, D·H]
      const h0 = tf.tanh(this.bridge.forward(last)); // [B, H]
      const pad = tf.equal(src, this.config.padId).toFloat(); // [B, S]
      return [outputs, h0, tf.zeros([B, H]), tf.zeros([B, H]), pad];
    });
  }

  /** prev [B] int32, state from `encode` / the last step -> [log-probabilities [B, V], new state]. */
  decodeStep(prev: tf.Tensor1D, state: DecoderState, _t = 0): [tf.Tensor2D, DecoderState] {
    const [enc, h, c, feed, pad] = state;
    const out = tf.tidy(() => {
      const [logits, h1, c1, feed1] = this.step(prev, enc, h, c, feed, pad);
      return [tf.logSoftmax(logits, -1), h1, c1, feed1];
    });
    return [out[0] as tf.Tensor2D, [enc, out[1], out[2], out[3], pad]];
  }

  /** One decoder step: -> [logits [B, V], h [B, H], c [B, H], h̃ [B, H]]. */
  private step(prev: tf.Tensor, enc: tf.Tensor, h: tf.Tensor, c: tf.Tensor, feed: tf.Tensor, pad: tf.Tensor): tf.Tensor[] {
    const e = this.drop.forward(this.tgt_embed.forward(prev)); // [B, E]
    const input = this.attention ? tf.concat([e, feed], -1) : e; // [B, E (+H)]
    let h1: tf.Tensor, c1: tf.Tensor;
    if (this.decoder instanceof nn.LSTMCell) [h1, c1] = this.decoder.forward(input, [h, c]);
    else [h1, c1] = [this.decoder.forward(input, h), c];
    if (!this.attention) return [this.out.forward(this.drop.forward(h1)), h1, c1, feed];
    const [ctx] = this.attention.forward(h1, enc, enc, { keyPaddingMask: tf.greater(pad, 0.5) }); // [B, D·H]
    const ht = tf.tanh(this.combine!.forward(tf.concat([ctx, h1], -1))); // [B, H]
    return [this.out.forward(this.drop.forward(ht)), h1, c1, ht];
  }

  /**
   * Teacher forcing: src [B, S], tgtIn [B, T] (bos + target, right-padded) -> logits [B, T, V].
   * With `teacherForcing` < 1, each step feeds the model's own previous arg-max instead of the
   * reference with probability 1 - teacherForcing (scheduled sampling, Bengio et al., 2015).
   */
  forward(src: tf.Tensor, tgtIn: tf.Tensor, teacherForcing = 1): tf.Tensor3D {
    if (tgtIn.rank !== 2 || tgtIn.shape[0] !== src.shape[0]) throw new Error(`Seq2Seq: tgtIn must be [batch, target length] with src's batch ${src.shape[0]}, got [${tgtIn.shape}]`);
    const lengths = lengthsOf(src as tf.Tensor2D, this.config.padId);
    if (lengths.some((l) => l === 0)) throw new Error('Seq2Seq: every source needs at least one token (got an empty, all-padding row)');
    return tf.tidy(() => {
      const [enc, h0, c0, feed0, pad] = this.encode(src as tf.Tensor2D);
      let [h, c, feed] = [h0, c0, feed0];
      const T = tgtIn.shape[1] as number;
      const cols = tf.unstack(tgtIn, 1); // T × [B]
      const logits: tf.Tensor[] = [];
      let prev = cols[0];
      for (let t = 0; t < T; t++) {
        const [l, h1, c1, f1] = this.step(prev, enc, h, c, feed, pad);
        logits.push(l);
        [h, c, feed] = [h1, c1, f1];
        if (t + 1 < T) prev = teacherForcing >= 1 || defaultGenerator.random() < teacherForcing ? cols[t + 1] : l.argMax(-1).toInt();
      }
      return tf.stack(logits, 1) as tf.Tensor3D; // [B, T, V]
    });
  }

  /** Mean cross entropy of the next tokens, padding ignored: src [B, S], tgt [B, T+1] (bos … eos, padded). */
  loss(src: tf.Tensor, tgt: tf.Tensor, teacherForcing = 1): tf.Scalar {
    return tf.tidy(() => {
      const [B, T1] = tgt.shape;
      const tgtIn = tgt.slice([0, 0], [B, T1 - 1]);
      const tgtOut = tgt.slice([0, 1], [B, T1 - 1]);
      const logits = this.forward(src, tgtIn, teacherForcing); // [B, T, V]
      return F.crossEntropy(logits.reshape([B * (T1 - 1), -1]), tgtOut.reshape([-1]).toInt(), { ignoreIndex: this.config.padId }) as tf.Scalar;
    });
  }
}

/** Number of non-padding tokens per row of right-padded ids [B, S]. */
export function lengthsOf(ids: tf.Tensor2D, padId: number): number[] {
  const [B, S] = ids.shape;
  const v = ids.dataSync();
  return Array.from({ length: B }, (_, b) => {
    let n = S;
    while (n > 0 && v[b * S + n - 1] === padId) n--;
    return n;
  });
}

/** Builders registered in the model registry. */
export const seq2seqGruAttention = (config: Partial<Seq2SeqConfig> & Pick<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>) => new Seq2Seq({ cell: 'gru', attention: 'bahdanau', ...config });
export const seq2seqLstmAttention = (config: Partial<Seq2SeqConfig> & Pick<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>) => new Seq2Seq({ cell: 'lstm', attention: 'luong', ...config });
export const seq2seqGru = (config: Partial<Seq2SeqConfig> & Pick<Seq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>) => new Seq2Seq({ cell: 'gru', attention: 'none', ...config });
