/**
 * The benchmark cases, written against core's pinned API (nn layers, optim.Adam, F.crossEntropy,
 * backward) and @neuralzoo/vision's lenet5. tools/bench/reference.py builds the same models,
 * shapes and optimizer in PyTorch.
 *
 * A layer that core does not export yet makes its case unavailable ('n/a' in the table) instead
 * of failing the run, so the harness runs while the layers land.
 */
import * as core from '@neuralzoo/core';
import { lenet5 as visionLenet5 } from '@neuralzoo/vision';

const { tf } = core;

/** Training steps on a model: forward, backward, Adam step; `step` returns the loss. */
export interface Trainer {
  step(x: core.tf.Tensor, y: core.tf.Tensor): number;
  dispose(): void;
}

/** A case's trainer with its fixed batch (random inputs, integer labels). */
export interface Workload {
  trainer: Trainer;
  x: core.tf.Tensor;
  y: core.tf.Tensor;
}

export interface TrainCase {
  id: string;
  title: string;
  build(): Workload;
}

/** Thrown when a pinned API the case needs is missing from core. */
export class Unavailable extends Error {}

interface ModuleLike {
  forward(...args: unknown[]): unknown;
  parameters(): core.Parameter[];
  train(mode?: boolean): unknown;
  dispose(): void;
}
type ModuleCtor = new (...args: unknown[]) => ModuleLike;
interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
}
type OptimizerCtor = new (params: core.Parameter[], opts: { lr: number }) => OptimizerLike;
type Loss = (logits: core.tf.Tensor, target: core.tf.Tensor) => core.tf.Tensor;

function pinned<T>(ns: unknown, space: string, name: string): T {
  const v = (ns as Record<string, unknown> | undefined)?.[name];
  if (typeof v !== 'function') throw new Unavailable(`core has no ${space}.${name} yet`);
  return v as T;
}

const nn = (name: string) => pinned<ModuleCtor>(core.nn, 'nn', name);
const adam = () => pinned<OptimizerCtor>((core as Record<string, unknown>).optim, 'optim', 'Adam');
const crossEntropy = () => pinned<Loss>(core.F, 'F', 'crossEntropy');

/** A module made of plain functions of its children (the bench's own heads and wiring). */
function compose(children: ModuleLike[], forward: (x: core.tf.Tensor) => core.tf.Tensor): ModuleLike {
  return {
    forward: (x) => forward(x as core.tf.Tensor),
    parameters: () => children.flatMap((c) => c.parameters()),
    train: () => children.forEach((c) => c.train()),
    dispose: () => children.forEach((c) => c.dispose()),
  };
}

/**
 * A trainer for `model`: Adam (lr 1e-3, PyTorch's other defaults), cross-entropy on integer
 * labels, gradients through core's `backward`.
 */
export function trainer(model: ModuleLike): Trainer {
  const Adam = adam();
  const ce = crossEntropy();
  const params = model.parameters();
  const opt = new Adam(params, { lr: 1e-3 });
  model.train();
  return {
    step(x, y) {
      const loss = core.backward(() => ce(model.forward(x) as core.tf.Tensor, y), params);
      opt.step();
      opt.zeroGrad();
      return loss;
    },
    dispose() {
      (opt as { dispose?: () => void }).dispose?.();
      model.dispose();
    },
  };
}

function workload(model: () => ModuleLike, x: () => core.tf.Tensor, y: core.tf.Tensor): Workload {
  try {
    return { trainer: trainer(model()), x: x(), y };
  } catch (e) {
    y.dispose();
    throw e;
  }
}

function labels(n: number, seed: number): core.tf.Tensor {
  return tf.randomUniform([n], 0, 10, 'int32', seed);
}

/** MLP 784-256-256-10 with ReLU, batch 128. */
export function mlp(): ModuleLike {
  const Linear = nn('Linear');
  const l1 = new Linear(784, 256);
  const l2 = new Linear(256, 256);
  const l3 = new Linear(256, 10);
  const fwd = (m: ModuleLike, x: core.tf.Tensor) => m.forward(x) as core.tf.Tensor;
  return compose([l1, l2, l3], (x) => tf.tidy(() => fwd(l3, tf.relu(fwd(l2, tf.relu(fwd(l1, x))))))); // [B, 784] -> [B, 10]
}

/** @neuralzoo/vision's LeNet-5 (ReLU, max pooling, padding 2). Input NHWC [B, 28, 28, 1]. */
export function lenet5(): ModuleLike {
  return visionLenet5() as unknown as ModuleLike;
}

/** LSTM input 64, hidden 128 over 32 steps; a Linear head on the last step's output. */
function lstmModel(): ModuleLike {
  const lstm = new (nn('LSTM'))(64, 128);
  const head = new (nn('Linear'))(128, 10);
  return compose([lstm, head], (x) =>
    tf.tidy(() => {
      const [out] = lstm.forward(x) as [core.tf.Tensor, unknown]; // [B, T, 128]
      const [B, T] = out.shape;
      const last = out.slice([0, T - 1, 0], [B, 1, 128]).reshape([B, 128]); // [B, 128]
      return head.forward(last) as core.tf.Tensor;
    }),
  );
}

/** One post-norm TransformerEncoderLayer (d 128, 4 heads, ff 512, dropout 0.1); mean-pooled head. */
function transformerModel(): ModuleLike {
  const layer = new (nn('TransformerEncoderLayer'))(128, 4, { dimFeedforward: 512 });
  const head = new (nn('Linear'))(128, 10);
  return compose([layer, head], (x) =>
    tf.tidy(() => head.forward(tf.mean(layer.forward(x) as core.tf.Tensor, 1)) as core.tf.Tensor), // [B, T, 128] -> [B, 10]
  );
}

export const TRAIN_CASES: TrainCase[] = [
  {
    id: 'mlp',
    title: 'MLP 784-256-256-10, batch 128',
    build: () => workload(mlp, () => tf.randomNormal([128, 784], 0, 1, 'float32', 1), labels(128, 2)),
  },
  {
    id: 'lenet5',
    title: 'LeNet-5 28×28×1, batch 64',
    build: () => workload(lenet5, () => tf.randomUniform([64, 28, 28, 1], 0, 1, 'float32', 3), labels(64, 4)),
  },
  {
    id: 'lstm',
    title: 'LSTM in 64, hidden 128, 32 steps, batch 32',
    build: () => workload(lstmModel, () => tf.randomNormal([32, 32, 64], 0, 1, 'float32', 5), labels(32, 6)),
  },
  {
    id: 'transformer',
    title: 'Transformer encoder d128, 4 heads, ff 512, seq 64, batch 16',
    build: () => workload(transformerModel, () => tf.randomNormal([16, 64, 128], 0, 1, 'float32', 7), labels(16, 8)),
  },
];
