import { tf, backward, gradcheck, manualSeed, io } from '../index';
import { expectClose } from '../testing';
import { checkAgainstTorch, Config, randn, Tensors } from '../../fixtures/nn_recurrent/harness';
import { MultiheadAttention, causalMask } from './attention';

const build = (cfg: Config) =>
  new MultiheadAttention(cfg.embed_dim as number, cfg.num_heads as number, { kdim: cfg.kdim as number | undefined, vdim: cfg.vdim as number | undefined, bias: cfg.bias as boolean | undefined });
const pair = ([out, w]: [tf.Tensor, tf.Tensor | null]): Tensors => ({ out, w: w! });

describe('MultiheadAttention matches torch.nn (outputs, weights, input and parameter gradients)', () => {
  it('self-attention with key padding and an explicit causal mask', () =>
    checkAgainstTorch('mha_self_causal', build, (m, t) => pair((m as MultiheadAttention).forward(t.x, t.x, t.x, { keyPaddingMask: t.key_padding_mask, attnMask: causalMask(4) })), ['x']));
  it('self-attention with isCausal', () =>
    checkAgainstTorch('mha_self_causal', build, (m, t) => pair((m as MultiheadAttention).forward(t.x, t.x, t.x, { keyPaddingMask: t.key_padding_mask, isCausal: true })), ['x']));
  it('kdim/vdim projections, float [B*H, T, S] mask, per-head weights', () =>
    checkAgainstTorch('mha_kvdim', build, (m, t) => pair((m as MultiheadAttention).forward(t.q, t.k, t.v, { attnMask: t.attn_mask, averageAttnWeights: false })), ['q', 'k', 'v']));
  it('cross-attention without bias, bool [T, S] mask and key padding', () =>
    checkAgainstTorch(
      'mha_cross_nobias',
      build,
      (m, t) => pair((m as MultiheadAttention).forward(t.q, t.kv, t.kv, { attnMask: t.attn_mask, keyPaddingMask: t.key_padding_mask })),
      ['q', 'kv'],
    ));
});

describe('MultiheadAttention: parameters, options, shapes', () => {
  it('names and shapes parameters like PyTorch and initialises them like it', () => {
    manualSeed(0);
    const m = new MultiheadAttention(8, 2);
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    expect(sd.in_proj_weight.shape).toEqual([24, 8]);
    expect(Array.from(sd.in_proj_bias.dataSync())).toEqual(new Array(24).fill(0));
    expect(Array.from(sd['out_proj.bias'].dataSync())).toEqual(new Array(8).fill(0));
    const w = sd.in_proj_weight.dataSync();
    const bound = Math.sqrt(6 / (8 + 24)); // xavier_uniform_ on [3E, E]
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.8 * bound);
    const k = new MultiheadAttention(8, 2, { kdim: 3, vdim: 5, bias: false });
    expect(Object.entries(k.stateDict()).map(([n, t]) => `${n}:${t.shape}`)).toEqual(['q_proj_weight:8,8', 'k_proj_weight:8,3', 'v_proj_weight:8,5', 'out_proj.weight:8,8']);
    m.dispose();
    k.dispose();
  });

  it('round-trips its state dict through safetensors', () => {
    manualSeed(1);
    const a = new MultiheadAttention(8, 4, { kdim: 6 });
    manualSeed(2);
    const b = new MultiheadAttention(8, 4, { kdim: 6 });
    const parsed = io.parseSafetensors(io.serializeSafetensors(a.stateDict()));
    b.loadStateDict(parsed.tensors);
    Object.values(parsed.tensors).forEach((t) => t.dispose());
    const [q, k, v] = [randn([2, 3, 8], 1), randn([2, 4, 6], 2), randn([2, 4, 8], 3)];
    tf.tidy(() => expectClose(b.forward(q, k, v)[0], a.forward(q, k, v)[0], { rtol: 0, atol: 0 }));
    a.dispose();
    b.dispose();
    tf.dispose([q, k, v]);
  });

  it('supports needWeights false, batchFirst false and unbatched input with the same numbers', () => {
    manualSeed(3);
    const m = new MultiheadAttention(6, 3);
    const seqFirst = new MultiheadAttention(6, 3, { batchFirst: false });
    seqFirst.loadStateDict(m.stateDict());
    const q = randn([2, 4, 6], 4);
    const kv = randn([2, 5, 6], 5);
    const kpm = tf.tensor2d([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0]], [2, 5], 'bool');
    tf.tidy(() => {
      const [y, w] = m.forward(q, kv, kv, { keyPaddingMask: kpm });
      expect(y.shape).toEqual([2, 4, 6]);
      expect(w!.shape).toEqual([2, 4, 5]);
      expectClose(w!.sum(-1), tf.ones([2, 4]));
      expectClose(w!.slice([0, 0, 3], [1, 4, 2]), tf.zeros([1, 4, 2]), { atol: 0 });
      const [y2, w2] = m.forward(q, kv, kv, { keyPaddingMask: kpm, needWeights: false });
      expect(w2).toBeNull();
      expectClose(y2, y, { rtol: 0, atol: 0 });
      const [ys] = seqFirst.forward(q.transpose([1, 0, 2]), kv.transpose([1, 0, 2]), kv.transpose([1, 0, 2]), { keyPaddingMask: kpm });
      expectClose(ys.transpose([1, 0, 2]), y);
      const q1 = q.slice([1, 0, 0], [1, 4, 6]).reshape([4, 6]);
      const kv1 = kv.slice([1, 0, 0], [1, 5, 6]).reshape([5, 6]);
      const [yu, wu] = m.forward(q1, kv1, kv1, { keyPaddingMask: tf.zeros([5], 'bool') });
      expect(yu.shape).toEqual([4, 6]);
      expect(wu!.shape).toEqual([4, 5]);
      expectClose(yu, y.slice([1, 0, 0], [1, 4, 6]).reshape([4, 6]));
      const [, wh] = m.forward(q, kv, kv, { averageAttnWeights: false });
      expect(wh!.shape).toEqual([2, 3, 4, 5]);
    });
    m.dispose();
    seqFirst.dispose();
    tf.dispose([q, kv, kpm]);
  });

  it('isCausal hides the future: changing a later token leaves earlier outputs unchanged', () => {
    manualSeed(4);
    const m = new MultiheadAttention(4, 2);
    const x = randn([1, 5, 4], 6);
    tf.tidy(() => {
      const x2 = tf.concat([x.slice([0, 0, 0], [1, 3, 4]), tf.fill([1, 2, 4], 7)], 1);
      const [y] = m.forward(x, x, x, { isCausal: true });
      const [y2] = m.forward(x2, x2, x2, { isCausal: true });
      expectClose(y2.slice([0, 0, 0], [1, 3, 4]), y.slice([0, 0, 0], [1, 3, 4]));
      expect(tf.abs(tf.sub(y2, y)).max().dataSync()[0]).toBeGreaterThan(1e-3);
      expect(Array.from(causalMask(2, 3).dataSync())).toEqual([0, 1, 1, 0, 0, 1]);
    });
    m.dispose();
    x.dispose();
  });

  it('applies dropout to the weights in training only, reproducibly', () => {
    manualSeed(5);
    const m = new MultiheadAttention(4, 2, { dropout: 0.5 });
    const x = randn([2, 6, 4], 7);
    tf.tidy(() => {
      m.eval();
      const [yEval, wEval] = m.forward(x, x, x);
      m.train();
      manualSeed(9);
      const [yA, wA] = m.forward(x, x, x);
      manualSeed(9);
      const [yB] = m.forward(x, x, x);
      expectClose(yB, yA, { rtol: 0, atol: 0 });
      expect(tf.abs(tf.sub(yA, yEval)).max().dataSync()[0]).toBeGreaterThan(1e-3);
      // dropped weights are zero, the rest scaled by 2; averaged over heads the mean is kept in expectation
      expect(tf.abs(tf.sub(wA!, wEval!)).max().dataSync()[0]).toBeGreaterThan(1e-3);
    });
    m.dispose();
    x.dispose();
  });
});

describe('MultiheadAttention: gradients, memory, errors', () => {
  it('passes gradcheck on a tiny cross-attention with masks', () => {
    manualSeed(6);
    const m = new MultiheadAttention(4, 2, { kdim: 3 });
    const q = randn([1, 2, 4], 8);
    const k = randn([1, 3, 3], 9);
    const v = randn([1, 3, 4], 10);
    const kpm = tf.tensor2d([[0, 0, 1]], [1, 3], 'bool');
    const res = gradcheck((qi, ki, vi) => m.forward(qi, ki, vi, { keyPaddingMask: kpm })[0], [q, k, v, ...m.parameters()]);
    expect(res.ok).toBe(true);
    m.dispose();
    tf.dispose([q, k, v, kpm]);
  });

  it('leaves no tensors behind after forward + backward except the gradients', () => {
    manualSeed(7);
    const m = new MultiheadAttention(8, 2, { dropout: 0.1 });
    const x = randn([2, 5, 8], 11);
    const mem = randn([2, 3, 8], 12);
    const losses = [
      () => m.forward(x, x, x, { isCausal: true, keyPaddingMask: tf.zeros([2, 5], 'bool') })[0].sum(),
      () => m.forward(x, mem, mem, { attnMask: tf.zeros([4, 5, 3]) })[1]!.sum(),
      () => tf.add(m.forward(x, mem, x.slice([0, 0, 0], [2, 3, 8]), { needWeights: false })[0].sum(), 0),
    ];
    for (const loss of losses) {
      const before = tf.memory().numTensors;
      backward(loss, m);
      // one .grad per parameter the loss depends on (the weights do not depend on out_proj)
      expect(tf.memory().numTensors).toBe(before + m.parameters().filter((p) => p.grad !== null).length);
      expect(m.in_proj_weight!.grad).not.toBeNull();
      m.zeroGrad();
      const out = m.forward(x, x, x);
      tf.dispose([out[0], out[1]!]);
      expect(tf.memory().numTensors).toBe(before);
    }
    m.dispose();
    tf.dispose([x, mem]);
  });

  it('rejects bad arguments, naming the values', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow('MultiheadAttention: embedDim (10) must be divisible by numHeads (3)');
    expect(() => new MultiheadAttention(8, 2, { dropout: -1 })).toThrow(/dropout must be in \[0, 1\], got -1/);
    const m = new MultiheadAttention(8, 2, { kdim: 4 });
    const q = tf.zeros([2, 3, 8]);
    const k = tf.zeros([2, 5, 4]);
    const v = tf.zeros([2, 5, 8]);
    expect(() => m.forward(tf.zeros([2, 3, 6]), k, v)).toThrow(/MultiheadAttention: expected input \[\.\.\., 8\] \(query features = embedDim\), got shape \[2,3,6\]/);
    expect(() => m.forward(q, v, v)).toThrow(/expected input \[\.\.\., 4\] \(key features = kdim\), got shape \[2,5,8\]/);
    expect(() => m.forward(q, k, v, { keyPaddingMask: tf.zeros([2, 3], 'bool') })).toThrow(/expected keyPaddingMask of shape \[2,5\].*got \[2,3\]/);
    expect(() => m.forward(q, k, v, { attnMask: tf.zeros([3, 3], 'bool') })).toThrow(/expected attnMask of shape \[3,5\] or \[4,3,5\].*got \[3,3\]/);
    expect(() => m.forward(q, tf.zeros([2, 4, 4]), v)).toThrow(/key \[2,4,4\] and value \[2,5,8\] must agree/);
    expect(() => m.forward(q, tf.zeros([1, 5, 4]), tf.zeros([1, 5, 8]))).toThrow(/different batch sizes/);
    expect(() => m.forward(q, tf.zeros([5, 4]), tf.zeros([5, 8]))).toThrow(/query, key and value must have the same rank/);
    tf.dispose([q, k, v]);
    m.dispose();
  });
});
