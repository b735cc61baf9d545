import { tf, backward, gradcheck, manualSeed, io } from '../index';
import { loadFixture, expectClose, expectNoLeak } from '../testing';
import { checkAgainstTorch, Config, FIXTURES as DIR, randn, Tensors } from '../../fixtures/nn_recurrent/harness';
import { Module } from './module';
import { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell } from './rnn';

/** torch kwargs (snake_case) -> our options (camelCase), without the positional sizes. */
function options(cfg: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(cfg))
    if (k !== 'input_size' && k !== 'hidden_size') out[k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = v;
  return out;
}


const buildRNN = (cfg: Config) => new RNN(cfg.input_size as number, cfg.hidden_size as number, options(cfg));
const buildLSTM = (cfg: Config) => new LSTM(cfg.input_size as number, cfg.hidden_size as number, options(cfg));
const buildGRU = (cfg: Config) => new GRU(cfg.input_size as number, cfg.hidden_size as number, options(cfg));

const runH = (m: Module, t: Tensors): Tensors => {
  const [out, hN] = (m as RNN | GRU).forward(t.x, t.h0 ?? null, t.lengths ? { lengths: t.lengths } : {});
  return { out, hN };
};
const runLSTM = (m: Module, t: Tensors): Tensors => {
  const [out, [hN, cN]] = (m as LSTM).forward(t.x, t.h0 ? [t.h0, t.c0] : null, t.lengths ? { lengths: t.lengths } : {});
  return { out, hN, cN };
};

describe('RNN, LSTM, GRU match torch.nn (outputs, input and parameter gradients)', () => {
  it('RNN tanh, 2 layers, bidirectional, with h0', () => checkAgainstTorch('rnn_tanh_2l_bi', buildRNN, runH, ['x', 'h0']));
  it('RNN relu without bias', () => checkAgainstTorch('rnn_relu_nobias', buildRNN, runH, ['x']));
  it('LSTM, 2 layers, bidirectional, with h0 and c0', () => checkAgainstTorch('lstm_2l_bi', buildLSTM, runLSTM, ['x', 'h0', 'c0']));
  it('GRU, 1 layer', () => checkAgainstTorch('gru_1l', buildGRU, runH, ['x']));
  it('GRU, 2 layers, bidirectional, with h0', () => checkAgainstTorch('gru_2l_bi', buildGRU, runH, ['x', 'h0']));
  it('LSTM with lengths equals torch packed sequences (2 layers, bidirectional)', () =>
    checkAgainstTorch('lstm_packed', buildLSTM, runLSTM, ['x', 'h0', 'c0']));
  it('GRU with lengths equals torch packed sequences (bidirectional)', () => checkAgainstTorch('gru_packed', buildGRU, runH, ['x']));
  it('RNN with lengths equals torch packed sequences', () => checkAgainstTorch('rnn_packed', buildRNN, runH, ['x']));

  it('batchFirst false takes and returns [time, batch, features]', () => {
    const f = loadFixture(DIR, 'gru_2l_bi');
    const cfg = f.meta.config as Config;
    const m = new GRU(4, 3, { ...options(cfg), batchFirst: false });
    const sd: Tensors = {};
    for (const [k, v] of Object.entries(f.tensors)) if (k.startsWith('sd.')) sd[k.slice(3)] = v;
    m.loadStateDict(sd);
    tf.tidy(() => {
      const [out, hN] = m.forward(f.tensors.x.transpose([1, 0, 2]), f.tensors.h0);
      expectClose(out, f.tensors.out.transpose([1, 0, 2]));
      expectClose(hN, f.tensors.hN);
    });
    m.dispose();
    f.dispose();
  });
});

describe('recurrent backward at every sequence length', () => {
  // Lengths whose steps (or last chunk of steps) are a single row: 1, and T > 16 with T mod ⌈√T⌉ = 1.
  it.each([1, 2, 21, 31])('LSTM input and parameter gradients equal an LSTMCell loop with the same weights (T = %i)', (T) => {
    manualSeed(3);
    const layer = new LSTM(3, 4);
    const cell = new LSTMCell(3, 4);
    const sd = layer.stateDict();
    cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
    const x = tf.randomNormal([2, T, 3], 0, 1, 'float32', T);
    const loop = (xx: tf.Tensor) => {
      let h = tf.zeros([2, 4]);
      let c = tf.zeros([2, 4]);
      let total = tf.scalar(0);
      for (let t = 0; t < T; t++) {
        [h, c] = cell.forward(xx.slice([0, t, 0], [2, 1, 3]).reshape([2, 3]), [h, c]);
        total = total.add(h.mul(t + 1).sum());
      }
      return total;
    };
    const weights = tf.range(1, T + 1).reshape([1, T, 1]);
    const viaLayer = (xx: tf.Tensor) => (layer.forward(xx)[0] as tf.Tensor).mul(weights).sum();
    const gLayer = tf.grad(viaLayer)(x);
    const gLoop = tf.grad(loop)(x);
    expectClose(gLayer, gLoop, { rtol: 1e-4, atol: 1e-5 });
    const lossLayer = backward(() => viaLayer(x), layer);
    const lossCell = backward(() => loop(x), cell);
    // float32 sums of ~T² terms: compare relatively (|loss| reaches several hundred at T = 31)
    expect(Math.abs(lossLayer - lossCell)).toBeLessThanOrEqual(1e-5 * Math.abs(lossCell) + 1e-6);
    expectClose(layer.namedParameters().find(([n]) => n === 'weight_hh_l0')![1].grad!, cell.namedParameters().find(([n]) => n === 'weight_hh')![1].grad!, { rtol: 1e-4, atol: 1e-5 });
    tf.dispose([x, weights, gLayer, gLoop]);
    layer.dispose();
    cell.dispose();
  });
});

describe('cells match torch.nn', () => {
  const build = (C: typeof RNNCell | typeof GRUCell | typeof LSTMCell) => (cfg: Config) => new C(cfg.input_size as number, cfg.hidden_size as number);
  it('RNNCell', () => checkAgainstTorch('rnn_cell', build(RNNCell), (m, t) => ({ h1: (m as RNNCell).forward(t.x, t.h) }), ['x', 'h']));
  it('GRUCell', () => checkAgainstTorch('gru_cell', build(GRUCell), (m, t) => ({ h1: (m as GRUCell).forward(t.x, t.h) }), ['x', 'h']));
  it('LSTMCell', () =>
    checkAgainstTorch(
      'lstm_cell',
      build(LSTMCell),
      (m, t) => {
        const [h1, c1] = (m as LSTMCell).forward(t.x, [t.h, t.c]);
        return { h1, c1 };
      },
      ['x', 'h', 'c'],
    ));

  it('cells expose torch attribute names; RNNCell relu without bias computes relu(W_ih x + W_hh h)', () => {
    const c = new RNNCell(3, 2, { nonlinearity: 'relu', bias: false });
    expect(Object.keys(c.stateDict())).toEqual(['weight_ih', 'weight_hh']);
    expect(c.bias_ih).toBeNull();
    expect(c.bias_hh).toBeNull();
    c.weight_ih.assign(tf.tensor2d([[1, 0, 0], [0, -1, 0]]));
    c.weight_hh.assign(tf.tensor2d([[0.5, 0], [0, 0.5]]));
    tf.tidy(() => expectClose(c.forward(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[1, 1]])), [1.5, 0], { rtol: 0, atol: 1e-6 }));
    const l = new LSTMCell(3, 2);
    expect([l.weight_ih.shape, l.weight_hh.shape, l.bias_ih!.shape, l.bias_hh!.shape]).toEqual([[8, 3], [8, 2], [8], [8]]);
    expect(() => new RNNCell(3, 2, { nonlinearity: 'gelu' as 'relu' })).toThrow(/RNNCell: nonlinearity must be 'tanh' or 'relu', got 'gelu'/);
    c.dispose();
    l.dispose();
  });

  it('cells accept unbatched input and default to zero states', () => {
    manualSeed(3);
    const cell = new LSTMCell(4, 3);
    const x = randn([4], 1);
    tf.tidy(() => {
      const [h, c] = cell.forward(x);
      const [hb, cb] = cell.forward(x.expandDims(0), [tf.zeros([1, 3]), tf.zeros([1, 3])]);
      expect(h.shape).toEqual([3]);
      expectClose(h, hb.squeeze([0]));
      expectClose(c, cb.squeeze([0]));
    });
    cell.dispose();
    x.dispose();
  });
});

describe('recurrent layers: shapes, state dicts, options', () => {
  it('names parameters like PyTorch, in its order, with its shapes', () => {
    const m = new LSTM(5, 3, { numLayers: 2, bidirectional: true });
    const sd = m.stateDict();
    const names: string[] = [];
    for (let l = 0; l < 2; l++)
      for (const sfx of ['', '_reverse']) for (const w of ['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh']) names.push(`${w}_l${l}${sfx}`);
    expect(Object.keys(sd)).toEqual(names);
    expect(sd.weight_ih_l0.shape).toEqual([12, 5]);
    expect(sd.weight_ih_l1_reverse.shape).toEqual([12, 6]);
    expect(sd.weight_hh_l1.shape).toEqual([12, 3]);
    expect(sd.bias_hh_l0_reverse.shape).toEqual([12]);
    expect(m.allWeights[3].map((p) => p.name)).toEqual(['weight_ih_l1_reverse', 'weight_hh_l1_reverse', 'bias_ih_l1_reverse', 'bias_hh_l1_reverse']);
    const g = new GRU(2, 4, { bias: false });
    expect(Object.keys(g.stateDict())).toEqual(['weight_ih_l0', 'weight_hh_l0']);
    expect(g.numParameters()).toEqual(12 * 2 + 12 * 4);
    m.dispose();
    g.dispose();
  });

  it('initialises every parameter from U(±1/√hiddenSize)', () => {
    manualSeed(0);
    const m = new GRU(6, 4, { numLayers: 2 });
    for (const p of m.parameters()) {
      const v = p.data.dataSync();
      expect(Math.max(...v)).toBeLessThanOrEqual(0.5);
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.5);
      expect(Math.max(...v) - Math.min(...v)).toBeGreaterThan(0.5);
    }
    m.dispose();
  });

  it('round-trips its state dict through safetensors into a fresh layer', () => {
    manualSeed(1);
    const a = new LSTM(4, 3, { numLayers: 2, bidirectional: true });
    manualSeed(2);
    const b = new LSTM(4, 3, { numLayers: 2, bidirectional: true });
    const bytes = io.serializeSafetensors(a.stateDict());
    const parsed = io.parseSafetensors(bytes);
    b.loadStateDict(parsed.tensors);
    Object.values(parsed.tensors).forEach((t) => t.dispose());
    const x = randn([2, 5, 4], 2);
    tf.tidy(() => {
      const [ya, [ha, ca]] = a.forward(x);
      const [yb, [hb, cb]] = b.forward(x);
      expectClose(yb, ya, { rtol: 0, atol: 0 });
      expectClose(hb, ha, { rtol: 0, atol: 0 });
      expectClose(cb, ca, { rtol: 0, atol: 0 });
    });
    a.dispose();
    b.dispose();
    x.dispose();
  });

  it('returns PyTorch shapes for batched and unbatched input', () => {
    manualSeed(4);
    const m = new GRU(4, 3, { numLayers: 3, bidirectional: true });
    const x = randn([2, 7, 4], 3);
    tf.tidy(() => {
      const [y, h] = m.forward(x);
      expect(y.shape).toEqual([2, 7, 6]);
      expect(h.shape).toEqual([6, 2, 3]);
      // the last output step of the forward direction is its final state (top layer)
      expectClose(y.slice([0, 6, 0], [2, 1, 3]).reshape([2, 3]), h.slice([4, 0, 0], [1, 2, 3]).reshape([2, 3]));
      // and the first output step of the reverse direction is the reverse final state
      expectClose(y.slice([0, 0, 3], [2, 1, 3]).reshape([2, 3]), h.slice([5, 0, 0], [1, 2, 3]).reshape([2, 3]));
      const [yu, hu] = m.forward(x.slice([1, 0, 0], [1, 7, 4]).reshape([7, 4]));
      expect(yu.shape).toEqual([7, 6]);
      expect(hu.shape).toEqual([6, 3]);
      expectClose(yu, y.slice([1, 0, 0], [1, 7, 6]).reshape([7, 6]));
      expectClose(hu, h.slice([0, 1, 0], [6, 1, 3]).reshape([6, 3]));
    });
    m.dispose();
    x.dispose();
  });

  it('long sequences (chunked time split) equal stepping the matching cell', () => {
    manualSeed(11);
    const T = 23;
    const m = new LSTM(3, 4);
    const cell = new LSTMCell(3, 4);
    const sd = m.stateDict();
    cell.loadStateDict({ weight_ih: sd.weight_ih_l0, weight_hh: sd.weight_hh_l0, bias_ih: sd.bias_ih_l0, bias_hh: sd.bias_hh_l0 });
    const x = randn([2, T, 3], 21);
    tf.tidy(() => {
      const [y, [hN, cN]] = m.forward(x, null, { lengths: [T, 17] });
      let h = tf.zeros([2, 4]);
      let c = tf.zeros([2, 4]);
      const steps: tf.Tensor[] = [];
      for (let t = 0; t < T; t++) {
        [h, c] = cell.forward(x.slice([0, t, 0], [2, 1, 3]).reshape([2, 3]), [h, c]);
        steps.push(h);
        if (t === 16) expectClose(hN.slice([0, 1, 0], [1, 1, 4]).reshape([4]), h.slice([1, 0], [1, 4]).reshape([4]));
      }
      expectClose(y.slice([0, 0, 0], [1, T, 4]).reshape([T, 4]), tf.stack(steps, 1).slice([0, 0, 0], [1, T, 4]).reshape([T, 4]));
      expectClose(hN.slice([0, 0, 0], [1, 1, 4]).reshape([4]), h.slice([0, 0], [1, 4]).reshape([4]));
      expectClose(cN.slice([0, 0, 0], [1, 1, 4]).reshape([4]), c.slice([0, 0], [1, 4]).reshape([4]));
      expectClose(y.slice([1, 0, 0], [1, 17, 4]), tf.stack(steps, 1).slice([1, 0, 0], [1, 17, 4]));
    });
    m.dispose();
    cell.dispose();
    x.dispose();
  });

  it('full lengths equal no lengths; a padded sequence equals its unpadded run', () => {
    manualSeed(5);
    const m = new LSTM(3, 2, { bidirectional: true });
    const x = randn([2, 6, 3], 4);
    tf.tidy(() => {
      const [y0, [h0]] = m.forward(x);
      const [y1, [h1]] = m.forward(x, null, { lengths: [6, 6] });
      expectClose(y1, y0, { rtol: 0, atol: 0 });
      expectClose(h1, h0, { rtol: 0, atol: 0 });
      const [yp, [hp]] = m.forward(x, null, { lengths: tf.tensor1d([6, 4], 'int32') });
      const [ys, [hs]] = m.forward(x.slice([1, 0, 0], [1, 4, 3]));
      expectClose(yp.slice([1, 0, 0], [1, 4, 4]), ys);
      expectClose(yp.slice([1, 4, 0], [1, 2, 4]), tf.zeros([1, 2, 4]), { rtol: 0, atol: 0 });
      expectClose(hp.slice([0, 1, 0], [2, 1, 2]), hs);
    });
    m.dispose();
    x.dispose();
  });

  it('applies dropout between layers in training only, reproducibly under manualSeed', () => {
    manualSeed(6);
    const m = new GRU(3, 4, { numLayers: 2, dropout: 0.5 });
    const single = new GRU(3, 4, { dropout: 0.5 });
    const x = randn([2, 5, 3], 5);
    tf.tidy(() => {
      m.eval();
      const [yEval] = m.forward(x);
      m.train();
      manualSeed(7);
      const [yA] = m.forward(x);
      manualSeed(7);
      const [yB] = m.forward(x);
      expectClose(yB, yA, { rtol: 0, atol: 0 });
      expect(tf.abs(tf.sub(yA, yEval)).max().dataSync()[0]).toBeGreaterThan(1e-3);
      // no dropout after the last layer
      const [s1] = single.forward(x);
      single.eval();
      const [s2] = single.forward(x);
      expectClose(s1, s2, { rtol: 0, atol: 0 });
    });
    m.dispose();
    single.dispose();
    x.dispose();
  });
});

describe('recurrent layers: gradients and memory', () => {
  it('passes gradcheck on tiny LSTM with lengths (input, h0, c0, weights)', () => {
    manualSeed(8);
    const m = new LSTM(2, 2, { bidirectional: true });
    const x = randn([2, 3, 2], 6);
    const h0 = randn([2, 2, 2], 7);
    const c0 = randn([2, 2, 2], 8);
    const res = gradcheck(
      (xi, hi, ci) => {
        const [y, [h, c]] = m.forward(xi, [hi, ci], { lengths: [3, 2] });
        return tf.concat([y.reshape([-1]), h.reshape([-1]), c.reshape([-1])]);
      },
      [x, h0, c0, ...m.parameters()],
    );
    expect(res.ok).toBe(true);
    expect(res.checked).toBeGreaterThan(50);
    m.dispose();
    tf.dispose([x, h0, c0]);
  });

  it('passes gradcheck on a tiny 2-layer GRU and relu RNN', () => {
    manualSeed(9);
    const g = new GRU(2, 2, { numLayers: 2 });
    const r = new RNN(2, 3, { nonlinearity: 'relu' });
    const x = randn([1, 3, 2], 9);
    expect(gradcheck((xi) => g.forward(xi)[0], [x, ...g.parameters()]).ok).toBe(true);
    expect(gradcheck((xi) => r.forward(xi)[1], [x, ...r.parameters()]).ok).toBe(true);
    g.dispose();
    r.dispose();
    x.dispose();
  });

  it('leaves no tensors behind after forward + backward except the gradients', () => {
    manualSeed(10);
    const lstm = new LSTM(3, 4, { numLayers: 2, bidirectional: true, dropout: 0.2 });
    const gru = new GRU(3, 4, { bidirectional: true });
    const rnn = new RNN(3, 4);
    const cell = new GRUCell(3, 4);
    const x = randn([2, 5, 3], 10);
    const cases: Array<[Module, () => tf.Tensor]> = [
      [lstm, () => lstm.forward(x, null, { lengths: [5, 2] })[1][1].sum()],
      [gru, () => gru.forward(x, null, { lengths: [3, 5] })[0].sum()],
      [rnn, () => rnn.forward(x)[0].sum()],
      [cell, () => cell.forward(x.slice([0, 0, 0], [2, 1, 3]).reshape([2, 3])).sum()],
    ];
    for (const [m, loss] of cases) {
      const n = m.parameters().length;
      const before = tf.memory().numTensors;
      backward(loss, m);
      expect(tf.memory().numTensors).toBe(before + n); // exactly one .grad per parameter
      expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
      m.zeroGrad();
      expect(tf.memory().numTensors).toBe(before);
      expectNoLeak(() => tf.dispose(tf.tidy(loss)));
      m.dispose();
    }
    x.dispose();
  });
});

describe('recurrent layers: errors', () => {
  it('names the layer and both shapes on a wrong feature size', () => {
    const m = new LSTM(4, 3);
    expect(() => m.forward(tf.zeros([2, 5, 6]))).toThrow(/LSTM: expected input \[\.\.\., 4\] \(features\), got shape \[2,5,6\]/);
    expect(() => m.forward(tf.zeros([2, 2, 5, 4]))).toThrow(/LSTM: expected a 2 or 3-D input \[batch, time, features\], got shape \[2,2,5,4\]/);
    expect(() => m.forward(tf.zeros([2, 5, 4]), [tf.zeros([1, 3, 3]), tf.zeros([1, 2, 3])])).toThrow(/LSTM: expected h0 of shape \[1,2,3\], got \[1,3,3\]/);
    expect(() => m.forward(tf.zeros([2, 5, 4]), null, { lengths: [5] })).toThrow(/lengths has 1 entries for a batch of 2/);
    expect(() => m.forward(tf.zeros([2, 5, 4]), null, { lengths: [5, 6] })).toThrow(/lengths must be integers in \[0, 5\]/);
    const c = new GRUCell(4, 3);
    expect(() => c.forward(tf.zeros([2, 3]))).toThrow(/GRUCell: expected input \[\.\.\., 4\] \(features\), got shape \[2,3\]/);
    expect(() => c.forward(tf.zeros([2, 4]), tf.zeros([3, 3]))).toThrow(/GRUCell: expected h of shape \[2,3\], got \[3,3\]/);
    m.dispose();
    c.dispose();
  });

  it('rejects bad constructor options', () => {
    expect(() => new RNN(4, 3, { nonlinearity: 'sigmoid' as 'tanh' })).toThrow(/nonlinearity must be 'tanh' or 'relu', got 'sigmoid'/);
    expect(() => new GRU(4, 0)).toThrow(/GRU: hiddenSize must be a positive integer, got 0/);
    expect(() => new LSTM(4, 3, { numLayers: 1.5 })).toThrow(/numLayers must be a positive integer/);
    expect(() => new LSTM(4, 3, { dropout: 1.5 })).toThrow(/dropout must be in \[0, 1\], got 1.5/);
  });
});
