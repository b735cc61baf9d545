/**
 * Fused LSTM and GRU sequences for one layer and direction: the recurrent loop of a whole
 * sequence, forward and backward, as one node of the autodiff tape. Per time step the forward
 * runs one matmul h·W_hhᵀ on the backend and the cell's pointwise math in one JS loop; the
 * backward runs one cell-gradient loop and one matmul dgates·W_hh per step, and the weight
 * gradient dW_hh as one matmul over all steps. The composite path (nn/rnn.ts) ran ~20 engine ops
 * per step forward and ~40 backward, whose bookkeeping cost several times the arithmetic.
 *
 * Shapes: T=time, B=batch, H=hidden, G=gates (LSTM 4: i,f,g,o; GRU 3: r,z,n, PyTorch's order).
 * xp [T, B, G*H] is the input projection x·W_ihᵀ + biases of all steps (in time order; `reverse`
 * walks it from the last step), h0/c0 [B, H], whh [G*H, H] (PyTorch layout).
 */
import { tf } from '../tf';
import { RawBackend, hasFusedKernel, multiOutputOp, tensorFrom } from './raw';
import { SerialBuffer, SerialWasm, serialWasm } from './wasm/serial';

/**
 * The two per-step kernels of a recurrent loop: x [rows, K] · W ([K, N], from the weight tensor
 * as given or transposed) and σ. Results are fresh arrays.
 */
interface StepOps {
  matMul(x: Float32Array): Float32Array;
  sigmoid(x: Float32Array): Float32Array;
  dispose(): void;
}

/** On the active backend: one kernel call each (plus copies between JS and the backend). */
function backendStepOps(raw: RawBackend, weight: tf.Tensor, transpose: boolean, rows: number, K: number): StepOps {
  return {
    matMul: (x) => {
      const info = raw.upload(x, [rows, K]);
      try {
        return raw.matMulValues(info, weight, false, transpose);
      } finally {
        raw.free(info);
      }
    },
    sigmoid: (x) => raw.sigmoid(x),
    dispose: () => {},
  };
}

/** On the private single-threaded wasm module (see wasm/serial.ts): no thread-pool hand-offs. */
function serialStepOps(sw: SerialWasm, raw: RawBackend, weight: tf.Tensor, transpose: boolean, rows: number, K: number, N: number,
  sigmoidSizes: number[]): StepOps {
  const bufs: SerialBuffer[] = [];
  const alloc = (n: number) => {
    const b = sw.alloc(n);
    bufs.push(b);
    return b;
  };
  // Every buffer first: an allocation may grow (and replace) the heap under earlier views.
  const w = alloc(K * N);
  const xIn = alloc(rows * K);
  const out = alloc(rows * N);
  const sig = new Map(sigmoidSizes.map((n) => [n, [alloc(n), alloc(n)]]));
  const src = raw.values(weight);
  if (transpose) {
    // weight [N, K] -> W [K, N]
    const wv = sw.view(w);
    for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) wv[k * N + n] = src[n * K + k];
  } else {
    sw.write(w, src);
  }
  return {
    matMul: (x) => {
      sw.write(xIn, x);
      sw.matMul(xIn, w, out, rows, K, N);
      return sw.view(out).slice();
    },
    sigmoid: (x) => {
      const [a, b] = sig.get(x.length)!;
      sw.write(a, x);
      sw.sigmoid(a, b);
      return sw.view(b).slice();
    },
    dispose: () => bufs.forEach((b) => sw.free(b)),
  };
}

/** x [rows, K] · (transpose ? weightᵀ : weight) and σ of arrays of `sigmoidSizes` floats. */
function stepOps(raw: RawBackend, weight: tf.Tensor, transpose: boolean, rows: number, K: number, N: number, sigmoidSizes: number[]): StepOps {
  const sw = raw.name === 'wasm' ? serialWasm() : null;
  return sw ? serialStepOps(sw, raw, weight, transpose, rows, K, N, sigmoidSizes) : backendStepOps(raw, weight, transpose, rows, K);
}

// The per-step loops are plain functions of typed arrays (locals only) so that V8 optimises them.
// Nonlinearities go through the backend's Sigmoid kernel on whole [B, G*H] blocks (SIMD on wasm;
// JS's Math.exp cost more than the matmuls), tanh as 2σ(2x) - 1.

/** LSTM pre-activations of step t: X[t] + bias + R (R = h·W_hhᵀ [B, 4H]), the g block doubled for tanh. */
function lstmPre(X: Float32Array, R: Float32Array, bias: Float32Array, pre: Float32Array, t: number, B: number, H: number): void {
  const GH = 4 * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    const r0 = b * GH;
    for (let j = 0; j < GH; j++) pre[r0 + j] = X[x0 + j] + bias[j] + R[r0 + j];
    for (let j = 2 * H; j < 3 * H; j++) pre[r0 + j] *= 2;
  }
}

/** From S = σ(pre): gates i, f, g = 2S-1, o into acts at t, c' = f c + i g into cs at t, and 2c' into c2. */
function lstmCell(S: Float32Array, c: Float32Array, acts: Float32Array, cs: Float32Array, c2: Float32Array, t: number, B: number, H: number): void {
  const GH = 4 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    const r0 = b * GH;
    for (let j = 0; j < H; j++) {
      const ig = S[r0 + j];
      const fg = S[r0 + H + j];
      const gg = 2 * S[r0 + 2 * H + j] - 1;
      const og = S[r0 + 3 * H + j];
      const k = b * H + j;
      const cn = fg * c[k] + ig * gg;
      acts[x0 + j] = ig;
      acts[x0 + H + j] = fg;
      acts[x0 + 2 * H + j] = gg;
      acts[x0 + 3 * H + j] = og;
      cs[o0 + k] = cn;
      c2[k] = 2 * cn;
    }
  }
}

/** From S2 = σ(2c'): tanh(c') into tcs and h' = o tanh(c') into out at t. */
function lstmOut(S2: Float32Array, acts: Float32Array, tcs: Float32Array, out: Float32Array, t: number, B: number, H: number): void {
  const GH = 4 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH + 3 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const tc = 2 * S2[k] - 1;
      tcs[o0 + k] = tc;
      out[o0 + k] = acts[x0 + j] * tc;
    }
  }
}

/** LSTM step t backward: dh (from above and the next step), dc (updated in place to dc_{t-1}) -> dG at t. */
function lstmBackwardStep(acts: Float32Array, tcs: Float32Array, cPrev: Float32Array, dO: Float32Array, dh: Float32Array, dc: Float32Array,
  dG: Float32Array, t: number, B: number, H: number): void {
  const GH = 4 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const ig = acts[x0 + j];
      const fg = acts[x0 + H + j];
      const gg = acts[x0 + 2 * H + j];
      const og = acts[x0 + 3 * H + j];
      const tc = tcs[o0 + k];
      const dhv = dO[o0 + k] + dh[k];
      const dcv = dc[k] + dhv * og * (1 - tc * tc);
      dG[x0 + j] = dcv * gg * ig * (1 - ig);
      dG[x0 + H + j] = dcv * cPrev[k] * fg * (1 - fg);
      dG[x0 + 2 * H + j] = dcv * ig * (1 - gg * gg);
      dG[x0 + 3 * H + j] = dhv * tc * og * (1 - og);
      dc[k] = dcv * fg;
    }
  }
}

/** GRU r, z pre-activations of step t (n's block left 0): X[t] + b_ih + R + b_hh; hn = R_n + b_hn at t. */
function gruPre(X: Float32Array, R: Float32Array, bih: Float32Array, bhh: Float32Array, pre: Float32Array, hn: Float32Array,
  t: number, B: number, H: number): void {
  const GH = 3 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    const r0 = b * GH;
    for (let j = 0; j < 2 * H; j++) pre[r0 + j] = X[x0 + j] + bih[j] + R[r0 + j] + bhh[j];
    for (let j = 0; j < H; j++) hn[o0 + b * H + j] = R[r0 + 2 * H + j] + bhh[2 * H + j];
  }
}

/** From S = σ(pre): r, z into acts at t, and n's doubled pre-activation 2(x_n + b_in + r hn) into n2. */
function gruGates(S: Float32Array, X: Float32Array, bih: Float32Array, hn: Float32Array, acts: Float32Array, n2: Float32Array,
  t: number, B: number, H: number): void {
  const GH = 3 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    const r0 = b * GH;
    for (let j = 0; j < H; j++) {
      const r = S[r0 + j];
      acts[x0 + j] = r;
      acts[x0 + H + j] = S[r0 + H + j];
      n2[b * H + j] = 2 * (X[x0 + 2 * H + j] + bih[2 * H + j] + r * hn[o0 + b * H + j]);
    }
  }
}

/** From S2 = σ(n2): n = 2S2-1 into acts, h' = n + z (h - n) into out at t. */
function gruOut(S2: Float32Array, h: Float32Array, acts: Float32Array, out: Float32Array, t: number, B: number, H: number): void {
  const GH = 3 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const n = 2 * S2[k] - 1;
      const z = acts[x0 + H + j];
      acts[x0 + 2 * H + j] = n;
      out[o0 + k] = n + z * (h[k] - n);
    }
  }
}

/** GRU step t backward: writes dG (input side) at t, dR (recurrent side, this step) and dhDirect = dh·z. */
function gruBackwardStep(acts: Float32Array, hn: Float32Array, hPrev: Float32Array, dO: Float32Array, dh: Float32Array, dG: Float32Array,
  dR: Float32Array, dhDirect: Float32Array, t: number, B: number, H: number): void {
  const GH = 3 * H;
  const o0 = t * B * H;
  for (let b = 0; b < B; b++) {
    const x0 = (t * B + b) * GH;
    const r0 = b * GH;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const r = acts[x0 + j];
      const z = acts[x0 + H + j];
      const n = acts[x0 + 2 * H + j];
      const dhv = dO[o0 + k] + dh[k];
      const dn = dhv * (1 - z) * (1 - n * n); // through tanh
      const dz = dhv * (hPrev[k] - n) * z * (1 - z);
      const dr = dn * hn[o0 + k] * r * (1 - r);
      dG[x0 + j] = dr;
      dG[x0 + H + j] = dz;
      dG[x0 + 2 * H + j] = dn;
      dR[r0 + j] = dr;
      dR[r0 + H + j] = dz;
      dR[r0 + 2 * H + j] = dn * r;
      dhDirect[k] = dhv * z;
    }
  }
}

/** Column sums of a [rows, cols] array (a bias gradient). */
function columnSums(a: Float32Array, rows: number, cols: number): Float32Array {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j] += a[o + j];
  }
  return Float32Array.from(acc);
}

function checkShapes(name: string, xp: tf.Tensor, h0: tf.Tensor, whh: tf.Tensor, G: number): [number, number, number] {
  if (xp.rank !== 3) throw new Error(`${name}: xp must be [T, B, ${G}*H], got [${xp.shape}]`);
  const [T, B, GH] = xp.shape as [number, number, number];
  const H = GH / G;
  if (!Number.isInteger(H) || !tf.util.arraysEqual(h0.shape, [B, H]) || !tf.util.arraysEqual(whh.shape, [GH, H]))
    throw new Error(`${name}: inconsistent shapes xp [${xp.shape}], h0 [${h0.shape}], whh [${whh.shape}]`);
  return [T, B, H];
}

function checkBias(name: string, biases: tf.Tensor[], GH: number): void {
  for (const b of biases) if (!tf.util.arraysEqual(b.shape, [GH])) throw new Error(`${name}: biases must be [${GH}], got [${b.shape}]`);
}

/** h_{t-1} of every step in time order ([T*B, H]): h0 for the first step walked, else a neighbour's output. */
function previousStates(out: Float32Array, h0: Float32Array, T: number, BH: number, reverse: boolean): Float32Array {
  const prev = new Float32Array(T * BH);
  for (let t = 0; t < T; t++) {
    const src = reverse ? (t === T - 1 ? null : t + 1) : t === 0 ? null : t - 1;
    prev.set(src === null ? h0 : out.subarray(src * BH, (src + 1) * BH), t * BH);
  }
  return prev;
}

/** dW_hh = Σ_t dgates_tᵀ · h_{t-1} ([G*H, H]) as one matmul over all steps. */
function recurrentWeightGrad(raw: RawBackend, dG: Float32Array, hPrev: Float32Array, T: number, B: number, GH: number, H: number): tf.Tensor {
  if (T * B === 0) return tf.zeros([GH, H]);
  // As (Hprevᵀ·dG)ᵀ: the matmul then transposes the [T*B, H] operand rather than the 4x larger
  // [T*B, G*H] one, and the [H, G*H] result is transposed here.
  const a = raw.upload(hPrev, [T * B, H]);
  const b = raw.upload(dG, [T * B, GH]);
  let w: Float32Array;
  try {
    w = raw.matMulValues(a, b, true, false); // [H, G*H]
  } finally {
    raw.free(a);
    raw.free(b);
  }
  const dW = new Float32Array(GH * H);
  for (let h = 0; h < H; h++) for (let g = 0; g < GH; g++) dW[g * H + h] = w[h * GH + g];
  return tensorFrom(dW, [GH, H]);
}

/**
 * Names of the kernels a backend may register to run `lstmSequence` natively (@neuralzoo/backend-torch
 * does, on ATen ops). Forward: inputs xp, h0, c0, whh, bih, bhh, attr reverse; outputs out, hN, cN
 * and, for the backward, acts [T, B, 4H] (activated i, f, g, o), cs and tcs [T, B, H] (cell
 * states and their tanh). Backward: inputs dOut, dhN, dcN, acts, cs, tcs, out, h0, c0, whh, attr
 * reverse; outputs dxp, dh0, dc0, dwhh, dbih, dbhh (equal values, separate tensors).
 */
export const LSTM_KERNEL = 'NeuralzooLSTMSequence';
export const LSTM_GRAD_KERNEL = 'NeuralzooLSTMSequenceGrad';

/** Whether the active backend registers both native LSTM kernels. */
export function hasNativeLstm(): boolean {
  return hasFusedKernel(LSTM_KERNEL) && hasFusedKernel(LSTM_GRAD_KERNEL);
}

function nativeLstmSequence(xp: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, whh: tf.Tensor, bih: tf.Tensor, bhh: tf.Tensor,
  reverse: boolean): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const attrs = { reverse } as unknown as tf.NamedAttrMap;
  const outs = multiOutputOp(
    [xp, h0, c0, whh, bih, bhh],
    (save) => {
      const [out, hN, cN, acts, cs, tcs] = tf.engine().runKernel(LSTM_KERNEL, { xp, h0, c0, whh, bih, bhh }, attrs) as tf.Tensor[];
      save([acts, cs, tcs, out, h0, c0, whh]);
      tf.dispose([acts, cs, tcs]);
      return [out, hN, cN];
    },
    ([dOut, dhN, dcN], [acts, cs, tcs, out, h, c, w]) => {
      return tf.engine().runKernel(LSTM_GRAD_KERNEL, { dOut, dhN, dcN, acts, cs, tcs, out, h0: h, c0: c, whh: w }, attrs) as tf.Tensor[];
    },
  );
  return outs as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * LSTM over a sequence: returns [out [T, B, H] (time order), hN, cN], with gradients for xp, h0,
 * c0, whh, bih and bhh ([4H] each; pass zeros for a layer without bias). xp = x·W_ihᵀ without
 * bias. Equals PyTorch's cell: c' = f*c + i*g, h' = o*tanh(c').
 */
export function lstmSequence(xp: tf.Tensor, h0: tf.Tensor, c0: tf.Tensor, whh: tf.Tensor, bih: tf.Tensor, bhh: tf.Tensor,
  reverse: boolean): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const [T, B, H] = checkShapes('lstmSequence', xp, h0, whh, 4);
  checkBias('lstmSequence', [bih, bhh], 4 * H);
  if (T > 0 && hasNativeLstm())
    return nativeLstmSequence(xp, h0, c0, whh, bih, bhh, reverse);
  const BH = B * H;
  const GH = 4 * H;
  // Kept by the forward for the backward (plain arrays: nothing to free when there is none).
  let acts: Float32Array; // [T, B, 4H] activated gates i, f, g, o
  let cs: Float32Array; // [T, B, H] cell states
  let tcs: Float32Array; // [T, B, H] tanh of the cell states
  let out: Float32Array; // [T, B, H]
  let hInit: Float32Array;
  let cInit: Float32Array;
  const outs = multiOutputOp(
    [xp, h0, c0, whh, bih, bhh],
    () => {
      const raw = new RawBackend();
      const X = raw.values(xp).slice();
      hInit = raw.values(h0).slice();
      cInit = raw.values(c0).slice();
      const bias = raw.values(bih).slice();
      const bh = raw.values(bhh);
      for (let j = 0; j < GH; j++) bias[j] += bh[j];
      acts = new Float32Array(T * B * GH);
      cs = new Float32Array(T * BH);
      tcs = new Float32Array(T * BH);
      out = new Float32Array(T * BH);
      const pre = new Float32Array(B * GH);
      const c2 = new Float32Array(BH);
      let h = hInit;
      let c = cInit;
      const ops = stepOps(raw, whh, true, B, H, GH, [B * GH, BH]);
      try {
        for (let s = 0; s < T; s++) {
          const t = reverse ? T - 1 - s : s;
          lstmPre(X, ops.matMul(h), bias, pre, t, B, H); // h·W_hhᵀ [B, 4H]
          lstmCell(ops.sigmoid(pre), c, acts, cs, c2, t, B, H);
          lstmOut(ops.sigmoid(c2), acts, tcs, out, t, B, H);
          const o0 = t * BH;
          h = out.subarray(o0, o0 + BH);
          c = cs.subarray(o0, o0 + BH);
        }
      } finally {
        ops.dispose();
      }
      return [tensorFrom(out, [T, B, H]), tensorFrom(h.slice(), [B, H]), tensorFrom(c.slice(), [B, H])];
    },
    ([dOut, dhN, dcN]) => {
      const raw = new RawBackend();
      const dO = raw.values(dOut).slice();
      let dh: Float32Array = raw.values(dhN).slice();
      const dc = raw.values(dcN).slice();
      const dG = new Float32Array(T * B * GH);
      const ops = stepOps(raw, whh, false, B, GH, H, []);
      try {
        for (let s = T - 1; s >= 0; s--) {
          const t = reverse ? T - 1 - s : s;
          const tp = reverse ? t + 1 : t - 1; // the step walked before t
          const cPrev = s === 0 ? cInit : cs.subarray(tp * BH, (tp + 1) * BH);
          lstmBackwardStep(acts, tcs, cPrev, dO, dh, dc, dG, t, B, H);
          dh = ops.matMul(dG.subarray(t * B * GH, (t + 1) * B * GH)); // dgates·W_hh [B, H]
        }
      } finally {
        ops.dispose();
      }
      const dW = recurrentWeightGrad(raw, dG, previousStates(out, hInit, T, BH, reverse), T, B, GH, H);
      // b_ih and b_hh get equal gradients, as separate tensors (a shared buffer would surprise
      // anyone counting the backend's buffers, e.g. an optimizer's state).
      const db = columnSums(dG, T * B, GH);
      return [tensorFrom(dG, [T, B, GH]), tensorFrom(dh, [B, H]), tensorFrom(dc, [B, H]), dW, tensorFrom(db, [GH]), tensorFrom(db.slice(), [GH])];
    },
  );
  return outs as [tf.Tensor, tf.Tensor, tf.Tensor];
}

/**
 * Names of the kernels a backend may register to run `gruSequence` natively (@neuralzoo/backend-torch
 * does). Forward: inputs xp, h0, whh, bih, bhh, attr reverse; outputs out, hN and, for the
 * backward, acts [T, B, 3H] (r, z, n) and hn [T, B, H] (W_hn h + b_hn). Backward: inputs dOut,
 * dhN, acts, hn, out, h0, whh, attr reverse; outputs dxp, dh0, dwhh, dbih, dbhh.
 */
export const GRU_KERNEL = 'NeuralzooGRUSequence';
export const GRU_GRAD_KERNEL = 'NeuralzooGRUSequenceGrad';

/** Whether the active backend registers both native GRU kernels. */
export function hasNativeGru(): boolean {
  return hasFusedKernel(GRU_KERNEL) && hasFusedKernel(GRU_GRAD_KERNEL);
}

function nativeGruSequence(xp: tf.Tensor, h0: tf.Tensor, whh: tf.Tensor, bih: tf.Tensor, bhh: tf.Tensor, reverse: boolean): [tf.Tensor, tf.Tensor] {
  const attrs = { reverse } as unknown as tf.NamedAttrMap;
  const outs = multiOutputOp(
    [xp, h0, whh, bih, bhh],
    (save) => {
      const [out, hN, acts, hn] = tf.engine().runKernel(GRU_KERNEL, { xp, h0, whh, bih, bhh }, attrs) as tf.Tensor[];
      save([acts, hn, out, h0, whh]);
      tf.dispose([acts, hn]);
      return [out, hN];
    },
    ([dOut, dhN], [acts, hn, out, h, w]) =>
      tf.engine().runKernel(GRU_GRAD_KERNEL, { dOut, dhN, acts, hn, out, h0: h, whh: w }, attrs) as tf.Tensor[],
  );
  return outs as [tf.Tensor, tf.Tensor];
}

/**
 * GRU over a sequence: returns [out [T, B, H] (time order), hN], with gradients for xp, h0, whh,
 * bih and bhh ([3H] each; zeros for a layer without bias). xp = x·W_ihᵀ without bias. PyTorch's
 * cell: r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r*(W_hn h + b_hn)), h' = (1-z) n + z h,
 * where x_* include b_ih and h_* include b_hh.
 */
export function gruSequence(xp: tf.Tensor, h0: tf.Tensor, whh: tf.Tensor, bih: tf.Tensor, bhh: tf.Tensor, reverse: boolean): [tf.Tensor, tf.Tensor] {
  const [T, B, H] = checkShapes('gruSequence', xp, h0, whh, 3);
  checkBias('gruSequence', [bih, bhh], 3 * H);
  if (T > 0 && hasNativeGru()) return nativeGruSequence(xp, h0, whh, bih, bhh, reverse);
  const BH = B * H;
  const GH = 3 * H;
  let acts: Float32Array; // [T, B, 3H]: r, z, n
  let hn: Float32Array; // [T, B, H]: W_hn h + b_hn
  let out: Float32Array; // [T, B, H]
  let hInit: Float32Array;
  const outs = multiOutputOp(
    [xp, h0, whh, bih, bhh],
    () => {
      const raw = new RawBackend();
      const X = raw.values(xp).slice();
      hInit = raw.values(h0).slice();
      const bi = raw.values(bih).slice();
      const bh = raw.values(bhh).slice();
      acts = new Float32Array(T * B * GH);
      hn = new Float32Array(T * BH);
      out = new Float32Array(T * BH);
      const pre = new Float32Array(B * GH);
      const n2 = new Float32Array(BH);
      let h = hInit;
      const ops = stepOps(raw, whh, true, B, H, GH, [B * GH, BH]);
      try {
        for (let s = 0; s < T; s++) {
          const t = reverse ? T - 1 - s : s;
          gruPre(X, ops.matMul(h), bi, bh, pre, hn, t, B, H); // h·W_hhᵀ [B, 3H]
          gruGates(ops.sigmoid(pre), X, bi, hn, acts, n2, t, B, H);
          gruOut(ops.sigmoid(n2), h, acts, out, t, B, H);
          const o0 = t * BH;
          h = out.subarray(o0, o0 + BH);
        }
      } finally {
        ops.dispose();
      }
      return [tensorFrom(out, [T, B, H]), tensorFrom(h.slice(), [B, H])];
    },
    ([dOut, dhN]) => {
      const raw = new RawBackend();
      const dO = raw.values(dOut).slice();
      let dh: Float32Array = raw.values(dhN).slice();
      const dG = new Float32Array(T * B * GH); // of the input-side pre-activations (xp's and b_ih's)
      const dRAll = new Float32Array(T * B * GH); // of the recurrent side (W_hh h + b_hh)
      const dhDirect = new Float32Array(BH);
      const ops = stepOps(raw, whh, false, B, GH, H, []);
      try {
        for (let s = T - 1; s >= 0; s--) {
          const t = reverse ? T - 1 - s : s;
          const tp = reverse ? t + 1 : t - 1;
          const hPrev = s === 0 ? hInit : out.subarray(tp * BH, (tp + 1) * BH);
          const dR = dRAll.subarray(t * B * GH, (t + 1) * B * GH);
          gruBackwardStep(acts, hn, hPrev, dO, dh, dG, dR, dhDirect, t, B, H);
          const dhRec = ops.matMul(dR); // dR·W_hh [B, H]
          for (let k = 0; k < BH; k++) dhRec[k] += dhDirect[k];
          dh = dhRec;
        }
      } finally {
        ops.dispose();
      }
      const dW = recurrentWeightGrad(raw, dRAll, previousStates(out, hInit, T, BH, reverse), T, B, GH, H);
      return [tensorFrom(dG, [T, B, GH]), tensorFrom(dh, [B, H]), dW, tensorFrom(columnSums(dG, T * B, GH), [GH]), tensorFrom(columnSums(dRAll, T * B, GH), [GH])];
    },
  );
  return outs as [tf.Tensor, tf.Tensor];
}
