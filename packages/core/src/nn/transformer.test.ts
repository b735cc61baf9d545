import { tf, backward, gradcheck, manualSeed, io } from '../index';
import { expectClose } from '../testing';
import { checkAgainstTorch, Config, randn, Tensors } from '../../fixtures/nn_recurrent/harness';
import { Module } from './module';
import { LayerNorm } from './normalization';
import { TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, TransformerLayerOptions } from './transformer';


/** torch kwargs (snake_case) -> our layer options (camelCase). */
function options(cfg: Config): TransformerLayerOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg))
    if (!['d_model', 'nhead', 'num_layers'].includes(k)) out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out as TransformerLayerOptions;
}

const encoderLayer = (cfg: Config) => new TransformerEncoderLayer(cfg.d_model as number, cfg.nhead as number, options(cfg));
const decoderLayer = (cfg: Config) => new TransformerDecoderLayer(cfg.d_model as number, cfg.nhead as number, options(cfg));
const runEncoderLayer = (m: Module, t: Tensors) => ({ out: (m as TransformerEncoderLayer).forward(t.src, { srcMask: t.src_mask, srcKeyPaddingMask: t.src_key_padding_mask }) });
const runDecoderLayer = (m: Module, t: Tensors) => ({
  out: (m as TransformerDecoderLayer).forward(t.tgt, t.memory, {
    tgtMask: t.tgt_mask,
    memoryMask: t.memory_mask,
    tgtKeyPaddingMask: t.tgt_key_padding_mask,
    memoryKeyPaddingMask: t.memory_key_padding_mask,
  }),
});

describe('Transformer layers match torch.nn (outputs, input and parameter gradients)', () => {
  it('encoder layer, post-norm, relu, causal bool mask + key padding', () => checkAgainstTorch('encoder_post_relu', encoderLayer, runEncoderLayer, ['src']));
  it('encoder layer, pre-norm, gelu, float mask + key padding, eps 1e-6', () => checkAgainstTorch('encoder_pre_gelu', encoderLayer, runEncoderLayer, ['src']));
  it('decoder layer, post-norm, relu, all four masks', () => checkAgainstTorch('decoder_post_relu', decoderLayer, runDecoderLayer, ['tgt', 'memory']));
  it('decoder layer, pre-norm, gelu, all four masks', () => checkAgainstTorch('decoder_pre_gelu', decoderLayer, runDecoderLayer, ['tgt', 'memory']));
  it('TransformerEncoder: 2 layers + final LayerNorm', () =>
    checkAgainstTorch(
      'encoder_stack',
      (cfg) => new TransformerEncoder(encoderLayer(cfg), cfg.num_layers as number, { norm: new LayerNorm(cfg.d_model as number) }),
      (m, t) => ({ out: (m as TransformerEncoder).forward(t.src, { mask: t.mask, srcKeyPaddingMask: t.src_key_padding_mask }) }),
      ['src'],
    ));
  it('TransformerEncoder with isCausal equals the explicit causal mask', () =>
    checkAgainstTorch(
      'encoder_stack',
      (cfg) => new TransformerEncoder(encoderLayer(cfg), cfg.num_layers as number, { norm: new LayerNorm(cfg.d_model as number) }),
      (m, t) => ({ out: (m as TransformerEncoder).forward(t.src, { isCausal: true, srcKeyPaddingMask: t.src_key_padding_mask }) }),
      ['src'],
    ));
  it('TransformerDecoder: 2 layers + final LayerNorm', () =>
    checkAgainstTorch(
      'decoder_stack',
      (cfg) => new TransformerDecoder(decoderLayer(cfg), cfg.num_layers as number, { norm: new LayerNorm(cfg.d_model as number) }),
      (m, t) => ({ out: (m as TransformerDecoder).forward(t.tgt, t.memory, { tgtMask: t.tgt_mask, memoryKeyPaddingMask: t.memory_key_padding_mask }) }),
      ['tgt', 'memory'],
    ));
});

describe('Transformer layers: structure and options', () => {
  it("uses PyTorch's child names and state-dict order", () => {
    const enc = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(enc.stateDict())).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias',
    ]);
    expect(enc.children().map((c) => c.typeName)).toEqual(['MultiheadAttention', 'Linear', 'Dropout', 'Linear', 'LayerNorm', 'LayerNorm', 'Dropout', 'Dropout']);
    expect(enc.namedChildren().next().value![0]).toBe('self_attn');
    const dec = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    expect(Object.keys(dec.stateDict())).toEqual([
      'self_attn.in_proj_weight', 'self_attn.in_proj_bias', 'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
      'multihead_attn.in_proj_weight', 'multihead_attn.in_proj_bias', 'multihead_attn.out_proj.weight', 'multihead_attn.out_proj.bias',
      'linear1.weight', 'linear1.bias', 'linear2.weight', 'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight', 'norm2.bias', 'norm3.weight', 'norm3.bias',
    ]);
    expect([...dec.namedChildren()].map(([n]) => n)).toEqual([
      'self_attn', 'multihead_attn', 'linear1', 'dropout', 'linear2', 'norm1', 'norm2', 'norm3', 'dropout1', 'dropout2', 'dropout3',
    ]);
    // PyTorch defaults: dimFeedforward 2048, dropout 0.1, relu, post-norm
    const d = new TransformerEncoderLayer(4, 2);
    expect(d.linear1.outFeatures).toBe(2048);
    expect(d.dropout.p).toBe(0.1);
    expect(d.self_attn.dropout).toBe(0.1);
    expect(d.normFirst).toBe(false);
    expect(d.options.activation).toBe('relu');
    [enc, dec, d].forEach((m) => m.dispose());
  });

  it('stacks copy a given layer (same starting weights) or call a factory (independent weights)', () => {
    manualSeed(0);
    const copied = new TransformerEncoder(new TransformerEncoderLayer(4, 2, { dimFeedforward: 8 }), 3);
    const sd = copied.stateDict();
    expect(Object.keys(sd).filter((k) => k.endsWith('linear1.weight'))).toEqual(['layers.0.linear1.weight', 'layers.1.linear1.weight', 'layers.2.linear1.weight']);
    expectClose(sd['layers.2.linear1.weight'], sd['layers.0.linear1.weight'], { rtol: 0, atol: 0 });
    expect(sd['layers.1.linear1.weight']).not.toBe(sd['layers.0.linear1.weight']);
    const fresh = new TransformerDecoder(() => new TransformerDecoderLayer(4, 2, { dimFeedforward: 8 }), 2, { norm: new LayerNorm(4) });
    const fsd = fresh.stateDict();
    expect(Object.keys(fsd).slice(-2)).toEqual(['norm.weight', 'norm.bias']);
    expect(tf.abs(tf.sub(fsd['layers.1.linear1.weight'], fsd['layers.0.linear1.weight'])).max().dataSync()[0]).toBeGreaterThan(0);
    copied.dispose();
    fresh.dispose();
  });

  it('round-trips a stack state dict through safetensors', () => {
    manualSeed(1);
    const make = () => new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, normFirst: true }), 2, { norm: new LayerNorm(8) });
    const a = make();
    manualSeed(2);
    const b = make();
    const parsed = io.parseSafetensors(io.serializeSafetensors(a.stateDict()));
    b.loadStateDict(parsed.tensors);
    Object.values(parsed.tensors).forEach((t) => t.dispose());
    a.eval();
    b.eval();
    const x = randn([2, 3, 8], 1);
    tf.tidy(() => expectClose(b.forward(x), a.forward(x), { rtol: 0, atol: 0 }));
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('dropout (default 0.1) acts in training only; batchFirst false and unbatched give the same numbers', () => {
    manualSeed(3);
    const m = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    const seqFirst = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, batchFirst: false });
    seqFirst.loadStateDict(m.stateDict());
    const tgt = randn([2, 3, 8], 2);
    const mem = randn([2, 4, 8], 3);
    tf.tidy(() => {
      const yTrain = m.forward(tgt, mem);
      m.eval();
      seqFirst.eval();
      const y = m.forward(tgt, mem);
      expect(y.shape).toEqual([2, 3, 8]);
      expect(tf.abs(tf.sub(yTrain, y)).max().dataSync()[0]).toBeGreaterThan(1e-3);
      expectClose(m.forward(tgt, mem), y, { rtol: 0, atol: 0 });
      expectClose(seqFirst.forward(tgt.transpose([1, 0, 2]), mem.transpose([1, 0, 2])).transpose([1, 0, 2]), y);
      const yu = m.forward(tgt.slice([1, 0, 0], [1, 3, 8]).reshape([3, 8]), mem.slice([1, 0, 0], [1, 4, 8]).reshape([4, 8]));
      expectClose(yu, y.slice([1, 0, 0], [1, 3, 8]).reshape([3, 8]));
    });
    m.dispose();
    seqFirst.dispose();
    tf.dispose([tgt, mem]);
  });

  it('summary() lists the torch child tree with output shapes and parameter counts', () => {
    manualSeed(7);
    const m = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: new LayerNorm(8) });
    const x = randn([2, 3, 8], 9);
    const before = tf.memory().numTensors;
    const text = m.summary(x);
    expect(tf.memory().numTensors).toBe(before);
    expect(text).toMatch(/layers\.1\.self_attn \(MultiheadAttention\)\s+\(\[2, 3, 8\], \?\)\s+216/); // own: in_proj 24*8 + 24; out_proj is its child
    expect(text).toMatch(/layers\.0\.linear1 \(Linear\)\s+\[2, 3, 16\]\s+144/);
    expect(text).toContain(`Total params: ${(2 * (8 * 24 + 24 + 72 + 144 + 136 + 32) + 16).toLocaleString('en-US')}`);
    m.dispose();
    x.dispose();
  });

  it('accepts a custom activation function', () => {
    manualSeed(4);
    const a = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, activation: (x) => tf.tanh(x) });
    const b = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0 });
    b.loadStateDict(a.stateDict());
    const x = randn([1, 3, 4], 5);
    tf.tidy(() => {
      // relu and tanh differ on the negative pre-activations
      expect(tf.abs(tf.sub(a.forward(x), b.forward(x))).max().dataSync()[0]).toBeGreaterThan(1e-4);
    });
    a.dispose();
    b.dispose();
    x.dispose();
  });
});

describe('Transformer layers: gradients, memory, errors', () => {
  it('passes gradcheck on a tiny pre-norm encoder layer', () => {
    manualSeed(5);
    const m = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, normFirst: true, activation: 'gelu' });
    const x = randn([1, 3, 4], 6);
    const res = gradcheck((xi) => m.forward(xi, { isCausal: true }), [x, ...m.parameters()], { eps: 1e-2, atol: 2e-2, rtol: 2e-2 });
    expect(res.ok).toBe(true);
    m.dispose();
    x.dispose();
  });

  it('leaves no tensors behind after forward + backward except the gradients', () => {
    manualSeed(6);
    const enc = new TransformerEncoder(() => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: new LayerNorm(8) });
    const dec = new TransformerDecoder(() => new TransformerDecoderLayer(8, 2, { dimFeedforward: 16, normFirst: true }), 2);
    const src = randn([2, 5, 8], 7);
    const tgt = randn([2, 4, 8], 8);
    const kpm = tf.tensor2d([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], [2, 5], 'bool');
    const cases: Array<[Module, () => tf.Tensor]> = [
      [enc, () => enc.forward(src, { isCausal: true, srcKeyPaddingMask: kpm }).sum()],
      [dec, () => dec.forward(tgt, src, { tgtIsCausal: true, memoryKeyPaddingMask: kpm }).sum()],
    ];
    for (const [m, loss] of cases) {
      const before = tf.memory().numTensors;
      backward(loss, m);
      expect(tf.memory().numTensors).toBe(before + m.parameters().length);
      expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
      m.zeroGrad();
      tf.dispose(tf.tidy(loss));
      expect(tf.memory().numTensors).toBe(before);
      m.dispose();
    }
    tf.dispose([src, tgt, kpm]);
  });

  it('rejects bad arguments, naming the layer and values', () => {
    expect(() => new TransformerEncoderLayer(10, 4)).toThrow('TransformerEncoderLayer: dModel (10) must be divisible by nhead (4)');
    expect(() => new TransformerDecoderLayer(8, 2, { activation: 'swish' as 'relu' })).toThrow(/activation must be 'relu', 'gelu' or a function, got 'swish'/);
    expect(() => new TransformerEncoder(() => new TransformerEncoderLayer(4, 2), 0)).toThrow(/TransformerEncoder: numLayers must be a positive integer, got 0/);
    const enc = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    const dec = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
    expect(() => enc.forward(tf.zeros([2, 5, 6]))).toThrow(/TransformerEncoderLayer: expected input \[\.\.\., 8\] \(src features = dModel\), got shape \[2,5,6\]/);
    expect(() => dec.forward(tf.zeros([2, 5, 8]), tf.zeros([2, 3, 4]))).toThrow(/TransformerDecoderLayer: expected input \[\.\.\., 8\] \(memory features = dModel\), got shape \[2,3,4\]/);
    expect(() => enc.forward(tf.zeros([2, 5, 8]), { srcKeyPaddingMask: tf.zeros([2, 4], 'bool') })).toThrow(/expected keyPaddingMask of shape \[2,5\]/);
    enc.dispose();
    dec.dispose();
  });
});
