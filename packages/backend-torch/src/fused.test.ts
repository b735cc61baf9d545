/**
 * core's fused kernels run natively on torch: each name in core's FUSED_KERNELS is registered on
 * the backend, and an LSTM layer's training step (core's lstmSequence) and an Adam step give the
 * same numbers on torch as on cpu (where core runs its JS loops).
 */
import { FUSED_KERNELS, manualSeed, nn, optim, tf, backward } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';

function lstmAdamStep(): { loss: number; weights: Float32Array } {
  manualSeed(5);
  const lstm = new nn.LSTM(6, 8, { numLayers: 2 });
  const opt = new optim.Adam(lstm.parameters(), { lr: 0.01 });
  const x = tf.randomNormal([3, 7, 6], 0, 1, 'float32', 9);
  const loss = backward(() => tf.tidy(() => tf.mean(tf.square(lstm.forward(x)[0])) as tf.Scalar), lstm);
  opt.step();
  const weights = Float32Array.from(lstm.parameters().flatMap((p) => Array.from(p.data.dataSync())));
  lstm.dispose();
  opt.dispose();
  x.dispose();
  return { loss, weights };
}

describe('fused kernels on torch', () => {
  it('registers every kernel core names', () => {
    for (const name of Object.values(FUSED_KERNELS)) expect(tf.getKernel(name, 'torch')).toBeDefined();
  });

  it('an LSTM + Adam training step on torch equals the same step on cpu', async () => {
    expect(tf.getBackend()).toBe('torch');
    const onTorch = lstmAdamStep();
    await tf.setBackend('cpu');
    try {
      const onCpu = lstmAdamStep();
      expect(onTorch.loss).toBeCloseTo(onCpu.loss, 5);
      expectClose(onTorch.weights, onCpu.weights, { rtol: 1e-4, atol: 1e-6 });
    } finally {
      await tf.setBackend('torch');
    }
  });
});
