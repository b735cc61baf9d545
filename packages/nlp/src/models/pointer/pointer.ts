/**
 * Pointer network (Vinyals, Fortunato & Jaitly, 2015): an LSTM encoder reads the input elements;
 * an LSTM decoder, fed the embedding of the element it pointed to last, scores every input
 * position with additive attention, and the softmax over positions is the output distribution.
 * Position 0 is a learned "end" element so outputs can stop (convex hull). B=batch, N=inputs,
 * H=hiddenSize, L=output steps; targets are 1-based positions, 0 = end, -1 = padding.
 */
import { F, nn, Parameter, tf } from '@neuralzoo/core';
import { AdditiveAttention, MASKED_SCORE } from '../../attention/index';
import { PointerNetConfig, resolvePointerNetConfig } from './config';

export class PointerNet extends nn.Module {
  readonly config: Readonly<PointerNetConfig>;
  readonly embed: nn.Linear;
  readonly encoder: nn.LSTM;
  readonly decoder: nn.LSTMCell;
  readonly pointer: AdditiveAttention;
  /** Learned end element [H] (key at position 0) and first decoder input [H]. */
  readonly end: Parameter;
  readonly start: Parameter;

  constructor(config: Partial<PointerNetConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolvePointerNetConfig(config)));
    const H = cfg.hiddenSize;
    this.embed = this.registerModule('embed', new nn.Linear(cfg.inputDim, H));
    this.encoder = this.registerModule('encoder', new nn.LSTM(H, H));
    this.decoder = this.registerModule('decoder', new nn.LSTMCell(H, H));
    this.pointer = this.registerModule('pointer', new AdditiveAttention(H, H, H));
    this.end = this.registerParameter('end', new Parameter(nn.init.uniform([H], -0.1, 0.1)));
    this.start = this.registerParameter('start', new Parameter(nn.init.uniform([H], -0.1, 0.1)));
  }

  private checkInputs(x: tf.Tensor): void {
    if (x.rank !== 3 || x.shape[2] !== this.config.inputDim) throw new Error(`PointerNet: inputs must be [batch, n, ${this.config.inputDim}], got [${x.shape}]`);
  }

  /** -> [keys [B, N+1, H] (end first), embedded inputs with the start vector first [B, N+1, H], h, c]. */
  private encode(x: tf.Tensor): tf.Tensor[] {
    const [B] = x.shape;
    const H = this.config.hiddenSize;
    const e = this.embed.forward(x); // [B, N, H]
    const [enc, [h, c]] = this.encoder.forward(e);
    const keys = tf.concat([tf.broadcastTo(this.end.data.reshape([1, 1, H]), [B, 1, H]), enc], 1); // [B, N+1, H]
    const inputs = tf.concat([tf.broadcastTo(this.start.data.reshape([1, 1, H]), [B, 1, H]), e], 1); // [B, N+1, H]: row 0 = start
    return [keys, inputs, h.squeeze([0]), c.squeeze([0])];
  }

  /** One step: decoder input [B, H], state -> [scores [B, N+1] (masked), h, c]. */
  private step(inp: tf.Tensor, h: tf.Tensor, c: tf.Tensor, keys: tf.Tensor, masked: tf.Tensor | null): tf.Tensor[] {
    const [h1, c1] = this.decoder.forward(inp, [h, c]);
    let s = this.pointer.score(h1.expandDims(1) as tf.Tensor3D, keys as tf.Tensor3D).squeeze([1]); // [B, N+1]
    if (masked) s = tf.where(masked, tf.fill(s.shape, MASKED_SCORE), s);
    return [s, h1, c1];
  }

  /** Bool [B, N+1] mask from the 1-based positions pointed so far (end masked at step 0). */
  private pointedMask(B: number, N: number, pointed: number[][], t: number): tf.Tensor | null {
    if (!this.config.maskPointed) return null;
    const m = new Uint8Array(B * (N + 1));
    for (let b = 0; b < B; b++) {
      if (t === 0) m[b * (N + 1)] = 1;
      for (const j of pointed[b]) if (j > 0) m[b * (N + 1) + j] = 1;
    }
    return tf.tensor2d(m, [B, N + 1], 'bool');
  }

  /**
   * Teacher forcing: x [B, N, inputDim], targets [B, L] (1-based, 0 = end, -1 = pad) ->
   * pointer logits [B, L, N+1]; the decoder input at step t is the element pointed at t-1.
   */
  forward(x: tf.Tensor, targets: tf.Tensor): tf.Tensor3D {
    this.checkInputs(x);
    const [B, N] = x.shape as [number, number, number];
    const L = targets.shape[1] as number;
    const tg = targets.arraySync() as number[][];
    return tf.tidy(() => {
      const [keys, inputs, h0, c0] = this.encode(x);
      let [h, c] = [h0, c0];
      const flat = inputs.reshape([B * (N + 1), -1]); // rows b·(N+1) + j
      const out: tf.Tensor[] = [];
      for (let t = 0; t < L; t++) {
        const prevIdx = tg.map((row, b) => b * (N + 1) + (t === 0 ? 0 : Math.max(row[t - 1], 0)));
        const inp = tf.gather(flat, tf.tensor1d(prevIdx, 'int32')); // [B, H]
        const mask = this.pointedMask(B, N, tg.map((row) => row.slice(0, t)), t);
        const [s, h1, c1] = this.step(inp, h, c, keys, mask);
        out.push(s);
        [h, c] = [h1, c1];
      }
      return tf.stack(out, 1) as tf.Tensor3D; // [B, L, N+1]
    });
  }

  /** Mean cross entropy over the target pointers (padding -1 ignored). */
  loss(x: tf.Tensor, targets: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const [B, L] = targets.shape as [number, number];
      const logits = this.forward(x, targets);
      return F.crossEntropy(logits.reshape([B * L, -1]), targets.reshape([-1]).toInt(), { ignoreIndex: -1 }) as tf.Scalar;
    });
  }

  /** Greedy pointing: x [B, N, inputDim] -> per row the 1-based positions until end (at most maxSteps). */
  decode(x: tf.Tensor, maxSteps = (x.shape[1] as number) + 1): number[][] {
    this.checkInputs(x);
    const [B, N] = x.shape as [number, number, number];
    const pointed: number[][] = Array.from({ length: B }, () => []);
    const done = new Array(B).fill(false);
    tf.tidy(() => {
      const [keys, inputs, h0, c0] = this.encode(x);
      let [h, c] = [h0, c0];
      const flat = inputs.reshape([B * (N + 1), -1]);
      let prev = new Array(B).fill(0);
      for (let t = 0; t < maxSteps && done.includes(false); t++) {
        const inp = tf.gather(flat, tf.tensor1d(prev.map((j, b) => b * (N + 1) + j), 'int32'));
        const [s, h1, c1] = this.step(inp, h, c, keys, this.pointedMask(B, N, pointed, t));
        const arg = Array.from(s.argMax(-1).dataSync());
        arg.forEach((j, b) => {
          if (done[b]) return;
          if (j === 0) done[b] = true;
          else pointed[b].push(j);
        });
        prev = arg;
        [h, c] = [h1, c1];
      }
    });
    return pointed;
  }
}

/** Fraction of rows whose decoded pointers equal the target (up to its end pointer). */
export function sequenceAccuracy(pred: readonly number[][], targets: Int32Array, L: number): number {
  let ok = 0;
  pred.forEach((p, i) => {
    const t: number[] = [];
    for (let k = 0; k < L && targets[i * L + k] > 0; k++) t.push(targets[i * L + k]);
    if (p.length === t.length && p.every((v, k) => v === t[k])) ok++;
  });
  return ok / pred.length;
}

/** Registered as `pointer_net`. */
export const pointerNet = (config: Partial<PointerNetConfig> = {}) => new PointerNet(config);
