/**
 * Copy network: an attention GRU encoder–decoder (as Seq2Seq, Luong general score with input
 * feeding) whose output mixes generating from the fixed vocabulary and copying a source token,
 * with a learned gate p_gen = σ(w·[h̃_t; c_t; emb(y_{t-1})] + b) (See et al., 2017's form of the
 * generate-vs-copy choice of Gu et al., 2016, "Incorporating copying mechanism"):
 * P(y) = p_gen P_vocab(y) + (1 - p_gen) Σ_{j: x_j = y} a_tj over an extended vocabulary where each
 * source's out-of-vocabulary words get ids V, V+1, … (see `extendSource`). So a word never seen in
 * training can be produced exactly when it appears in the source.
 * B=batch, S=source, E=embedDim, H=hidden, V=vocab, X=V+maxOovs.
 */
import { nn, tf } from '@neuralzoo/core';
import { GeneralAttention } from '../../attention/index';
import type { DecoderState, StepDecoder } from '../../decode/index';
import { CopyNetConfig, resolveCopyNetConfig } from './config';

export class CopyNet extends nn.Module implements StepDecoder {
  readonly config: Readonly<CopyNetConfig>;
  readonly embed: nn.Embedding;
  readonly encoder: nn.GRU;
  readonly bridge: nn.Linear;
  readonly decoder: nn.GRUCell;
  readonly attention: GeneralAttention;
  readonly combine: nn.Linear;
  readonly out: nn.Linear;
  /** Generate-vs-copy gate: [h̃_t; c_t; emb(y_{t-1})] [B, 3H + E] -> logit [B, 1]. */
  readonly gate: nn.Linear;
  private readonly drop: nn.Dropout;

  constructor(config: Partial<CopyNetConfig> & Pick<CopyNetConfig, 'vocabSize'>) {
    super();
    const cfg = (this.config = Object.freeze(resolveCopyNetConfig(config)));
    const { embedDim: E, hiddenSize: H, vocabSize: V } = cfg;
    this.embed = this.registerModule('embed', new nn.Embedding(V, E, { paddingIdx: cfg.padId }));
    this.encoder = this.registerModule('encoder', new nn.GRU(E, H, { bidirectional: true }));
    this.bridge = this.registerModule('bridge', new nn.Linear(2 * H, H));
    this.decoder = this.registerModule('decoder', new nn.GRUCell(E + H, H));
    this.attention = this.registerModule('attention', new GeneralAttention(H, 2 * H));
    this.combine = this.registerModule('combine', new nn.Linear(3 * H, H, { bias: false }));
    this.out = this.registerModule('out', new nn.Linear(H, V));
    this.gate = this.registerModule('gate', new nn.Linear(3 * H + E, 1));
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
  }

  /** Extended ids (>= V) read as unk. */
  private clip(ids: tf.Tensor): tf.Tensor {
    return tf.where(tf.greaterEqual(ids, this.config.vocabSize), tf.fill(ids.shape, this.config.unkId, 'int32'), ids.toInt());
  }

  /** src [B, S] extended ids -> [enc [B, S, 2H], h0 [B, H], h̃0 [B, H], pad [B, S] float, copy map [B, S, X]]. */
  encode(src: tf.Tensor2D): DecoderState {
    if (src.rank !== 2) throw new Error(`CopyNet: src must be [batch, source length] ids, got [${src.shape}]`);
    const { padId, hiddenSize: H, vocabSize: V, maxOovs } = this.config;
    const v = src.dataSync();
    const [B, S] = src.shape;
    const lengths = Array.from({ length: B }, (_, b) => {
      let n = S;
      while (n > 0 && v[b * S + n - 1] === padId) n--;
      return n;
    });
    if (lengths.some((l) => l === 0)) throw new Error('CopyNet: every source needs at least one token');
    const bad = Array.from(v).find((i) => i < 0 || i >= V + maxOovs);
    if (bad !== undefined) throw new Error(`CopyNet: source id ${bad} is outside [0, ${V + maxOovs}) (vocabSize + maxOovs)`);
    return tf.tidy(() => {
      const x = this.drop.forward(this.embed.forward(this.clip(src))); // [B, S, E]
      const [enc, hN] = this.encoder.forward(x, null, { lengths }); // [B, S, 2H], [2, B, H]
      const h0 = tf.tanh(this.bridge.forward(hN.transpose([1, 0, 2]).reshape([B, 2 * H]))); // [B, H]
      const pad = tf.equal(src, padId);
      const copyMap = tf.oneHot(tf.where(pad, tf.zerosLike(src), src).toInt(), V + maxOovs).toFloat().mul(tf.logicalNot(pad).toFloat().expandDims(2)); // [B, S, X]
      return [enc, h0, tf.zeros([B, H]), pad.toFloat(), copyMap];
    });
  }

  /** One step -> [P over the extended vocabulary [B, X], h, h̃]. */
  private step(prev: tf.Tensor, enc: tf.Tensor, h: tf.Tensor, feed: tf.Tensor, pad: tf.Tensor, copyMap: tf.Tensor): tf.Tensor[] {
    const e = this.drop.forward(this.embed.forward(this.clip(prev))); // [B, E]
    const h1 = this.decoder.forward(tf.concat([e, feed], -1), h); // [B, H]
    const [ctx, a] = this.attention.forward(h1, enc, enc, { keyPaddingMask: tf.greater(pad, 0.5) }); // [B, 2H], [B, S]
    const ht = tf.tanh(this.combine.forward(tf.concat([ctx, h1], -1))); // [B, H]
    const gateIn = tf.concat([ht, ctx, e], -1); // [B, 3H + E]
    const pGen = tf.sigmoid(this.gate.forward(gateIn)); // [B, 1]
    const pVocab = tf.softmax(this.out.forward(this.drop.forward(ht)), -1); // [B, V]
    const gen = tf.pad(tf.mul(pGen, pVocab), [[0, 0], [0, this.config.maxOovs]]); // [B, X]
    const copy = tf.matMul(a.expandDims(1), copyMap).squeeze([1]); // [B, 1, S] x [B, S, X] -> [B, X]
    return [tf.add(gen, tf.mul(tf.sub(1, pGen), copy)), h1, ht];
  }

  decodeStep(prev: tf.Tensor1D, state: DecoderState, _t = 0): [tf.Tensor2D, DecoderState] {
    const [enc, h, feed, pad, copyMap] = state;
    const out = tf.tidy(() => {
      const [p, h1, ht] = this.step(prev, enc, h, feed, pad, copyMap);
      return [tf.log(tf.add(p, 1e-12)), h1, ht];
    });
    return [out[0] as tf.Tensor2D, [enc, out[1], out[2], pad, copyMap]];
  }

  /** Teacher forcing: src [B, S], tgtIn [B, T] (extended ids) -> probabilities [B, T, X]. */
  forward(src: tf.Tensor, tgtIn: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => {
      const [enc, h0, feed0, pad, copyMap] = this.encode(src as tf.Tensor2D);
      let [h, feed] = [h0, feed0];
      const probs: tf.Tensor[] = [];
      for (const col of tf.unstack(tgtIn, 1)) {
        const [p, h1, ht] = this.step(col, enc, h, feed, pad, copyMap);
        probs.push(p);
        [h, feed] = [h1, ht];
      }
      return tf.stack(probs, 1) as tf.Tensor3D;
    });
  }

  /** Mean negative log-likelihood of tgt [B, T+1] (bos … eos, extended ids, padded), padding ignored. */
  loss(src: tf.Tensor2D, tgt: tf.Tensor2D): tf.Scalar {
    return tf.tidy(() => {
      const [B, T1] = tgt.shape;
      const X = this.config.vocabSize + this.config.maxOovs;
      const p = this.forward(src, tgt.slice([0, 0], [B, T1 - 1])); // [B, T, X]
      const y = tgt.slice([0, 1], [B, T1 - 1]).toInt(); // [B, T]
      const py = tf.sum(tf.mul(p, tf.oneHot(y, X)), -1); // [B, T]
      const keep = tf.notEqual(y, this.config.padId).toFloat();
      return tf.div(tf.sum(tf.mul(tf.neg(tf.log(tf.add(py, 1e-12))), keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
    });
  }
}

/** Registered as `copynet`. */
export const copynet = (config: Partial<CopyNetConfig> & Pick<CopyNetConfig, 'vocabSize'>) => new CopyNet(config);
