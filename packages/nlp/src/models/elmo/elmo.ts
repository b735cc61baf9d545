/**
 * ELMo (Peters et al., 2018, "Deep contextualized word representations"), scaled down: a
 * character-CNN token encoder (char embeddings, max-over-time convolutions, highway layers, linear
 * projection), a biLM of `numLayers` forward and backward LSTMs with one softmax shared by both
 * directions, and a task-specific scalar mix γ · Σ_j softmax(s)_j · h_j of the layers.
 * B = batch, T = time, W = maxChars, E = charDim, F = total filters, D = dim, L = numLayers, V = vocabSize.
 */
import { nn, Parameter, tf } from '@neuralzoo/core';
import { ElmoConfig, resolveElmoConfig } from './config';

/** Character ids [maxChars] of a word: begin mark, code points (mod charVocabSize - 3, + 3), end mark, padding. */
export function charIds(word: string, maxChars: number, charVocabSize: number): Int32Array {
  const out = new Int32Array(maxChars);
  const chars = [...word].slice(0, maxChars - 2);
  out[0] = 1;
  chars.forEach((ch, i) => (out[i + 1] = 3 + (ch.codePointAt(0)! % (charVocabSize - 3))));
  out[chars.length + 1] = 2;
  return out;
}

/** Highway layer (Srivastava et al., 2015): t ⊙ relu(W_h x) + (1 - t) ⊙ x with t = σ(W_t x). */
export class Highway extends nn.Module {
  readonly transform: nn.Linear;
  readonly gate: nn.Linear;
  constructor(dim: number) {
    super();
    this.transform = this.registerModule('transform', new nn.Linear(dim, dim));
    this.gate = this.registerModule('gate', new nn.Linear(dim, dim));
    // Gate bias -2: start close to the identity (carry), as highway networks recommend.
    tf.tidy(() => this.gate.bias!.data.assign(tf.fill([dim], -2)));
  }
  /** [N, dim] -> [N, dim] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const t = tf.sigmoid(this.gate.forward(x));
      return tf.add(tf.mul(t, tf.relu(this.transform.forward(x))), tf.mul(tf.sub(1, t), x));
    });
  }
}

/** Char-CNN token encoder: char ids [N, W] -> token representations [N, D]. */
export class CharCnnEncoder extends nn.Module {
  readonly charEmbedding: nn.Embedding;
  readonly convs: nn.ModuleList;
  readonly highways: nn.ModuleList;
  readonly projection: nn.Linear;
  constructor(private readonly cfg: ElmoConfig) {
    super();
    this.charEmbedding = this.registerModule('char_embedding', new nn.Embedding(cfg.charVocabSize, cfg.charDim, { paddingIdx: 0 }));
    this.convs = this.registerModule('convs', new nn.ModuleList(cfg.filters.map(([w, n]) => new nn.Conv1d(cfg.charDim, n, w))));
    const F = cfg.filters.reduce((a, [, n]) => a + n, 0);
    this.highways = this.registerModule('highways', new nn.ModuleList(Array.from({ length: cfg.highwayLayers }, () => new Highway(F))));
    this.projection = this.registerModule('projection', new nn.Linear(F, cfg.dim));
  }
  /** int32 char ids [N, W] -> [N, D] */
  forward(chars: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const e = this.charEmbedding.forward(chars); // [N, W, E]
      // Conv1d takes [N, W, E] (channels last, like every sequence layer here) -> [N, W - w + 1, n].
      const pooled = this.convs.children().map((c) => tf.max(tf.relu(c.forward(e)), 1)); // each [N, n]
      let h = tf.concat(pooled, -1); // [N, F]
      for (const hw of this.highways.children()) h = hw.forward(h);
      return this.projection.forward(h); // [N, D]
    });
  }
}

/** Task-specific layer weighting γ · Σ_j softmax(s)_j · h_j (`weights` = s, one per layer; `gamma` = γ). */
export class ScalarMix extends nn.Module {
  readonly weights: Parameter;
  readonly gamma: Parameter;
  constructor(readonly numLayers: number) {
    super();
    this.weights = this.registerParameter('weights', new Parameter(tf.zeros([numLayers])));
    this.gamma = this.registerParameter('gamma', new Parameter(tf.ones([1])));
  }
  /** numLayers tensors of one shape -> their mix, same shape. */
  forward(layers: tf.Tensor[]): tf.Tensor {
    if (layers.length !== this.numLayers) throw new Error(`ScalarMix: expected ${this.numLayers} layers, got ${layers.length}`);
    return tf.tidy(() => {
      const w = tf.softmax(this.weights.data); // [numLayers]
      return tf.mul(tf.addN(layers.map((h, j) => tf.mul(h, w.slice([j], [1])))), this.gamma.data);
    });
  }
}

/** What `ELMo.forward` returns. */
export interface ElmoOutput {
  /** Layer activations, each [B, T, 2D]: layer 0 the token representation twice, then [forward; backward] per LSTM layer. */
  layers: tf.Tensor[];
  /** Forward LM logits [B, T, V]: position t predicts token t + 1. */
  forwardLogits: tf.Tensor;
  /** Backward LM logits [B, T, V]: position t predicts token t - 1. */
  backwardLogits: tf.Tensor;
}

export class ELMo extends nn.Module {
  readonly config: Readonly<ElmoConfig>;
  readonly encoder: CharCnnEncoder;
  readonly forwardLstms: nn.ModuleList;
  readonly backwardLstms: nn.ModuleList;
  /** Softmax shared by both directions: [V, D] + bias. */
  readonly softmax: nn.Linear;
  readonly scalarMix: ScalarMix;
  private readonly drop: nn.Dropout;
  /** Character ids of every vocabulary word [V, W], set by `setVocabulary`. */
  private wordChars: tf.Tensor2D | null = null;

  constructor(config: Partial<ElmoConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveElmoConfig(config)));
    const D = cfg.dim;
    this.encoder = this.registerModule('encoder', new CharCnnEncoder(cfg));
    this.forwardLstms = this.registerModule('forward_lstms', new nn.ModuleList(Array.from({ length: cfg.numLayers }, () => new nn.LSTM(D, D))));
    this.backwardLstms = this.registerModule('backward_lstms', new nn.ModuleList(Array.from({ length: cfg.numLayers }, () => new nn.LSTM(D, D))));
    this.softmax = this.registerModule('softmax', new nn.Linear(D, cfg.vocabSize));
    this.scalarMix = this.registerModule('scalar_mix', new ScalarMix(cfg.numLayers + 1));
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
  }

  /** Sets the spelling of every word id (vocabulary tokens in id order; length vocabSize). Returns this. */
  setVocabulary(tokens: readonly string[]): this {
    const { vocabSize: V, maxChars: W, charVocabSize } = this.config;
    if (tokens.length !== V) throw new Error(`ELMo.setVocabulary: expected ${V} tokens, got ${tokens.length}`);
    const ids = new Int32Array(V * W);
    tokens.forEach((t, i) => ids.set(charIds(t, W, charVocabSize), i * W));
    this.wordChars?.dispose();
    this.wordChars = tf.keep(tf.tensor2d(ids, [V, W], 'int32'));
    return this;
  }

  /** Token representations from word ids [B, T] -> [B, T, D] (through the words' spellings). */
  tokens(ids: tf.Tensor): tf.Tensor3D {
    if (!this.wordChars) throw new Error('ELMo: call setVocabulary(tokens) before forward');
    if (ids.rank !== 2) throw new Error(`ELMo: expected int32 ids [batch, time], got [${ids.shape}]`);
    return tf.tidy(() => {
      const [B, T] = ids.shape as [number, number];
      const chars = tf.gather(this.wordChars!, ids.reshape([-1])); // [B·T, W]
      return this.encoder.forward(chars).reshape([B, T, this.config.dim]) as tf.Tensor3D;
    });
  }

  /** int32 ids [B, T] -> layers and both directions' LM logits (see ElmoOutput). */
  forward(ids: tf.Tensor): ElmoOutput {
    return tf.tidy(() => {
      const x = this.drop.forward(this.tokens(ids)); // [B, T, D]
      const layers: tf.Tensor[] = [tf.concat([x, x], -1)];
      let f = x;
      let b = tf.reverse(x, 1); // the backward LM reads the sentence right to left
      for (let l = 0; l < this.config.numLayers; l++) {
        const fo = this.drop.forward((this.forwardLstms.get(l) as nn.LSTM).forward(f)[0]); // [B, T, D]
        const bo = this.drop.forward((this.backwardLstms.get(l) as nn.LSTM).forward(b)[0]); // [B, T, D] reversed time
        // Residual connection between LSTM layers (as in ELMo) from the second layer on.
        f = l > 0 ? tf.add(fo, f) : fo;
        b = l > 0 ? tf.add(bo, b) : bo;
        layers.push(tf.concat([f, tf.reverse(b, 1)], -1)); // [B, T, 2D]
      }
      return { layers, forwardLogits: this.softmax.forward(f), backwardLogits: tf.reverse(this.softmax.forward(b), 1) };
    });
  }

  /** ELMo features: the scalar mix of the layers, ids [B, T] -> [B, T, 2D]. */
  embed(ids: tf.Tensor): tf.Tensor3D {
    return tf.tidy(() => this.scalarMix.forward(this.forward(ids).layers) as tf.Tensor3D);
  }

  override dispose(): void {
    this.wordChars?.dispose();
    this.wordChars = null;
    super.dispose();
  }
}

export function elmo(config: Partial<ElmoConfig> = {}): ELMo {
  return new ELMo(config);
}
