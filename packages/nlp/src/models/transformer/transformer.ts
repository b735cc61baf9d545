/**
 * Transformer encoder–decoder (Vaswani et al., 2017) on core's TransformerEncoder/DecoderLayer:
 * token embeddings scaled by √E plus positional encodings, post-norm layers, a causal mask on
 * the decoder's self-attention and padding masks on every attention over the source (and the
 * target's padding in training). B=batch, S=source, T=target length, E=dModel, V=target vocab.
 */
import { F, nn, tf } from '@neuralzoo/core';
import type { DecoderState, StepDecoder } from '../../decode/index';
import { resolveTransformerSeq2SeqConfig, TransformerSeq2SeqConfig } from './config';
import { LearnedPositionalEncoding, SinusoidalPositionalEncoding } from './positional';

type Cfg = Partial<TransformerSeq2SeqConfig> & Pick<TransformerSeq2SeqConfig, 'srcVocabSize' | 'tgtVocabSize'>;

export class TransformerSeq2Seq extends nn.Module implements StepDecoder {
  readonly config: Readonly<TransformerSeq2SeqConfig>;
  readonly src_embed: nn.Embedding;
  readonly tgt_embed: nn.Embedding;
  readonly src_pos: SinusoidalPositionalEncoding | LearnedPositionalEncoding;
  readonly tgt_pos: SinusoidalPositionalEncoding | LearnedPositionalEncoding;
  readonly encoder: nn.TransformerEncoder;
  readonly decoder: nn.TransformerDecoder;
  readonly generator: nn.Linear;
  private readonly drop: nn.Dropout;

  constructor(config: Cfg) {
    super();
    const cfg = (this.config = Object.freeze(resolveTransformerSeq2SeqConfig(config)));
    const E = cfg.dModel;
    const layer = { dimFeedforward: cfg.dimFeedforward, dropout: cfg.dropout };
    const Pos = cfg.positional === 'sinusoidal' ? SinusoidalPositionalEncoding : LearnedPositionalEncoding;
    this.src_embed = this.registerModule('src_embed', new nn.Embedding(cfg.srcVocabSize, E, { paddingIdx: cfg.padId }));
    this.tgt_embed = this.registerModule('tgt_embed', new nn.Embedding(cfg.tgtVocabSize, E, { paddingIdx: cfg.padId }));
    // N(0, 1/E) rows, so that the √E-scaled embeddings have unit scale like the positional
    // encodings (as fairseq / the paper's shared matrices); N(0, 1) × √E drowned the positions 8:1.
    for (const emb of [this.src_embed, this.tgt_embed]) tf.tidy(() => emb.weight.data.assign(tf.mul(emb.weight.data, 1 / Math.sqrt(E))));
    this.src_pos = this.registerModule('src_pos', new Pos(E, cfg.maxLength));
    this.tgt_pos = this.registerModule('tgt_pos', new Pos(E, cfg.maxLength));
    this.encoder = this.registerModule('encoder', new nn.TransformerEncoder(() => new nn.TransformerEncoderLayer(E, cfg.nhead, layer), cfg.numEncoderLayers));
    this.decoder = this.registerModule('decoder', new nn.TransformerDecoder(() => new nn.TransformerDecoderLayer(E, cfg.nhead, layer), cfg.numDecoderLayers));
    this.generator = this.registerModule('generator', new nn.Linear(E, cfg.tgtVocabSize));
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
  }

  private embed(ids: tf.Tensor, emb: nn.Embedding, pos: nn.Module): tf.Tensor {
    return this.drop.forward(pos.forward(tf.mul(emb.forward(ids), Math.sqrt(this.config.dModel)))); // [B, L, E]
  }

  private checkIds(what: string, ids: tf.Tensor): void {
    if (ids.rank !== 2) throw new Error(`TransformerSeq2Seq: ${what} must be [batch, length] token ids, got [${ids.shape}]`);
    if ((ids.shape[1] as number) > this.config.maxLength) throw new Error(`TransformerSeq2Seq: ${what} length ${ids.shape[1]} exceeds maxLength ${this.config.maxLength}`);
  }

  /** src [B, S] -> memory [B, S, E] (padding positions are never attended to). */
  encodeMemory(src: tf.Tensor, srcPad: tf.Tensor): tf.Tensor {
    return this.encoder.forward(this.embed(src, this.src_embed, this.src_pos), { srcKeyPaddingMask: srcPad });
  }

  /** Teacher forcing: src [B, S], tgtIn [B, T] -> logits [B, T, V]. */
  forward(src: tf.Tensor, tgtIn: tf.Tensor): tf.Tensor3D {
    this.checkIds('src', src);
    this.checkIds('tgtIn', tgtIn);
    return tf.tidy(() => {
      const srcPad = tf.equal(src, this.config.padId); // [B, S] bool
      const memory = this.encodeMemory(src, srcPad);
      const T = tgtIn.shape[1]!;
      const y = this.decoder.forward(this.embed(tgtIn, this.tgt_embed, this.tgt_pos), memory, {
        tgtMask: nn.causalMask(T),
        memoryKeyPaddingMask: srcPad,
      }); // [B, T, E]
      return this.generator.forward(y) as tf.Tensor3D;
    });
  }

  /** Mean next-token cross entropy, padding ignored: tgt [B, T+1] = bos … eos, right-padded. */
  loss(src: tf.Tensor2D, tgt: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const [B, T1] = tgt.shape;
      const logits = this.forward(src, tgt.slice([0, 0], [B, T1 - 1]));
      return F.crossEntropy(logits.reshape([B * (T1 - 1), -1]), tgt.slice([0, 1], [B, T1 - 1]).reshape([-1]).toInt(), { ignoreIndex: this.config.padId }) as tf.Scalar;
    });
  }

  /** -> [memory [B, S, E], source padding [B, S] float (1 = pad), generated prefix [B, 0] int32]. */
  encode(src: tf.Tensor2D): DecoderState {
    this.checkIds('src', src);
    return tf.tidy(() => {
      const pad = tf.equal(src, this.config.padId);
      return [this.encodeMemory(src, pad), pad.toFloat(), tf.zeros([src.shape[0], 0], 'int32')];
    });
  }

  /** Re-runs the decoder on the whole prefix (no cache: short outputs) and returns the last position's log-probabilities. */
  decodeStep(prev: tf.Tensor1D, state: DecoderState, _t = 0): [tf.Tensor2D, DecoderState] {
    const [memory, pad, prefix] = state;
    const out = tf.tidy(() => {
      const ids = tf.concat([prefix, prev.reshape([-1, 1]).toInt()], 1); // [B, t+1]
      const t1 = ids.shape[1]!;
      if (t1 > this.config.maxLength) throw new Error(`TransformerSeq2Seq: cannot decode past maxLength ${this.config.maxLength}`);
      const y = this.decoder.forward(this.embed(ids, this.tgt_embed, this.tgt_pos), memory, { tgtMask: nn.causalMask(t1), memoryKeyPaddingMask: tf.greater(pad, 0.5) });
      const last = y.slice([0, t1 - 1, 0], [-1, 1, -1]).squeeze([1]); // [B, E]
      return [tf.logSoftmax(this.generator.forward(last), -1), ids];
    });
    return [out[0] as tf.Tensor2D, [memory, pad, out[1]]];
  }
}

/** Registered as `seq2seq_transformer`. */
export const seq2seqTransformer = (config: Cfg) => new TransformerSeq2Seq(config);
