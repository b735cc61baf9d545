/**
 * Recurrent layers after torch.nn.RNN / LSTM / GRU and their cells. Parameters carry PyTorch's
 * names and layouts (`weight_ih_l{k}[_reverse]` [gates*H, in], `weight_hh_l{k}` [gates*H, H],
 * `bias_ih_l{k}`, `bias_hh_l{k}`; gate order LSTM i,f,g,o and GRU r,z,n), so a PyTorch state dict
 * loads unchanged. B=batch, T=time, H=hiddenSize, G=gates per layer, D=directions, L=numLayers.
 *
 * Each layer and direction projects the inputs of all time steps with one matMul, then loops over
 * time for the recurrent part only. On host-memory backends (cpu, wasm, torch on its cpu device)
 * an LSTM or GRU layer without padded steps runs that loop as one fused op (backend/recurrent.ts),
 * as does an LSTM or GRU on a backend with native kernels for it (torch); elsewhere, and with `lengths`,
 * it runs the per-step ops below (same values).
 */
import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';
import { dropout } from '../functional/activations';
import { Module } from './module';
import { uniform } from './init';
import { checkPositiveInt } from './linear';
import { checkLastDim, checkRank } from './shape';
import { fusedOpsAvailable } from '../backend/raw';
import { gruSequence, hasNativeGru, hasNativeLstm, lstmSequence } from '../backend/recurrent';

export type RNNNonlinearity = 'tanh' | 'relu';

export interface RNNBaseOptions {
  /** Number of stacked layers; layer k > 0 reads the output of layer k-1. Default 1. */
  numLayers?: number;
  /** Learn `bias_ih` and `bias_hh`. Default true. */
  bias?: boolean;
  /** Sequences are [batch, time, features] when true (default), [time, batch, features] when false. */
  batchFirst?: boolean;
  /** Dropout probability on the output of every layer but the last, in training mode only. Default 0. */
  dropout?: number;
  /** Add a time-reversed pass per layer; outputs are [forward, reverse] concatenated. Default false. */
  bidirectional?: boolean;
}

export interface RNNOptions extends RNNBaseOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

export interface RNNForwardOptions {
  /**
   * Number of valid time steps of each sequence (one integer per batch element, 0..T), like
   * `pack_padded_sequence(..., enforce_sorted=False)`: steps past a sequence's length leave its
   * state unchanged (the reverse direction starts at its last valid step), and their outputs are
   * zero, as `pad_packed_sequence(..., total_length=T)` returns them.
   */
  lengths?: ArrayLike<number> | tf.Tensor;
}

const RNN_DEFAULTS = { numLayers: 1, bias: true, batchFirst: true, dropout: 0, bidirectional: false, nonlinearity: 'tanh' as RNNNonlinearity };

/** Defaults overridden by the options the caller set (undefined leaves the default); the caller's object is not mutated. */
function withDefaults<D extends object>(defaults: D, opts: object): D {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as D;
}

/** The weights of one layer and direction (or of a cell). */
interface RecurrentWeights {
  wih: Parameter; // [G*H, in]
  whh: Parameter; // [G*H, H]
  bih: Parameter | null; // [G*H]
  bhh: Parameter | null; // [G*H]
}

type Kind = 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';

const GATES: Record<Kind, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/**
 * Per-gate row blocks of one layer/direction's PyTorch weights, made once per forward. Working
 * gate by gate keeps every per-step tensor a whole [B, H] block: slicing gates out of a [B, G*H]
 * product at each step would copy strided columns, which TF.js's cpu backend does element by
 * element.
 */
interface GateWeights {
  wih: tf.Tensor[]; // G x [H, in]
  whh: tf.Tensor[]; // G x [H, H]
  /** Added to the input projection: b_ih + b_hh, except GRU's n gate (b_in only). */
  bias: Array<tf.Tensor | null>; // G x [H]
  /** GRU's b_hn, which sits inside r * (W_hn h + b_hn). */
  bhn: tf.Tensor | null;
}

function gateWeights(kind: Kind, w: RecurrentWeights): GateWeights {
  const G = GATES[kind];
  const blocks = (p: Parameter | null): Array<tf.Tensor | null> => (p ? (G === 1 ? [p.data] : tf.split(p.data, G, 0)) : new Array(G).fill(null));
  const bih = blocks(w.bih);
  const bhh = blocks(w.bhh);
  const inner = kind === 'GRU' ? 2 : -1; // the gate whose b_hh cannot be folded into the input side
  const bias = bih.map((b, g) => {
    const hb = g === inner ? null : bhh[g];
    return b && hb ? tf.add(b, hb) : b ?? hb;
  });
  return { wih: blocks(w.wih) as tf.Tensor[], whh: blocks(w.whh) as tf.Tensor[], bias, bhn: inner >= 0 ? bhh[inner] : null };
}

/** Input projection of all rows at once, per gate: [N, in] -> G x [N, H] (x W_gᵀ + b_g). */
function project(x: tf.Tensor, g: GateWeights): tf.Tensor[] {
  return g.wih.map((w, i) => {
    const y = tf.matMul(x, w, false, true);
    const b = g.bias[i];
    return b ? tf.add(y, b) : y;
  });
}

/**
 * One recurrent step from the projected inputs xp (G x [B, H]) and the state h (c for LSTM)
 * [B, H]. Returns the new [h, c] (c null except for LSTM).
 */
function step(kind: Kind, xp: tf.Tensor[], h: tf.Tensor, c: tf.Tensor | null, g: GateWeights): [tf.Tensor, tf.Tensor | null] {
  const pre = (k: number) => tf.add(xp[k], tf.matMul(h, g.whh[k], false, true)); // [B, H]
  switch (kind) {
    case 'RNN_TANH':
      return [tf.tanh(pre(0)), null];
    case 'RNN_RELU':
      return [tf.relu(pre(0)), null];
    case 'LSTM': {
      const c2 = tf.add(tf.mul(tf.sigmoid(pre(1)), c!), tf.mul(tf.sigmoid(pre(0)), tf.tanh(pre(2)))); // f*c + i*g
      return [tf.mul(tf.sigmoid(pre(3)), tf.tanh(c2)), c2]; // o * tanh(c')
    }
    case 'GRU': {
      const r = tf.sigmoid(pre(0));
      const z = tf.sigmoid(pre(1));
      const hn = tf.matMul(h, g.whh[2], false, true);
      const n = tf.tanh(tf.add(xp[2], tf.mul(r, g.bhn ? tf.add(hn, g.bhn) : hn))); // PyTorch: r gates (W_hn h + b_hn)
      return [tf.add(n, tf.mul(z, tf.sub(h, n))), null]; // (1 - z) n + z h
    }
  }
}

/**
 * tf.unstack along axis 0 in two levels: √T chunks, then the steps of each. TF.js 4.22's wasm
 * Unpack and SplitV copy their whole input for every output, so a flat unstack of T steps costs
 * T times the tensor; two levels cost about 2√T times. Same values on every backend.
 */
function unstackSteps(x: tf.Tensor): tf.Tensor[] {
  const T = x.shape[0] as number;
  if (T <= 16) return unstackRows(x);
  const c = Math.ceil(Math.sqrt(T));
  const sizes: number[] = [];
  for (let t = 0; t < T; t += c) sizes.push(Math.min(c, T - t));
  return tf.split(x, sizes, 0).flatMap((chunk) => unstackRows(chunk));
}

/**
 * tf.unstack along axis 0, except that a single row is reshaped: TF.js hands the gradient of a
 * one-output Unpack to its backward as a bare tensor, which then fails in `stack` (sequences of
 * length 1, or a last chunk of one step).
 */
function unstackRows(x: tf.Tensor): tf.Tensor[] {
  return x.shape[0] === 1 ? [x.reshape(x.shape.slice(1))] : tf.unstack(x);
}

function newWeights(owner: Module, suffix: string, gates: number, inputSize: number, hiddenSize: number, bias: boolean): RecurrentWeights {
  // PyTorch initialises every recurrent weight and bias from U(±1/√H).
  const k = 1 / Math.sqrt(hiddenSize);
  const param = (shape: number[]) => new Parameter(uniform(shape, -k, k));
  return {
    wih: owner.registerParameter(`weight_ih${suffix}`, param([gates * hiddenSize, inputSize])),
    whh: owner.registerParameter(`weight_hh${suffix}`, param([gates * hiddenSize, hiddenSize])),
    bih: bias ? owner.registerParameter(`bias_ih${suffix}`, param([gates * hiddenSize])) : null,
    bhh: bias ? owner.registerParameter(`bias_hh${suffix}`, param([gates * hiddenSize])) : null,
  };
}

function checkState(layer: Module, what: string, t: tf.Tensor, expected: number[]): void {
  if (!tf.util.arraysEqual(t.shape, expected))
    throw new Error(`${layer.typeName}: expected ${what} of shape [${expected}], got [${t.shape}]`);
}

/** Shared implementation of RNN, LSTM and GRU (torch.nn.RNNBase). */
abstract class RNNBase extends Module {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly numDirections: number;
  private readonly weights: RecurrentWeights[]; // index layer * D + direction

  protected constructor(
    private readonly kind: Kind,
    readonly inputSize: number,
    readonly hiddenSize: number,
    opts: RNNBaseOptions,
  ) {
    super();
    const o = withDefaults(RNN_DEFAULTS, opts);
    const name = kind.startsWith('RNN') ? 'RNN' : kind;
    checkPositiveInt(name, 'inputSize', inputSize);
    checkPositiveInt(name, 'hiddenSize', hiddenSize);
    checkPositiveInt(name, 'numLayers', o.numLayers);
    if (!(o.dropout >= 0 && o.dropout <= 1)) throw new Error(`${name}: dropout must be in [0, 1], got ${o.dropout}`);
    this.numLayers = o.numLayers;
    this.bias = o.bias;
    this.batchFirst = o.batchFirst;
    this.dropout = o.dropout;
    this.bidirectional = o.bidirectional;
    this.numDirections = o.bidirectional ? 2 : 1;
    this.weights = [];
    // Registration order is PyTorch's: per layer, per direction, w_ih, w_hh, b_ih, b_hh.
    for (let l = 0; l < this.numLayers; l++) {
      const layerInput = l === 0 ? inputSize : hiddenSize * this.numDirections;
      for (let d = 0; d < this.numDirections; d++)
        this.weights.push(newWeights(this, `_l${l}${d ? '_reverse' : ''}`, GATES[kind], layerInput, hiddenSize, this.bias));
    }
  }

  /** Parameters per layer and direction, [w_ih, w_hh, b_ih?, b_hh?] (torch's `all_weights`). */
  get allWeights(): Parameter[][] {
    return this.weights.map((w) => [w.wih, w.whh, ...(w.bih ? [w.bih, w.bhh!] : [])]);
  }

  /**
   * Runs every layer. x [B, T, in] (or [T, B, in] when !batchFirst, or unbatched [T, in]);
   * h0/c0 [L*D, B, H] ([L*D, H] unbatched). Returns output [B, T, D*H] and final states [L*D, B, H].
   */
  protected run(x: tf.Tensor, h0: tf.Tensor | null, c0: tf.Tensor | null, opts: RNNForwardOptions): { output: tf.Tensor; h: tf.Tensor; c: tf.Tensor | null } {
    checkRank(this, x, [2, 3], this.batchFirst ? '[batch, time, features]' : '[time, batch, features]');
    checkLastDim(this, x, this.inputSize);
    const unbatched = x.rank === 2;
    const xShape: number[] = x.shape;
    const T = unbatched ? xShape[0] : xShape[this.batchFirst ? 1 : 0];
    const B = unbatched ? 1 : xShape[this.batchFirst ? 0 : 1];
    const H = this.hiddenSize;
    const D = this.numDirections;
    const stateShape = unbatched ? [this.numLayers * D, H] : [this.numLayers * D, B, H];
    if (h0) checkState(this, 'h0', h0, stateShape);
    if (c0) checkState(this, 'c0', c0, stateShape);
    const lengths = opts.lengths === undefined ? null : this.checkLengths(opts.lengths, B, T);
    const lstm = this.kind === 'LSTM';

    const [output, h, c] = tf.tidy(() => {
      const x32 = x.dtype === 'float32' ? x : x.toFloat();
      // [B, T, in] | [T, B, in] | [T, in] -> [T, B, in]
      let seq = unbatched ? x32.expandDims(1) : this.batchFirst ? x32.transpose([1, 0, 2]) : x32;
      const hInit = h0 ? unstackRows(unbatched ? h0.expandDims(1) : h0) : null; // each [B, H]
      const cInit = c0 ? unstackRows(unbatched ? c0.expandDims(1) : c0) : null;
      const zeros = tf.zeros([B, H]) as tf.Tensor;
      // Masks only for steps some sequence has already ended at: keep [B, 1] is 1 where valid.
      let keep: tf.Tensor[] | null = null;
      let drop: tf.Tensor[] | null = null;
      let masked: boolean[] = [];
      if (lengths) {
        const m = new Float32Array(T * B);
        for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) m[t * B + b] = t < lengths[b] ? 1 : 0;
        const mt = tf.tensor3d(m, [T, B, 1]);
        keep = tf.unstack(mt) as tf.Tensor[];
        drop = tf.unstack(tf.sub(1, mt)) as tf.Tensor[];
        const minLen = Math.min(...lengths);
        masked = Array.from({ length: T }, (_, t) => t >= minLen);
      }
      const hs: tf.Tensor[] = [];
      const cs: tf.Tensor[] = [];
      const fused = !masked.some((m) => m) && ((this.kind === 'LSTM' && (fusedOpsAvailable() || hasNativeLstm())) || (this.kind === 'GRU' && (fusedOpsAvailable() || hasNativeGru())));
      for (let l = 0; l < this.numLayers; l++) {
        const inF = seq.shape[2] as number;
        const flat = seq.reshape([T * B, inF]) as tf.Tensor;
        const dirOutputs: tf.Tensor[] = [];
        for (let d = 0; d < D; d++) {
          const idx = l * D + d;
          if (fused) {
            const w = this.weights[idx];
            const GH = GATES[this.kind] * H;
            const xp = tf.matMul(flat, w.wih.data, false, true).reshape([T, B, GH]); // [T, B, G*H], biases in the fused op
            const bih = w.bih ? w.bih.data : tf.zeros([GH]);
            const bhh = w.bhh ? w.bhh.data : tf.zeros([GH]);
            const h = hInit ? (hInit[idx] as tf.Tensor) : zeros;
            if (lstm) {
              const [o, hN, cN] = lstmSequence(xp, h, cInit ? (cInit[idx] as tf.Tensor) : zeros, w.whh.data, bih, bhh, d === 1);
              cs.push(cN);
              hs.push(hN);
              dirOutputs.push(o);
            } else {
              const [o, hN] = gruSequence(xp, h, w.whh.data, bih, bhh, d === 1);
              hs.push(hN);
              dirOutputs.push(o);
            }
            continue;
          }
          const g = gateWeights(this.kind, this.weights[idx]);
          const xs = project(flat, g).map((p) => unstackSteps(p.reshape([T, B, H]))); // G x T x [B, H]
          let h = hInit ? (hInit[idx] as tf.Tensor) : zeros;
          let c = lstm ? (cInit ? (cInit[idx] as tf.Tensor) : zeros) : null;
          const outs: tf.Tensor[] = new Array(T);
          for (let s = 0; s < T; s++) {
            const t = d === 0 ? s : T - 1 - s;
            const [hNew, cNew] = step(this.kind, xs.map((x) => x[t]), h, c, g);
            if (masked[t]) {
              // Padded steps output 0 and carry the previous state through.
              outs[t] = tf.mul(hNew, keep![t]);
              h = tf.add(outs[t], tf.mul(h, drop![t]));
              if (c) c = tf.add(tf.mul(cNew!, keep![t]), tf.mul(c, drop![t]));
            } else {
              outs[t] = hNew;
              h = hNew;
              c = cNew;
            }
          }
          hs.push(h);
          if (c) cs.push(c);
          dirOutputs.push(tf.stack(outs)); // [T, B, H]
        }
        seq = D === 1 ? dirOutputs[0] : tf.concat(dirOutputs, 2); // [T, B, D*H]
        if (this.training && this.dropout > 0 && l < this.numLayers - 1) seq = dropout(seq, this.dropout, true);
      }
      const output = unbatched ? seq.squeeze([1]) : this.batchFirst ? seq.transpose([1, 0, 2]) : seq;
      const hN = tf.stack(hs); // [L*D, B, H]
      const cN = lstm ? tf.stack(cs) : null;
      const states = cN ? [hN, cN] : [hN];
      return [output, ...states.map((s) => (unbatched ? s.squeeze([1]) : s))];
    });
    return { output, h, c: c ?? null };
  }

  private checkLengths(lengths: ArrayLike<number> | tf.Tensor, B: number, T: number): number[] {
    const values = Array.from(lengths instanceof tf.Tensor ? lengths.dataSync() : lengths);
    if (values.length !== B) throw new Error(`${this.typeName}: lengths has ${values.length} entries for a batch of ${B}`);
    for (const v of values)
      if (!Number.isInteger(v) || v < 0 || v > T)
        throw new Error(`${this.typeName}: lengths must be integers in [0, ${T}] (the time dimension), got [${values}]`);
    return values;
  }
}

/**
 * Elman RNN (torch.nn.RNN): h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act tanh or relu.
 * `forward(x, h0?)` returns [output [B, T, D*H], hN [L*D, B, H]].
 */
export class RNN extends RNNBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? RNN_DEFAULTS.nonlinearity;
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu')
      throw new Error(`RNN: nonlinearity must be 'tanh' or 'relu', got '${nonlinearity}'`);
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  forward(x: tf.Tensor, h0?: tf.Tensor | null, opts: RNNForwardOptions = {}): [tf.Tensor, tf.Tensor] {
    const { output, h } = this.run(x, h0 ?? null, null, opts);
    return [output, h];
  }
}

/**
 * Long short-term memory (torch.nn.LSTM; Hochreiter & Schmidhuber, 1997), gates i,f,g,o.
 * `forward(x, [h0, c0]?)` returns [output [B, T, D*H], [hN, cN] each [L*D, B, H]].
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super('LSTM', inputSize, hiddenSize, opts);
  }

  forward(x: tf.Tensor, hx?: [tf.Tensor, tf.Tensor] | null, opts: RNNForwardOptions = {}): [tf.Tensor, [tf.Tensor, tf.Tensor]] {
    if (hx && (!Array.isArray(hx) || hx.length !== 2)) throw new Error('LSTM: hx must be a pair [h0, c0]');
    const { output, h, c } = this.run(x, hx ? hx[0] : null, hx ? hx[1] : null, opts);
    return [output, [h, c!]];
  }
}

/**
 * Gated recurrent unit (torch.nn.GRU; Cho et al., 2014), gates r,z,n with
 * n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). `forward(x, h0?)` returns [output, hN].
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNBaseOptions = {}) {
    super('GRU', inputSize, hiddenSize, opts);
  }

  forward(x: tf.Tensor, h0?: tf.Tensor | null, opts: RNNForwardOptions = {}): [tf.Tensor, tf.Tensor] {
    const { output, h } = this.run(x, h0 ?? null, null, opts);
    return [output, h];
  }
}

export interface RNNCellOptions {
  /** Learn `bias_ih` and `bias_hh`. Default true. */
  bias?: boolean;
  /** RNNCell only: 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** Shared implementation of the single-step cells (torch.nn.RNNCellBase). */
abstract class RNNCellBase extends Module {
  readonly bias: boolean;
  protected readonly w: RecurrentWeights;

  protected constructor(
    private readonly kind: Kind,
    readonly inputSize: number,
    readonly hiddenSize: number,
    opts: RNNCellOptions,
  ) {
    super();
    const name = kind.startsWith('RNN') ? 'RNNCell' : `${kind}Cell`;
    checkPositiveInt(name, 'inputSize', inputSize);
    checkPositiveInt(name, 'hiddenSize', hiddenSize);
    this.bias = opts.bias ?? true;
    this.w = newWeights(this, '', GATES[kind], inputSize, hiddenSize, this.bias);
  }

  get weight_ih(): Parameter {
    return this.w.wih;
  }

  get weight_hh(): Parameter {
    return this.w.whh;
  }

  get bias_ih(): Parameter | null {
    return this.w.bih;
  }

  get bias_hh(): Parameter | null {
    return this.w.bhh;
  }

  /** x [B, in] or unbatched [in]; states [B, H] or [H]. Returns the new [h, c] in x's batching. */
  protected cell(x: tf.Tensor, h0: tf.Tensor | null, c0: tf.Tensor | null): [tf.Tensor, tf.Tensor | null] {
    checkRank(this, x, [1, 2], '[batch, features]');
    checkLastDim(this, x, this.inputSize);
    const unbatched = x.rank === 1;
    const stateShape = unbatched ? [this.hiddenSize] : [x.shape[0], this.hiddenSize];
    if (h0) checkState(this, 'h', h0, stateShape);
    if (c0) checkState(this, 'c', c0, stateShape);
    const [h1, c1] = tf.tidy(() => {
      const batch = (t: tf.Tensor) => (unbatched ? t.expandDims(0) : t) as tf.Tensor;
      const x2 = batch(x.dtype === 'float32' ? x : x.toFloat()); // [B, in]
      const zeros = tf.zeros([x2.shape[0], this.hiddenSize]) as tf.Tensor;
      const h = h0 ? batch(h0) : zeros;
      const c = this.kind === 'LSTM' ? (c0 ? batch(c0) : zeros) : null;
      const g = gateWeights(this.kind, this.w);
      const [h1, c1] = step(this.kind, project(x2, g), h, c, g);
      const unbatch = (t: tf.Tensor) => (unbatched ? t.squeeze([0]) : t);
      return c1 ? [unbatch(h1), unbatch(c1)] : [unbatch(h1)];
    });
    return [h1, c1 ?? null];
  }
}

/** One Elman step (torch.nn.RNNCell): h' = act(W_ih x + b_ih + W_hh h + b_hh). */
export class RNNCell extends RNNCellBase {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? 'tanh';
    if (nonlinearity !== 'tanh' && nonlinearity !== 'relu')
      throw new Error(`RNNCell: nonlinearity must be 'tanh' or 'relu', got '${nonlinearity}'`);
    super(nonlinearity === 'tanh' ? 'RNN_TANH' : 'RNN_RELU', inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** x [B, in], h [B, H] (zeros when omitted) -> h' [B, H]. */
  forward(x: tf.Tensor, h?: tf.Tensor | null): tf.Tensor {
    return this.cell(x, h ?? null, null)[0];
  }
}

/** One LSTM step (torch.nn.LSTMCell): returns [h', c']. */
export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: Omit<RNNCellOptions, 'nonlinearity'> = {}) {
    super('LSTM', inputSize, hiddenSize, opts);
  }

  /** x [B, in], hx = [h, c] each [B, H] (zeros when omitted) -> [h', c']. */
  forward(x: tf.Tensor, hx?: [tf.Tensor, tf.Tensor] | null): [tf.Tensor, tf.Tensor] {
    if (hx && (!Array.isArray(hx) || hx.length !== 2)) throw new Error('LSTMCell: hx must be a pair [h, c]');
    const [h, c] = this.cell(x, hx ? hx[0] : null, hx ? hx[1] : null);
    return [h, c!];
  }
}

/** One GRU step (torch.nn.GRUCell), n = tanh(W_in x + b_in + r * (W_hn h + b_hn)). */
export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: Omit<RNNCellOptions, 'nonlinearity'> = {}) {
    super('GRU', inputSize, hiddenSize, opts);
  }

  /** x [B, in], h [B, H] (zeros when omitted) -> h' [B, H]. */
  forward(x: tf.Tensor, h?: tf.Tensor | null): tf.Tensor {
    return this.cell(x, h ?? null, null)[0];
  }
}
