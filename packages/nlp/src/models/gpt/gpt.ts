/**
 * GPT (Radford et al., 2018/2019): a decoder-only Transformer language model with learned position
 * embeddings, pre-LayerNorm blocks (GPT-2), causal self-attention and an output layer tied to the
 * token embedding. The state dict uses Hugging Face GPT-2's names and layouts
 * (`transformer.wte.weight` [V, C], `transformer.h.N.attn.c_attn.weight` as Conv1D [C, 3C], …,
 * `lm_head.weight` = wte), so GPT-2 checkpoints of matching size load unchanged.
 * B = batch, T = time, C = nEmbd, H = nHead, hs = C / H, V = vocabSize.
 */
import { F, nn, Parameter, tf } from '@neuralzoo/core';
import { GptConfig, resolveGptConfig } from './config';

/** GPT-2's Conv1D: y = x W + b with W stored [in, out] (the transpose of nn.Linear's). */
export class Conv1D extends nn.Module {
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(
    readonly nIn: number,
    readonly nOut: number,
    std = 0.02,
  ) {
    super();
    this.weight = this.registerParameter('weight', new Parameter(nn.init.normal([nIn, nOut], 0, std)));
    this.bias = this.registerParameter('bias', new Parameter(tf.zeros([nOut])));
  }
  /** [..., in] -> [..., out] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const lead = x.shape.slice(0, -1);
      const y = tf.add(tf.matMul(x.reshape([-1, this.nIn]), this.weight.data), this.bias.data); // [N, out]
      return y.reshape([...lead, this.nOut]);
    });
  }
}

/** Causal multi-head self-attention with one fused q/k/v projection (c_attn) and c_proj. */
export class GptAttention extends nn.Module {
  readonly c_attn: Conv1D;
  readonly c_proj: Conv1D;
  private readonly attnDrop: nn.Dropout;
  private readonly residDrop: nn.Dropout;
  constructor(private readonly cfg: GptConfig) {
    super();
    const C = cfg.nEmbd;
    this.c_attn = this.registerModule('c_attn', new Conv1D(C, 3 * C));
    // Scaled init for residual projections, per GPT-2: std 0.02 / sqrt(2 · nLayer).
    this.c_proj = this.registerModule('c_proj', new Conv1D(C, C, 0.02 / Math.sqrt(2 * cfg.nLayer)));
    this.attnDrop = this.registerModule('attn_dropout', new nn.Dropout(cfg.dropout));
    this.residDrop = this.registerModule('resid_dropout', new nn.Dropout(cfg.dropout));
  }
  /** [B, T, C] -> [B, T, C]; position t attends to positions 0..t only. */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const [B, T, C] = x.shape;
      const H = this.cfg.nHead;
      const hs = C / H;
      const heads = (t: tf.Tensor) => t.reshape([B, T, H, hs]).transpose([0, 2, 1, 3]); // [B, H, T, hs]
      const [q, k, v] = tf.split(this.c_attn.forward(x), 3, -1).map(heads);
      const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(hs)); // [B, H, T, T]
      const att = this.attnDrop.forward(tf.softmax(tf.add(scores, causalBias(T)))); // [B, H, T, T]
      const y = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([B, T, C]); // [B, T, C]
      return this.residDrop.forward(this.c_proj.forward(y));
    });
  }
}

/** [T, T] additive mask: 0 on and below the diagonal, -1e9 above (future positions). */
export function causalBias(T: number): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([T, T]), -1, 0)), -1e9) as tf.Tensor2D);
}

/** Position-wise feed-forward: c_fc (C -> 4C), GELU (tanh approximation, GPT-2's gelu_new), c_proj. */
export class GptMlp extends nn.Module {
  readonly c_fc: Conv1D;
  readonly c_proj: Conv1D;
  private readonly drop: nn.Dropout;
  constructor(cfg: GptConfig) {
    super();
    this.c_fc = this.registerModule('c_fc', new Conv1D(cfg.nEmbd, 4 * cfg.nEmbd));
    this.c_proj = this.registerModule('c_proj', new Conv1D(4 * cfg.nEmbd, cfg.nEmbd, 0.02 / Math.sqrt(2 * cfg.nLayer)));
    this.drop = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
  }
  /** [B, T, C] -> [B, T, C] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.drop.forward(this.c_proj.forward(F.gelu(this.c_fc.forward(x), { approximate: 'tanh' }))));
  }
}

/** Pre-LN block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
export class GptBlock extends nn.Module {
  readonly ln_1: nn.LayerNorm;
  readonly attn: GptAttention;
  readonly ln_2: nn.LayerNorm;
  readonly mlp: GptMlp;
  constructor(cfg: GptConfig) {
    super();
    this.ln_1 = this.registerModule('ln_1', new nn.LayerNorm(cfg.nEmbd, { eps: cfg.layerNormEps }));
    this.attn = this.registerModule('attn', new GptAttention(cfg));
    this.ln_2 = this.registerModule('ln_2', new nn.LayerNorm(cfg.nEmbd, { eps: cfg.layerNormEps }));
    this.mlp = this.registerModule('mlp', new GptMlp(cfg));
  }
  /** [B, T, C] -> [B, T, C] */
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = tf.add(x, this.attn.forward(this.ln_1.forward(x)));
      return tf.add(h, this.mlp.forward(this.ln_2.forward(h)));
    });
  }
}

/** The GPT-2 trunk (`transformer.*`): embeddings, blocks, final LayerNorm. */
export class GptTransformer extends nn.Module {
  readonly wte: nn.Embedding;
  readonly wpe: nn.Embedding;
  readonly h: nn.ModuleList;
  readonly ln_f: nn.LayerNorm;
  private readonly drop: nn.Dropout;
  constructor(private readonly cfg: GptConfig) {
    super();
    this.wte = this.registerModule('wte', new nn.Embedding(cfg.vocabSize, cfg.nEmbd));
    this.wpe = this.registerModule('wpe', new nn.Embedding(cfg.nPositions, cfg.nEmbd));
    // GPT-2 initialises embeddings with N(0, 0.02) (wpe 0.01), not nn.Embedding's N(0, 1).
    tf.tidy(() => {
      this.wte.weight.data.assign(tf.mul(this.wte.weight.data, 0.02));
      this.wpe.weight.data.assign(tf.mul(this.wpe.weight.data, 0.01));
    });
    this.drop = this.registerModule('drop', new nn.Dropout(cfg.dropout));
    this.h = this.registerModule('h', new nn.ModuleList(Array.from({ length: cfg.nLayer }, () => new GptBlock(cfg))));
    this.ln_f = this.registerModule('ln_f', new nn.LayerNorm(cfg.nEmbd, { eps: cfg.layerNormEps }));
  }
  /** int32 ids [B, T] -> hidden states [B, T, C] */
  forward(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const T = ids.shape[1]!;
      const pos = tf.range(0, T, 1, 'int32');
      let x = this.drop.forward(tf.add(this.wte.forward(ids), this.wpe.forward(pos))); // [B, T, C] + [T, C]
      for (const block of this.h.children()) x = block.forward(x);
      return this.ln_f.forward(x);
    });
  }
}

/** GPT language model: `transformer` trunk + `lm_head` tied to `transformer.wte`. */
export class GPT extends nn.Module {
  readonly config: Readonly<GptConfig>;
  readonly transformer: GptTransformer;

  constructor(config: Partial<GptConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveGptConfig(config)));
    this.transformer = this.registerModule('transformer', new GptTransformer(cfg));
  }

  /** int32 ids [B, T] (T <= nPositions) -> next-token logits [B, T, V]. */
  forward(ids: tf.Tensor): tf.Tensor3D {
    if (ids.rank !== 2 || ids.dtype !== 'int32') throw new Error(`GPT: expected int32 ids [batch, time], got ${ids.dtype} [${ids.shape}]`);
    const len = ids.shape[1]!;
    if (len > this.config.nPositions || len < 1)
      throw new Error(`GPT: sequence length ${len} must be in [1, nPositions = ${this.config.nPositions}]; crop the context to its last ${this.config.nPositions} tokens`);
    return tf.tidy(() => {
      const [B, T] = ids.shape as [number, number];
      const h = this.transformer.forward(ids).reshape([B * T, this.config.nEmbd]); // [B·T, C]
      const logits = tf.matMul(h, this.transformer.wte.weight.data, false, true); // [B·T, V]: tied lm_head
      return logits.reshape([B, T, this.config.vocabSize]) as tf.Tensor3D;
    });
  }

  /** Hugging Face's state dict: `transformer.*` plus `lm_head.weight` (the same tensor as wte). */
  override stateDict(): nn.StateDict {
    const sd = super.stateDict();
    sd['lm_head.weight'] = this.transformer.wte.weight.data;
    return sd;
  }

  /**
   * Loads a GPT-2 state dict. `lm_head.weight` may be absent (HF's safetensors store tied weights
   * once) and must equal `transformer.wte.weight` when present; GPT-2's non-persistent causal-mask
   * buffers (`attn.bias`, `attn.masked_bias`) of older checkpoints are ignored.
   */
  override loadStateDict(sd: nn.StateDict, opts: { strict?: boolean } = {}): nn.LoadStateDictResult {
    const clean: nn.StateDict = {};
    for (const [k, v] of Object.entries(sd)) if (!/\.attn\.(bias|masked_bias)$/.test(k)) clean[k] = v;
    const wte = clean['transformer.wte.weight'];
    const head = clean['lm_head.weight'];
    if (head && wte) {
      const same = tf.util.arraysEqual(head.shape, wte.shape) && tf.tidy(() => tf.max(tf.abs(tf.sub(head, wte))).dataSync()[0]) === 0;
      if (!same) throw new Error('GPT.loadStateDict: lm_head.weight differs from transformer.wte.weight; this GPT ties them (untied heads are not supported)');
    }
    if (wte && !head) clean['lm_head.weight'] = wte;
    const result = super.loadStateDict(clean, opts);
    return { missingKeys: result.missingKeys, unexpectedKeys: result.unexpectedKeys };
  }
}

/** A GPT with `config` over the defaults. */
export function gpt(config: Partial<GptConfig> = {}): GPT {
  return new GPT(config);
}
