/**
 * The fused LSTM/GRU sequence (backend/recurrent.ts, used by LSTM and GRU on cpu, wasm and torch)
 * against the composite per-step ops of LSTMCell/GRUCell unrolled over time with the same
 * weights: outputs, final states and every gradient (weights, inputs, initial states).
 */
import { tf, backward, manualSeed, Parameter } from '../index';
import { expectClose, expectNoLeak } from '../testing';
import { fusedOpsAvailable } from '../backend/raw';
import { LSTM, GRU, LSTMCell, GRUCell } from './rnn';

const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

interface Case {
  kind: 'LSTM' | 'GRU';
  B: number;
  T: number;
  I: number;
  H: number;
  layers: number;
  bidirectional: boolean;
  bias: boolean;
  states: boolean;
}

/** Copies layer weights (layer l, direction d) into a cell. */
function cellFor(c: Case, layer: LSTM | GRU, l: number, d: number): LSTMCell | GRUCell {
  const inSize = l === 0 ? c.I : c.H * (c.bidirectional ? 2 : 1);
  const cell = c.kind === 'LSTM' ? new LSTMCell(inSize, c.H, { bias: c.bias }) : new GRUCell(inSize, c.H, { bias: c.bias });
  const sd = layer.stateDict();
  const sfx = `_l${l}${d ? '_reverse' : ''}`;
  const cellSd: Record<string, tf.Tensor> = { weight_ih: sd[`weight_ih${sfx}`], weight_hh: sd[`weight_hh${sfx}`] };
  if (c.bias) Object.assign(cellSd, { bias_ih: sd[`bias_ih${sfx}`], bias_hh: sd[`bias_hh${sfx}`] });
  cell.loadStateDict(cellSd);
  return cell;
}

/** The layer's forward written as cell steps (the composite ops): [out [B, T, D*H], hN, cN]. */
function unrolled(c: Case, cells: Array<LSTMCell | GRUCell>, x: tf.Tensor, h0: tf.Tensor | null, c0: tf.Tensor | null): tf.Tensor[] {
  const D = c.bidirectional ? 2 : 1;
  // A single step is reshaped: TF.js backpropagates a one-output Unpack wrongly (see rnn.ts).
  let seq = c.T === 1 ? [x.reshape([c.B, c.I])] : tf.unstack(x, 1); // T x [B, in]
  const hs: tf.Tensor[] = [];
  const cs: tf.Tensor[] = [];
  for (let l = 0; l < c.layers; l++) {
    const dirs: tf.Tensor[][] = [];
    for (let d = 0; d < D; d++) {
      const idx = l * D + d;
      let h = h0 ? h0.gather(idx) : tf.zeros([c.B, c.H]);
      let cc = c0 ? c0.gather(idx) : tf.zeros([c.B, c.H]);
      const outs: tf.Tensor[] = new Array(c.T);
      for (let s = 0; s < c.T; s++) {
        const t = d === 0 ? s : c.T - 1 - s;
        if (c.kind === 'LSTM') [h, cc] = (cells[idx] as LSTMCell).forward(seq[t], [h, cc]);
        else h = (cells[idx] as GRUCell).forward(seq[t], h);
        outs[t] = h;
      }
      hs.push(h);
      cs.push(cc);
      dirs.push(outs);
    }
    seq = seq.map((_, t) => (D === 1 ? dirs[0][t] : tf.concat([dirs[0][t], dirs[1][t]], 1)));
  }
  return [tf.stack(seq, 1), tf.stack(hs), tf.stack(cs)];
}

function check(c: Case): void {
  manualSeed(7);
  const opts = { numLayers: c.layers, bidirectional: c.bidirectional, bias: c.bias };
  const layer = c.kind === 'LSTM' ? new LSTM(c.I, c.H, opts) : new GRU(c.I, c.H, opts);
  const D = c.bidirectional ? 2 : 1;
  const cells: Array<LSTMCell | GRUCell> = [];
  for (let l = 0; l < c.layers; l++) for (let d = 0; d < D; d++) cells.push(cellFor(c, layer, l, d));
  const x = new Parameter(randn([c.B, c.T, c.I], 1));
  const h0 = c.states ? new Parameter(randn([c.layers * D, c.B, c.H], 2)) : null;
  const c0 = c.states && c.kind === 'LSTM' ? new Parameter(randn([c.layers * D, c.B, c.H], 3)) : null;
  const rOut = randn([c.B, c.T, D * c.H], 4);
  const rH = randn([c.layers * D, c.B, c.H], 5);
  const rC = randn([c.layers * D, c.B, c.H], 6);
  const inputs = [x, ...(h0 ? [h0] : []), ...(c0 ? [c0] : [])];

  const fusedRun = (): tf.Tensor[] => {
    if (c.kind === 'LSTM') {
      const [out, [hN, cN]] = (layer as LSTM).forward(x.data, h0 && c0 ? [h0.data, c0.data] : null);
      return [out, hN, cN];
    }
    const [out, hN] = (layer as GRU).forward(x.data, h0 ? h0.data : null);
    return [out, hN];
  };
  const compositeRun = () => unrolled(c, cells, x.data, h0 ? h0.data : null, c0 ? c0.data : null);
  const loss = (outs: tf.Tensor[]) => tf.addN(outs.map((o, i) => tf.sum(tf.mul(o, [rOut, rH, rC][i]))));

  tf.tidy(() => {
    const f = fusedRun();
    const e = compositeRun();
    f.forEach((t, i) => expectClose(t, e[i], { rtol: 1e-5, atol: 1e-6, what: `${c.kind} output ${i}` }));
  });
  backward(() => loss(fusedRun()), [...layer.parameters(), ...inputs]);
  const fusedGrads = [...layer.parameters(), ...inputs].map((p) => p.grad!.clone());
  [...layer.parameters(), ...inputs].forEach((p) => p.zeroGrad());
  const cellParams = cells.flatMap((cell) => cell.parameters());
  backward(() => loss(compositeRun().slice(0, c.kind === 'LSTM' ? 3 : 2)), [...cellParams, ...inputs]);
  // The layer's parameters are, per layer and direction, w_ih, w_hh, b_ih, b_hh: as the cells'.
  const expected = [...cellParams, ...inputs].map((p) => p.grad!);
  fusedGrads.forEach((g, i) => expectClose(g, expected[i], { rtol: 1e-4, atol: 1e-5, what: `${c.kind} gradient ${i}` }));
  fusedGrads.forEach((g) => g.dispose());
  layer.dispose();
  cells.forEach((cell) => cell.dispose());
  inputs.forEach((p) => p.dispose());
  [rOut, rH, rC].forEach((t) => t.dispose());
}

describe('fused LSTM/GRU sequences', () => {
  it(`run on this backend (${tf.getBackend()}) when it keeps tensors in host memory`, () => {
    expect(fusedOpsAvailable()).toBe(['cpu', 'wasm', 'torch'].includes(tf.getBackend()));
  });

  const base: Omit<Case, 'kind'> = { B: 3, T: 5, I: 4, H: 6, layers: 1, bidirectional: false, bias: true, states: false };
  for (const kind of ['LSTM', 'GRU'] as const) {
    it(`${kind} equals the unrolled cells (values and gradients)`, () => check({ kind, ...base }));
    it(`${kind} with given states, 2 layers, bidirectional`, () => check({ kind, ...base, layers: 2, bidirectional: true, states: true }));
    it(`${kind} without bias, one step, batch 1`, () => check({ kind, ...base, bias: false, T: 1, B: 1, states: true }));
  }

  it('leaks no tensor (forward and backward)', () => {
    const lstm = new LSTM(4, 6);
    const gru = new GRU(4, 6, { bidirectional: true });
    const x = randn([2, 3, 4], 1);
    expectNoLeak(() => {
      backward(() => tf.add(tf.sum(lstm.forward(x)[0]), tf.sum(gru.forward(x)[0])), [...lstm.parameters(), ...gru.parameters()]);
      [...lstm.parameters(), ...gru.parameters()].forEach((p) => p.zeroGrad());
    });
    lstm.dispose();
    gru.dispose();
    x.dispose();
  });

  it('handles zero time steps', () => {
    const lstm = new LSTM(4, 6);
    const [out, [hN]] = lstm.forward(tf.zeros([2, 0, 4]));
    expect(out.shape).toEqual([2, 0, 6]);
    expectClose(hN, tf.zeros([1, 2, 6]));
    lstm.dispose();
  });
});
