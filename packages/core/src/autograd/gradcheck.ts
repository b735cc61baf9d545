import { tf } from '../tf';
import { Generator } from './random';
import { Parameter } from './parameter';

export interface GradcheckOptions {
  /** Central-difference step. Default 1e-2 (float32 needs a large step). */
  eps?: number;
  /** Absolute tolerance. Default 1e-2. */
  atol?: number;
  /** Relative tolerance. Default 1e-2. */
  rtol?: number;
  /** At most this many elements per input are perturbed (chosen with a fixed seed). Default 64. */
  maxElements?: number;
  /** Throw on mismatch (like torch.autograd.gradcheck). Default true. */
  raiseException?: boolean;
  /** Seed of the random output projection and element choice. Default 0. */
  seed?: number;
}

export interface GradcheckMismatch {
  input: number;
  index: number;
  analytic: number;
  numeric: number;
}

export interface GradcheckResult {
  ok: boolean;
  maxAbsError: number;
  checked: number;
  mismatches: GradcheckMismatch[];
}

/**
 * Compares analytic gradients of `fn` with central differences, for each input tensor or
 * Parameter. A non-scalar output y is reduced to sum(y * r) with a fixed random r, so every
 * output element is checked. Inputs are float32: tolerances are explicit and loose by default.
 */
export function gradcheck(
  fn: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: Array<tf.Tensor | Parameter>,
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-2;
  const atol = opts.atol ?? 1e-2;
  const rtol = opts.rtol ?? 1e-2;
  const maxElements = opts.maxElements ?? 64;
  const rng = new Generator(opts.seed ?? 0);
  // Every input becomes a variable (Parameters already are) so that one mechanism perturbs and
  // differentiates both plain inputs and parameters a closure reads directly.
  const temps: tf.Variable[] = [];
  const vars = inputs.map((x) => {
    if (x instanceof Parameter) return x.data;
    const f = x.toFloat();
    const v = tf.variable(f, true);
    f.dispose();
    temps.push(v);
    return v;
  });

  const probe = tf.tidy(() => fn(...vars));
  const projection = tf.tensor(rng.normalArray(probe.size), probe.shape);
  probe.dispose();
  // Fixed projection so the objective is a scalar that sees every output element.
  const objective = (): tf.Scalar => tf.sum(tf.mul(fn(...vars), projection));

  const mismatches: GradcheckMismatch[] = [];
  let maxAbsError = 0;
  let checked = 0;
  try {
    const analytic = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(objective, vars);
      value.dispose();
      return vars.map((v) => (grads[v.name] ? (grads[v.name].dataSync().slice() as Float32Array) : new Float32Array(v.size)));
    });
    vars.forEach((v, k) => {
      const base = v.dataSync().slice() as Float32Array;
      const n = base.length;
      const indices = n <= maxElements ? Array.from({ length: n }, (_, i) => i) : Array.from(rng.permutation(n).slice(0, maxElements));
      const at = (x: Float32Array): number =>
        tf.tidy(() => {
          v.assign(tf.tensor(x, v.shape, 'float32'));
          return objective().dataSync()[0];
        });
      for (const j of indices) {
        const x = base.slice();
        x[j] = base[j] + eps;
        const fp = at(x);
        x[j] = base[j] - eps;
        const fm = at(x);
        const numeric = (fp - fm) / (2 * eps);
        const a = analytic[k][j];
        const err = Math.abs(a - numeric);
        maxAbsError = Math.max(maxAbsError, err);
        checked++;
        if (!(err <= atol + rtol * Math.abs(numeric))) mismatches.push({ input: k, index: j, analytic: a, numeric });
      }
      tf.tidy(() => v.assign(tf.tensor(base, v.shape, 'float32')));
    });
  } finally {
    projection.dispose();
    temps.forEach((t) => t.dispose());
  }
  const result = { ok: mismatches.length === 0, maxAbsError, checked, mismatches };
  if (!result.ok && (opts.raiseException ?? true)) {
    const m = mismatches[0];
    throw new Error(
      `gradcheck: ${mismatches.length} of ${checked} gradient elements differ; first: input ${m.input} element ${m.index} ` +
        `analytic ${m.analytic} vs numeric ${m.numeric} (atol ${atol}, rtol ${rtol})`,
    );
  }
  return result;
}
