/**
 * A minimal training loop shared by the LM and word-vector recipes: `steps` optimizer steps of a
 * loss built by `loss(step)`, with optional gradient clipping and a progress callback. Every
 * step's tensors are freed; only parameters, gradients and optimizer state survive.
 */
import { backward, nn, optim, tf } from '@neuralzoo/core';

/** Options of `trainSteps`. */
export interface TrainStepsOptions {
  model: nn.Module;
  optimizer: { step(): void; zeroGrad(): void };
  /** Number of optimizer steps. */
  steps: number;
  /** Builds the scalar loss of step `i` (called inside `backward`). */
  loss: (step: number) => tf.Tensor;
  /** Clip the global gradient norm to this value before each step. Default none. */
  clipNorm?: number;
  /** Called after each step with the step's loss (nats). */
  onStep?: (step: number, loss: number) => void;
  /** Scheduler stepped after each optimizer step. */
  scheduler?: { step(): void };
}

/** Runs the loop; returns the mean loss of the last 10 % of steps (at least one). */
export function trainSteps(opts: TrainStepsOptions): number {
  const params = opts.model.parameters();
  const tail: number[] = [];
  const keep = Math.max(1, Math.ceil(opts.steps / 10));
  opts.model.train();
  for (let i = 0; i < opts.steps; i++) {
    const loss = backward(() => opts.loss(i), params);
    if (!Number.isFinite(loss)) throw new Error(`trainSteps: loss is ${loss} at step ${i}`);
    if (opts.clipNorm !== undefined) optim.clipGradNorm(params, opts.clipNorm);
    opts.optimizer.step();
    opts.optimizer.zeroGrad();
    opts.scheduler?.step();
    opts.onStep?.(i, loss);
    tail.push(loss);
    if (tail.length > keep) tail.shift();
  }
  opts.model.eval();
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}
