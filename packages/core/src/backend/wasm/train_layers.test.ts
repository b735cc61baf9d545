// Every core layer trains on wasm: forward and the gradients of all its parameters and float
// inputs equal cpu's (same weights, same inputs), through the kernels registered in this folder.
import { tf } from '../../tf';
import { nn } from '../../index';
import { expectClose } from '../../testing';
import { onCpuAndWasm, randomValues } from './compare_backends';

type Input = { shape: number[]; int?: number }; // int: int32 indices below this bound
interface LayerCase {
  name: string;
  build: () => nn.Module;
  inputs: Input[];
  run: (m: nn.Module, xs: tf.Tensor[]) => tf.Tensor;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const f1 = (m: nn.Module, xs: tf.Tensor[]) => (m as any).forward(xs[0]);
const first = (m: nn.Module, xs: tf.Tensor[]) => (m as any).forward(...xs)[0];
/* eslint-enable @typescript-eslint/no-explicit-any */

const CASES: LayerCase[] = [
  { name: 'Linear', build: () => new nn.Linear(5, 3), inputs: [{ shape: [4, 5] }], run: f1 },
  { name: 'Conv1d stride 2', build: () => new nn.Conv1d(3, 4, 3, { stride: 2, padding: 1 }), inputs: [{ shape: [2, 9, 3] }], run: f1 },
  { name: 'Conv2d stride 2', build: () => new nn.Conv2d(3, 4, 3, { stride: 2, padding: 1 }), inputs: [{ shape: [2, 7, 7, 3] }], run: f1 },
  { name: 'Conv2d same', build: () => new nn.Conv2d(2, 3, [3, 2], { padding: 'same' }), inputs: [{ shape: [2, 6, 5, 2] }], run: f1 },
  { name: 'Conv2d depthwise (groups = in)', build: () => new nn.Conv2d(3, 6, 3, { groups: 3, padding: 1 }), inputs: [{ shape: [2, 6, 6, 3] }], run: f1 },
  { name: 'ConvTranspose2d', build: () => new nn.ConvTranspose2d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }), inputs: [{ shape: [2, 4, 4, 3] }], run: f1 },
  { name: 'BatchNorm2d', build: () => new nn.BatchNorm2d(3), inputs: [{ shape: [4, 3, 3, 3] }], run: f1 },
  { name: 'LayerNorm', build: () => new nn.LayerNorm(6), inputs: [{ shape: [3, 6] }], run: f1 },
  { name: 'Embedding', build: () => new nn.Embedding(10, 4), inputs: [{ shape: [2, 5], int: 10 }], run: f1 },
  { name: 'MaxPool2d', build: () => new nn.MaxPool2d(2), inputs: [{ shape: [2, 6, 6, 3] }], run: f1 },
  { name: 'AvgPool2d', build: () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }), inputs: [{ shape: [2, 7, 7, 2] }], run: f1 },
  { name: 'AdaptiveAvgPool2d', build: () => new nn.AdaptiveAvgPool2d(2), inputs: [{ shape: [2, 6, 6, 3] }], run: f1 },
  { name: 'Bilinear', build: () => new nn.Bilinear(3, 4, 2), inputs: [{ shape: [5, 3] }, { shape: [5, 4] }], run: (m, xs) => (m as nn.Bilinear).forward(xs[0], xs[1]) },
  { name: 'RNN', build: () => new nn.RNN(4, 5), inputs: [{ shape: [2, 6, 4] }], run: first },
  { name: 'LSTM 2 layers', build: () => new nn.LSTM(4, 5, { numLayers: 2 }), inputs: [{ shape: [2, 6, 4] }], run: first },
  { name: 'GRU bidirectional', build: () => new nn.GRU(4, 5, { bidirectional: true }), inputs: [{ shape: [2, 6, 4] }], run: first },
  { name: 'MultiheadAttention', build: () => new nn.MultiheadAttention(8, 2), inputs: [{ shape: [2, 5, 8] }, { shape: [2, 6, 8] }, { shape: [2, 6, 8] }], run: first },
  { name: 'TransformerEncoderLayer gelu', build: () => new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0, activation: 'gelu' }), inputs: [{ shape: [2, 5, 8] }], run: f1 },
  { name: 'TransformerDecoderLayer', build: () => new nn.TransformerDecoderLayer(8, 2, { dimFeedforward: 16, dropout: 0 }), inputs: [{ shape: [2, 4, 8] }, { shape: [2, 5, 8] }], run: (m, xs) => (m as nn.TransformerDecoderLayer).forward(xs[0], xs[1]) },
  ...(['ReLU', 'LeakyReLU', 'ELU', 'SELU', 'GELU', 'Sigmoid', 'Tanh', 'SiLU', 'Softplus', 'Softmax', 'LogSoftmax'] as const).map((a) => ({
    name: a,
    build: () => new (nn[a] as unknown as new () => nn.Module)(),
    inputs: [{ shape: [3, 7] }],
    run: f1,
  })),
];

describe('core layers train on wasm as on cpu', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const [cpu, wasm] = await onCpuAndWasm(() => {
      const m = c.build();
      m.train();
      // Same weights on both backends, whatever RNG the initialisers use.
      m.parameters().forEach((p, i) => p.assign(tf.tensor(randomValues(p.data.size, 100 + i), p.data.shape).mul(0.5)));
      const xs = c.inputs.map((inp, i) =>
        inp.int ? tf.tensor(Array.from(randomValues(inp.shape.reduce((a, b) => a * b), 7 + i), (v) => Math.floor((v + 1) / 2 * inp.int!)), inp.shape, 'int32')
          : tf.variable(tf.tensor(randomValues(inp.shape.reduce((a, b) => a * b), 7 + i), inp.shape)));
      const vars = [...m.parameters().map((p) => p.data), ...xs.filter((x): x is tf.Variable => x instanceof tf.Variable)];
      let out: tf.Tensor | null = null;
      const { value, grads } = tf.variableGrads(() => {
        out = tf.keep(c.run(m, xs));
        const w = tf.tensor(randomValues(out.size, 3), out.shape);
        return out.mul(w).sum() as tf.Scalar;
      }, vars);
      const result = [out!, value, ...vars.map((v) => grads[v.name])];
      m.dispose();
      xs.forEach((x) => x.dispose());
      return result;
    });
    expect(wasm.length).toBe(cpu.length);
    for (let i = 0; i < cpu.length; i++) {
      expect(wasm[i].shape).toEqual(cpu[i].shape);
      expectClose(wasm[i].values, cpu[i].values, { rtol: 1e-3, atol: 1e-4, what: `${c.name} ${i === 0 ? 'output' : i === 1 ? 'loss' : `gradient ${i - 2}`}` });
    }
  });
});
