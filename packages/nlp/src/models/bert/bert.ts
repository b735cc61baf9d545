/**
 * BERT (Devlin et al., 2019): a bidirectional post-LayerNorm Transformer encoder over word-piece,
 * position and segment embeddings, with a tanh pooler on the first token ([CLS]), pretrained by
 * masked language modelling (MLM head tied to the word embeddings) and next sentence prediction
 * (NSP). State dicts use Hugging Face's BERT names and layouts (`bert.embeddings.word_embeddings.weight`,
 * `bert.encoder.layer.N.attention.self.query.weight` [out, in], …, `cls.predictions.transform.dense.weight`,
 * `cls.predictions.decoder.weight` = word embeddings, `cls.seq_relationship.weight`, `classifier.weight`),
 * so HF checkpoints of matching size load unchanged.
 * B = batch, T = time, C = hiddenSize, H = numAttentionHeads, hs = C / H, V = vocabSize, I = intermediateSize.
 */
import { F, nn, Parameter, tf } from '@neuralzoo/core';
import { BertConfig, resolveBertConfig } from './config';

/** Optional inputs beside the ids: segment ids and which positions are real. */
export interface BertInputs {
  /** int32 segment ids [B, T] (0 = sentence A, 1 = sentence B). Default all 0. */
  tokenTypeIds?: tf.Tensor;
  /** [B, T], 1 at real tokens and 0 at padding (any numeric dtype). Default all 1 (as HF). */
  attentionMask?: tf.Tensor;
}

/** Output of `BertModel.forward` (HF's names). */
export interface BertOutput {
  /** Final hidden states [B, T, C]. */
  lastHiddenState: tf.Tensor3D;
  /** tanh(dense(first token's state)) [B, C]; null for a model built without the pooler. */
  poolerOutput: tf.Tensor2D | null;
}

/** Output of `BertForPreTraining.forward`. */
export interface BertPreTrainingOutput {
  /** MLM logits over the vocabulary at every position [B, T, V]. */
  predictionLogits: tf.Tensor3D;
  /** NSP logits [B, 2] (0 = B follows A, 1 = B is random, as HF). */
  seqRelationshipLogits: tf.Tensor2D;
}

type Activation = (x: tf.Tensor) => tf.Tensor;
const ACTIVATIONS: Record<BertConfig['hiddenAct'], Activation> = {
  gelu: (x) => F.gelu(x),
  gelu_new: (x) => F.gelu(x, { approximate: 'tanh' }),
  relu: (x) => F.relu(x),
};

/** [B, T] 1/0 mask -> additive bias [B, 1, 1, T]: 0 at real keys, -1e9 at padding. */
export function attentionBias(mask: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const [B, T] = mask.shape as [number, number];
    return tf.mul(tf.sub(1, mask.toFloat()), -1e9).reshape([B, 1, 1, T]) as tf.Tensor4D;
  });
}

/** Word-piece + position + segment embeddings, then LayerNorm and dropout. */
export class BertEmbeddings extends nn.Module {
  readonly word_embeddings: nn.Embedding;
  readonly position_embeddings: nn.Embedding;
  readonly token_type_embeddings: nn.Embedding;
  readonly LayerNorm: nn.LayerNorm;
  private readonly dropout: nn.Dropout;
  constructor(cfg: BertConfig) {
    super();
    this.word_embeddings = this.registerModule('word_embeddings', new nn.Embedding(cfg.vocabSize, cfg.hiddenSize, { paddingIdx: cfg.padTokenId }));
    this.position_embeddings = this.registerModule('position_embeddings', new nn.Embedding(cfg.maxPositionEmbeddings, cfg.hiddenSize));
    this.token_type_embeddings = this.registerModule('token_type_embeddings', new nn.Embedding(cfg.typeVocabSize, cfg.hiddenSize));
    this.LayerNorm = this.registerModule('LayerNorm', new nn.LayerNorm(cfg.hiddenSize, { eps: cfg.layerNormEps }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.hiddenDropoutProb));
  }
  /** int32 ids [B, T], segment ids [B, T] -> [B, T, C] */
  forward(ids: tf.Tensor, tokenTypeIds: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const pos = tf.range(0, ids.shape[1]!, 1, 'int32'); // [T]
      const x = tf.add(tf.add(this.word_embeddings.forward(ids), this.token_type_embeddings.forward(tokenTypeIds)), this.position_embeddings.forward(pos)); // [B, T, C] + [T, C]
      return this.dropout.forward(this.LayerNorm.forward(x));
    });
  }
}

/** Multi-head scaled dot-product self-attention with separate query/key/value projections (`attention.self`). */
export class BertSelfAttention extends nn.Module {
  readonly query: nn.Linear;
  readonly key: nn.Linear;
  readonly value: nn.Linear;
  private readonly dropout: nn.Dropout;
  constructor(private readonly cfg: BertConfig) {
    super();
    const C = cfg.hiddenSize;
    this.query = this.registerModule('query', new nn.Linear(C, C));
    this.key = this.registerModule('key', new nn.Linear(C, C));
    this.value = this.registerModule('value', new nn.Linear(C, C));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.attentionProbsDropoutProb));
  }
  /** [B, T, C], additive bias [B, 1, 1, T] -> context [B, T, C] */
  forward(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [B, T, C] = x.shape;
      const H = this.cfg.numAttentionHeads;
      const hs = C / H;
      const heads = (t: tf.Tensor) => t.reshape([B, T, H, hs]).transpose([0, 2, 1, 3]); // [B, H, T, hs]
      const q = heads(this.query.forward(x));
      const k = heads(this.key.forward(x));
      const v = heads(this.value.forward(x));
      const scores = tf.add(tf.div(tf.matMul(q, k, false, true), Math.sqrt(hs)), bias); // [B, H, T, T]: padded keys get -1e9
      const att = this.dropout.forward(tf.softmax(scores)); // [B, H, T, T]
      return tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([B, T, C]); // [B, T, C]
    });
  }
}

/** dense (inSize -> C), dropout, post-LN residual: LayerNorm(input + dropout(dense(h))). */
export class BertAddNorm extends nn.Module {
  readonly dense: nn.Linear;
  readonly LayerNorm: nn.LayerNorm;
  private readonly dropout: nn.Dropout;
  constructor(cfg: BertConfig, inSize: number) {
    super();
    this.dense = this.registerModule('dense', new nn.Linear(inSize, cfg.hiddenSize));
    this.LayerNorm = this.registerModule('LayerNorm', new nn.LayerNorm(cfg.hiddenSize, { eps: cfg.layerNormEps }));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.hiddenDropoutProb));
  }
  /** h [B, T, inSize], residual input [B, T, C] -> [B, T, C] */
  forward(h: tf.Tensor, input: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.LayerNorm.forward(tf.add(this.dropout.forward(this.dense.forward(h)), input)));
  }
}

/** `attention.output`: output projection of the attention (C -> C), dropout, post-LN residual. */
export class BertSelfOutput extends BertAddNorm {
  constructor(cfg: BertConfig) {
    super(cfg, cfg.hiddenSize);
  }
}

/** `attention.self` + `attention.output`. */
export class BertAttention extends nn.Module {
  readonly selfAttention: BertSelfAttention;
  readonly output: BertSelfOutput;
  constructor(cfg: BertConfig) {
    super();
    this.selfAttention = this.registerModule('self', new BertSelfAttention(cfg));
    this.output = this.registerModule('output', new BertSelfOutput(cfg));
  }
  /** [B, T, C], bias [B, 1, 1, T] -> [B, T, C] */
  forward(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.output.forward(this.selfAttention.forward(x, bias), x));
  }
}

/** First feed-forward layer and its activation: C -> I. */
export class BertIntermediate extends nn.Module {
  readonly dense: nn.Linear;
  private readonly act: Activation;
  constructor(cfg: BertConfig) {
    super();
    this.dense = this.registerModule('dense', new nn.Linear(cfg.hiddenSize, cfg.intermediateSize));
    this.act = ACTIVATIONS[cfg.hiddenAct];
  }
  /** [B, T, C] -> [B, T, I] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.act(this.dense.forward(x)));
  }
}

/** `output`: second feed-forward layer (I -> C), dropout, post-LN residual. */
export class BertOutputLayer extends BertAddNorm {
  constructor(cfg: BertConfig) {
    super(cfg, cfg.intermediateSize);
  }
}

/** One post-LN encoder layer: attention block, then feed-forward block, each LayerNorm(x + f(x)). */
export class BertLayer extends nn.Module {
  readonly attention: BertAttention;
  readonly intermediate: BertIntermediate;
  readonly output: BertOutputLayer;
  constructor(cfg: BertConfig) {
    super();
    this.attention = this.registerModule('attention', new BertAttention(cfg));
    this.intermediate = this.registerModule('intermediate', new BertIntermediate(cfg));
    this.output = this.registerModule('output', new BertOutputLayer(cfg));
  }
  /** [B, T, C], bias [B, 1, 1, T] -> [B, T, C] */
  forward(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const a = this.attention.forward(x, bias);
      return this.output.forward(this.intermediate.forward(a), a);
    });
  }
}

/** The stack of encoder layers (`encoder.layer.N`). */
export class BertEncoder extends nn.Module {
  readonly layer: nn.ModuleList;
  constructor(cfg: BertConfig) {
    super();
    this.layer = this.registerModule('layer', new nn.ModuleList(Array.from({ length: cfg.numHiddenLayers }, () => new BertLayer(cfg))));
  }
  /** [B, T, C], bias [B, 1, 1, T] -> [B, T, C] */
  forward(x: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = x;
      for (const l of this.layer.children()) h = (l as BertLayer).forward(h, bias);
      return h;
    });
  }
}

/** tanh(dense(h[:, 0])): the sentence vector read from the [CLS] position. */
export class BertPooler extends nn.Module {
  readonly dense: nn.Linear;
  constructor(cfg: BertConfig) {
    super();
    this.dense = this.registerModule('dense', new nn.Linear(cfg.hiddenSize, cfg.hiddenSize));
  }
  /** [B, T, C] -> [B, C] */
  forward(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [B, , C] = h.shape;
      return tf.tanh(this.dense.forward(h.slice([0, 0, 0], [B, 1, C]).reshape([B, C])));
    });
  }
}

/** HF's BERT init: weights and embeddings N(0, initializerRange), biases 0, LayerNorm 1/0, padding row 0. */
export function initBertWeights(module: nn.Module, cfg: BertConfig): void {
  tf.tidy(() => {
    module.apply((m) => {
      if (m instanceof nn.Linear) {
        m.weight.data.assign(nn.init.normal(m.weight.shape, 0, cfg.initializerRange));
        m.bias?.data.assign(tf.zerosLike(m.bias.data));
      } else if (m instanceof nn.Embedding) {
        const w = nn.init.normal(m.weight.shape, 0, cfg.initializerRange);
        if (m.paddingIdx === null) m.weight.data.assign(w);
        else {
          const keep = new Float32Array(m.numEmbeddings).fill(1);
          keep[m.paddingIdx] = 0;
          m.weight.data.assign(tf.mul(w, tf.tensor2d(keep, [m.numEmbeddings, 1])));
        }
      }
    });
  });
}

/** Checks ids (and the optional inputs) and returns the segment ids and the additive attention bias. */
function prepareInputs(name: string, cfg: BertConfig, ids: tf.Tensor, inputs: BertInputs): { tokenTypeIds: tf.Tensor; bias: tf.Tensor4D } {
  if (ids.rank !== 2 || ids.dtype !== 'int32') throw new Error(`${name}: expected int32 ids [batch, time], got ${ids.dtype} [${ids.shape}]`);
  const T = ids.shape[1]!;
  if (T < 1 || T > cfg.maxPositionEmbeddings) throw new Error(`${name}: sequence length ${T} must be in [1, maxPositionEmbeddings = ${cfg.maxPositionEmbeddings}]`);
  for (const [k, t] of Object.entries(inputs) as [string, tf.Tensor | undefined][])
    if (t && !tf.util.arraysEqual(t.shape, ids.shape)) throw new Error(`${name}: ${k} must have the shape of the ids [${ids.shape}], got [${t.shape}]`);
  if (inputs.tokenTypeIds && inputs.tokenTypeIds.dtype !== 'int32') throw new Error(`${name}: tokenTypeIds must be int32, got ${inputs.tokenTypeIds.dtype}`);
  return tf.tidy(() => ({
    tokenTypeIds: inputs.tokenTypeIds ? inputs.tokenTypeIds.clone() : tf.zerosLike(ids),
    bias: inputs.attentionMask ? attentionBias(inputs.attentionMask) : (tf.zeros([ids.shape[0]!, 1, 1, T]) as tf.Tensor4D),
  }));
}

/** The BERT trunk: embeddings, encoder, optional pooler (HF `BertModel`; keys `embeddings.*`, `encoder.*`, `pooler.*`). */
export class BertModel extends nn.Module {
  readonly config: Readonly<BertConfig>;
  readonly embeddings: BertEmbeddings;
  readonly encoder: BertEncoder;
  readonly pooler: BertPooler | null;

  /** @param opts.addPoolingLayer build the pooler (HF's add_pooling_layer). Default true. */
  constructor(config: Partial<BertConfig> = {}, opts: { addPoolingLayer?: boolean } = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveBertConfig(config)));
    this.embeddings = this.registerModule('embeddings', new BertEmbeddings(cfg));
    this.encoder = this.registerModule('encoder', new BertEncoder(cfg));
    this.pooler = this.registerModule('pooler', opts.addPoolingLayer ?? true ? new BertPooler(cfg) : null);
    initBertWeights(this, cfg);
  }

  /** int32 ids [B, T] (T <= maxPositionEmbeddings), segment ids and attention mask -> hidden states and pooled vector. */
  forward(ids: tf.Tensor, inputs: BertInputs = {}): BertOutput {
    const { tokenTypeIds, bias } = prepareInputs('BertModel', this.config, ids, inputs);
    try {
      const out = tf.tidy(() => {
        const h = this.encoder.forward(this.embeddings.forward(ids, tokenTypeIds), bias); // [B, T, C]
        return this.pooler ? [h, this.pooler.forward(h)] : [h]; // [B, T, C], [B, C]
      });
      return { lastHiddenState: out[0] as tf.Tensor3D, poolerOutput: (out[1] ?? null) as tf.Tensor2D | null };
    } finally {
      tf.dispose([tokenTypeIds, bias]);
    }
  }

  /** HF checkpoints may carry the `embeddings.position_ids` buffer [1, P]; it is derived here and ignored. */
  override loadStateDict(sd: nn.StateDict, opts: { strict?: boolean } = {}): nn.LoadStateDictResult {
    return super.loadStateDict(dropPositionIds(sd), opts);
  }
}

function dropPositionIds(sd: nn.StateDict): nn.StateDict {
  return Object.fromEntries(Object.entries(sd).filter(([k]) => !k.endsWith('embeddings.position_ids')));
}

/** dense, activation, LayerNorm before the tied decoder (`cls.predictions.transform`). */
export class BertPredictionHeadTransform extends nn.Module {
  readonly dense: nn.Linear;
  readonly LayerNorm: nn.LayerNorm;
  private readonly act: Activation;
  constructor(cfg: BertConfig) {
    super();
    this.dense = this.registerModule('dense', new nn.Linear(cfg.hiddenSize, cfg.hiddenSize));
    this.LayerNorm = this.registerModule('LayerNorm', new nn.LayerNorm(cfg.hiddenSize, { eps: cfg.layerNormEps }));
    this.act = ACTIVATIONS[cfg.hiddenAct];
  }
  /** [..., C] -> [..., C] */
  forward(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.LayerNorm.forward(this.act(this.dense.forward(h))));
  }
}

/** MLM head (`cls.predictions`): transform, then logits = h · Eᵀ + bias with E the word embedding (tied). */
export class BertLMPredictionHead extends nn.Module {
  readonly transform: BertPredictionHeadTransform;
  readonly bias: Parameter;
  constructor(
    cfg: BertConfig,
    /** The word embedding [V, C] of the trunk: read here, owned (and registered) there. */
    private readonly wordEmbedding: Parameter,
  ) {
    super();
    this.transform = this.registerModule('transform', new BertPredictionHeadTransform(cfg));
    this.bias = this.registerParameter('bias', new Parameter(tf.zeros([cfg.vocabSize])));
  }
  /** [N, C] -> [N, V] */
  forward(h: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.add(tf.matMul(this.transform.forward(h), this.wordEmbedding.data, false, true), this.bias.data)); // [N, C] × [C, V]
  }
}

/** MLM + NSP heads (`cls.predictions`, `cls.seq_relationship`). */
export class BertPreTrainingHeads extends nn.Module {
  readonly predictions: BertLMPredictionHead;
  readonly seq_relationship: nn.Linear;
  constructor(cfg: BertConfig, wordEmbedding: Parameter) {
    super();
    this.predictions = this.registerModule('predictions', new BertLMPredictionHead(cfg, wordEmbedding));
    this.seq_relationship = this.registerModule('seq_relationship', new nn.Linear(cfg.hiddenSize, 2));
  }
  /** hidden [B, T, C], pooled [B, C] -> [MLM logits [B, T, V], NSP logits [B, 2]] */
  forward(h: tf.Tensor, pooled: tf.Tensor): [tf.Tensor, tf.Tensor] {
    return tf.tidy(() => {
      const [B, T, C] = h.shape;
      return [this.predictions.forward(h.reshape([B * T, C])).reshape([B, T, -1]), this.seq_relationship.forward(pooled)];
    });
  }
}

/** Keys HF stores for the tied decoder: the weight is the word embedding, the bias is `cls.predictions.bias`. */
const DECODER_WEIGHT = 'cls.predictions.decoder.weight';
const DECODER_BIAS = 'cls.predictions.decoder.bias';

/** BERT with the pretraining heads (HF `BertForPreTraining`): `bert.*` + `cls.*`. */
export class BertForPreTraining extends nn.Module {
  readonly config: Readonly<BertConfig>;
  readonly bert: BertModel;
  readonly cls: BertPreTrainingHeads;
  constructor(config: Partial<BertConfig> = {}) {
    super();
    this.bert = this.registerModule('bert', new BertModel(config));
    this.config = this.bert.config;
    this.cls = this.registerModule('cls', new BertPreTrainingHeads(this.config, this.bert.embeddings.word_embeddings.weight));
    initBertWeights(this.cls, this.config);
  }

  /** ids [B, T] (+ segments, mask) -> MLM logits [B, T, V] and NSP logits [B, 2]. */
  forward(ids: tf.Tensor, inputs: BertInputs = {}): BertPreTrainingOutput {
    return tf.tidy(() => {
      const { lastHiddenState: h, poolerOutput } = this.bert.forward(ids, inputs);
      const [p, s] = this.cls.forward(h, poolerOutput!);
      return { predictionLogits: p as tf.Tensor3D, seqRelationshipLogits: s as tf.Tensor2D };
    });
  }

  /**
   * MLM logits only at the flat positions `positions` (int32 [N], index b·T + t) of the hidden
   * states [B, T, C] -> [N, V]: pretraining needs the vocabulary projection at the ~15% masked
   * positions only.
   */
  mlmLogitsAt(hidden: tf.Tensor, positions: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const [B, T, C] = hidden.shape;
      return this.cls.predictions.forward(tf.gather(hidden.reshape([B * T, C]), positions)) as tf.Tensor2D; // [N, C] -> [N, V]
    });
  }

  /**
   * Pretraining loss: mean cross entropy of the MLM predictions at the positions whose label is
   * not -100 plus the NSP cross entropy (BERT's sum). `mlmLabels` int32 [B, T], `nspLabels` int32 [B].
   */
  pretrainingLoss(ids: tf.Tensor, inputs: BertInputs, mlmLabels: tf.Tensor, nspLabels: tf.Tensor): { loss: tf.Scalar; mlm: tf.Scalar; nsp: tf.Scalar } {
    const labels = mlmLabels.dataSync();
    const pos: number[] = [];
    const tgt: number[] = [];
    labels.forEach((l, i) => {
      if (l !== -100) {
        pos.push(i);
        tgt.push(l);
      }
    });
    if (!pos.length) throw new Error('BertForPreTraining.pretrainingLoss: no position has an MLM label (all -100)');
    return tf.tidy(() => {
      const { lastHiddenState: h, poolerOutput } = this.bert.forward(ids, inputs);
      const mlm = F.crossEntropy(this.mlmLogitsAt(h, tf.tensor1d(pos, 'int32')), tf.tensor1d(tgt, 'int32')) as tf.Scalar;
      const nsp = F.crossEntropy(this.cls.seq_relationship.forward(poolerOutput!), nspLabels) as tf.Scalar;
      return { loss: tf.add(mlm, nsp) as tf.Scalar, mlm, nsp };
    });
  }

  /** HF's state dict: `bert.*`, `cls.*`, plus the tied `cls.predictions.decoder.weight` / `.bias` (the same tensors). */
  override stateDict(): nn.StateDict {
    const sd = super.stateDict();
    sd[DECODER_WEIGHT] = this.bert.embeddings.word_embeddings.weight.data;
    sd[DECODER_BIAS] = this.cls.predictions.bias.data;
    return sd;
  }

  /**
   * Loads a HF BERT pretraining state dict. The tied decoder keys may be absent (HF's safetensors
   * keep tied tensors once) and must equal the word embedding / `cls.predictions.bias` when present.
   */
  override loadStateDict(sd: nn.StateDict, opts: { strict?: boolean } = {}): nn.LoadStateDictResult {
    const clean = dropPositionIds(sd);
    for (const [tied, source] of [
      [DECODER_WEIGHT, 'bert.embeddings.word_embeddings.weight'],
      [DECODER_BIAS, 'cls.predictions.bias'],
    ] as const) {
      const a = clean[tied];
      const b = clean[source];
      if (a && b) {
        const same = tf.util.arraysEqual(a.shape, b.shape) && tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]) === 0;
        if (!same) throw new Error(`BertForPreTraining.loadStateDict: ${tied} differs from ${source}; this BERT ties them (untied decoders are not supported)`);
      }
      if (b && !a) clean[tied] = b;
    }
    return super.loadStateDict(clean, opts);
  }
}

/** A BERT trunk + dropout + linear classifier (`bert.*`, `classifier.*`): the shared part of the two HF classifier heads. */
abstract class BertClassifierBase extends nn.Module {
  readonly config: Readonly<BertConfig>;
  readonly bert: BertModel;
  readonly classifier: nn.Linear;
  protected readonly dropout: nn.Dropout;
  constructor(config: Partial<BertConfig>, addPoolingLayer: boolean) {
    super();
    this.bert = this.registerModule('bert', new BertModel(config, { addPoolingLayer }));
    this.config = this.bert.config;
    this.dropout = this.registerModule('dropout', new nn.Dropout(this.config.hiddenDropoutProb));
    this.classifier = this.registerModule('classifier', new nn.Linear(this.config.hiddenSize, this.config.numLabels));
    initBertWeights(this.classifier, this.config);
  }
  /** classifier(dropout(h)): h [..., C] -> [..., numLabels] */
  protected classify(h: tf.Tensor): tf.Tensor {
    return this.classifier.forward(this.dropout.forward(h));
  }
  override loadStateDict(sd: nn.StateDict, opts: { strict?: boolean } = {}): nn.LoadStateDictResult {
    return super.loadStateDict(dropPositionIds(sd), opts);
  }
}

/**
 * BERT + dropout + linear on a sentence vector (HF `BertForSequenceClassification`; keys `bert.*`,
 * `classifier.*`): by default the pooled [CLS] vector (HF); with `pooling: 'mean'` the mean of the
 * last hidden states over the real tokens (attention mask), and the trunk has no pooler.
 */
export class BertForSequenceClassification extends BertClassifierBase {
  readonly pooling: 'cls' | 'mean';
  /** @param opts.pooling 'cls' (tanh pooler on [CLS], HF's) or 'mean' (masked mean of the last hidden states). Default 'cls'. */
  constructor(config: Partial<BertConfig> = {}, opts: { pooling?: 'cls' | 'mean' } = {}) {
    const pooling = opts.pooling ?? 'cls';
    if (pooling !== 'cls' && pooling !== 'mean') throw new Error(`BertForSequenceClassification: pooling must be 'cls' or 'mean', got '${String(pooling)}'`);
    super(config, pooling === 'cls');
    this.pooling = pooling;
  }
  /** ids [B, T] (+ segments, mask) -> logits [B, numLabels] */
  forward(ids: tf.Tensor, inputs: BertInputs = {}): tf.Tensor2D {
    return tf.tidy(() => {
      const out = this.bert.forward(ids, inputs);
      if (this.pooling === 'cls') return this.classify(out.poolerOutput!) as tf.Tensor2D;
      const [B, T] = ids.shape as [number, number];
      const m = (inputs.attentionMask ? inputs.attentionMask.toFloat() : tf.ones([B, T])).reshape([B, T, 1]); // [B, T, 1]
      const mean = tf.div(tf.sum(tf.mul(out.lastHiddenState, m), 1), tf.maximum(tf.sum(m, 1), 1)); // [B, C]
      return this.classify(mean) as tf.Tensor2D;
    });
  }
}

/** BERT without pooler + dropout + linear per token (HF `BertForTokenClassification`; keys `bert.*`, `classifier.*`). */
export class BertForTokenClassification extends BertClassifierBase {
  constructor(config: Partial<BertConfig> = {}) {
    super(config, false);
  }
  /** ids [B, T] (+ segments, mask) -> logits [B, T, numLabels] (train with ignoreIndex -100 at padding) */
  forward(ids: tf.Tensor, inputs: BertInputs = {}): tf.Tensor3D {
    return tf.tidy(() => this.classify(this.bert.forward(ids, inputs).lastHiddenState) as tf.Tensor3D);
  }
}

/** A BERT trunk (with pooler) with `config` over the defaults. */
export function bert(config: Partial<BertConfig> = {}): BertModel {
  return new BertModel(config);
}
/** BERT with MLM + NSP heads. */
export function bertForPreTraining(config: Partial<BertConfig> = {}): BertForPreTraining {
  return new BertForPreTraining(config);
}
/** BERT sentence classifier on the pooled [CLS] vector (or, with `pooling: 'mean'`, on the mean of the token states). */
export function bertForSequenceClassification(config: Partial<BertConfig> = {}, opts: { pooling?: 'cls' | 'mean' } = {}): BertForSequenceClassification {
  return new BertForSequenceClassification(config, opts);
}
/** BERT token classifier (tagging). */
export function bertForTokenClassification(config: Partial<BertConfig> = {}): BertForTokenClassification {
  return new BertForTokenClassification(config);
}
