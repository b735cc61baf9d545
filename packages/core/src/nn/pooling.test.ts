import { tf, nn, gradcheck } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { checkAgainstTorch, expectNoLeakForwardBackward } from '../../fixtures/nn_layers/harness';

type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const o = (c: Cfg) => ({ stride: c.stride, padding: c.padding, ceilMode: c.ceilMode });

describe('pooling matches torch.nn', () => {
  it.each(['maxpool2d_basic', 'maxpool2d_pad_stride', 'maxpool2d_ceil', 'maxpool2d_ceil_drop'])('MaxPool2d %s', (name) => {
    checkAgainstTorch(name, (c) => new nn.MaxPool2d(c.k, o(c)));
  });

  it.each([
    'avgpool2d_basic',
    'avgpool2d_pad',
    'avgpool2d_pad_exclude',
    'avgpool2d_ceil',
    'avgpool2d_ceil_exclude',
    'avgpool2d_ceil_nopad',
    'avgpool2d_divisor',
  ])('AvgPool2d %s', (name) => {
    checkAgainstTorch(name, (c) => new nn.AvgPool2d(c.k, { ...o(c), countIncludePad: c.countIncludePad, divisorOverride: c.divisorOverride }));
  });

  it.each(['maxpool1d', 'maxpool1d_basic'])('MaxPool1d %s', (name) => {
    checkAgainstTorch(name, (c) => new nn.MaxPool1d(c.k, o(c)));
  });

  it.each(['avgpool1d', 'avgpool1d_ceil_exclude'])('AvgPool1d %s', (name) => {
    checkAgainstTorch(name, (c) => new nn.AvgPool1d(c.k, { ...o(c), countIncludePad: c.countIncludePad }));
  });

  it.each(['adaptive_3x2', 'adaptive_4', 'adaptive_none_2', 'adaptive_1'])('AdaptiveAvgPool2d %s', (name) => {
    checkAgainstTorch(name, (c) => new nn.AdaptiveAvgPool2d(c.outputSize));
  });
});

describe('pooling numerics and checks', () => {
  it('AvgPool2d counts padding by default and excludes it on request', () => {
    const x = tf.ones([1, 2, 2, 1]);
    // k=2, s=1, p=1: the corner window holds one real element and three pads
    expectClose(new nn.AvgPool2d(2, { stride: 1, padding: 1 }).forward(x), [0.25, 0.5, 0.25, 0.5, 1, 0.5, 0.25, 0.5, 0.25]);
    expectClose(new nn.AvgPool2d(2, { stride: 1, padding: 1, countIncludePad: false }).forward(x), Array(9).fill(1));
    x.dispose();
  });

  it('MaxPool2d pads with -inf, not zeros', () => {
    const x = tf.fill([1, 2, 2, 1], -5);
    expectClose(new nn.MaxPool2d(2, { stride: 1, padding: 1 }).forward(x), Array(9).fill(-5));
    x.dispose();
  });

  it('MaxPool2d routes the gradient to the window maximum when every value is negative (wasm MaxPoolGrad regression)', () => {
    const v: number[] = [];
    for (let i = 0; i < 16; i++) v.push(-1 - i, -100 + i); // channel 0 peaks top-left, channel 1 bottom-right
    const x = tf.tensor4d(v, [1, 4, 4, 2]);
    const g = tf.grad((t: tf.Tensor) => new nn.MaxPool2d(2).forward(t).sum())(x);
    const expected = new Float32Array(32);
    for (const [h, w] of [[0, 0], [0, 2], [2, 0], [2, 2]]) expected[(h * 4 + w) * 2] = 1;
    for (const [h, w] of [[1, 1], [1, 3], [3, 1], [3, 3]]) expected[(h * 4 + w) * 2 + 1] = 1;
    expectClose(g, expected, { rtol: 0, atol: 0 });
    tf.dispose([x, g]);
  });

  it('kernel 1 with stride 2 subsamples', () => {
    const x = tf.tensor4d([-1, 2, -3, 4, -5, 6, -7, 8, -9, 10, -11, 12, -13, 14, -15, 16], [1, 4, 4, 1]);
    expectClose(new nn.MaxPool2d(1, { stride: 2 }).forward(x), [-1, -3, -9, -11]);
    expectClose(new nn.AvgPool2d(1, { stride: 2 }).forward(x), [-1, -3, -9, -11]);
    x.dispose();
  });

  it('AdaptiveAvgPool2d uses overlapping torch bins', () => {
    // L=5 -> 3 bins: [0,2), [1,4), [3,5)
    const x = tf.tensor4d([1, 2, 3, 4, 5], [1, 1, 5, 1]);
    expectClose(new nn.AdaptiveAvgPool2d([1, 3]).forward(x), [1.5, 3, 4.5]);
    x.dispose();
  });

  it('gradcheck, no leak, empty state dict', () => {
    const x = tf.tensor4d([0.1, 0.5, -0.3, 0.9, 0.2, -0.8, 0.4, 0.7, -0.1, 0.3, 0.6, -0.5, 1.1, -0.2, 0.8, 0.05, -0.6, 0.35], [1, 3, 3, 2]);
    const x1 = tf.tensor3d([0.1, 0.5, -0.3, 0.9, 0.2, -0.8, 0.4, 0.7, -0.1, 0.3], [1, 5, 2]);
    const layers2: nn.Module[] = [
      new nn.MaxPool2d(2, { stride: 1, padding: 1 }),
      new nn.AvgPool2d(2, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }),
      new nn.AdaptiveAvgPool2d([2, 2]),
    ];
    const layers1: nn.Module[] = [new nn.MaxPool1d(2, { ceilMode: true }), new nn.AvgPool1d(3, { stride: 2, padding: 1 })];
    for (const [layers, inp] of [[layers2, x], [layers1, x1]] as Array<[nn.Module[], tf.Tensor]>)
      for (const m of layers) {
        expect(gradcheck((a) => m.forward(a), [inp], { eps: 1e-3, atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
        expectNoLeakForwardBackward(m, inp);
        expect(Object.keys(m.stateDict())).toEqual([]);
      }
    tf.dispose([x, x1]);
  });

  it('validates config, naming field and value', () => {
    expect(() => new nn.MaxPool2d(0)).toThrow(/MaxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0/);
    expect(() => new nn.MaxPool2d(2, { padding: 2 })).toThrow(/MaxPool2d: padding \[2,2\] must be at most half of kernelSize \[2,2\]/);
    expect(() => new nn.AvgPool2d(2, { stride: [1, -1] })).toThrow(/AvgPool2d: stride must be an integer >= 1 or a pair of them, got \[1,-1\]/);
    expect(() => new nn.AvgPool2d(2, { divisorOverride: 0 })).toThrow(/AvgPool2d: divisorOverride must be > 0, got 0/);
    expect(() => new nn.MaxPool1d(3, { padding: 2 })).toThrow(/MaxPool1d: padding \(2\) must be at most half of kernelSize \(3\)/);
    expect(() => new nn.AvgPool1d(2.5)).toThrow(/AvgPool1d: kernelSize must be an integer >= 1, got 2.5/);
    expect(() => new nn.AdaptiveAvgPool2d(0)).toThrow(/AdaptiveAvgPool2d: outputSize must be .* got 0/);
  });

  it('rejects wrong input ranks and inputs smaller than the kernel', () => {
    const x3 = tf.zeros([2, 4, 4]);
    const x4 = tf.zeros([1, 2, 2, 3]);
    expect(() => new nn.MaxPool2d(2).forward(x3)).toThrow(/MaxPool2d: expected a 4-D input NHWC \[batch, height, width, channels\], got shape \[2,4,4\]/);
    expect(() => new nn.AdaptiveAvgPool2d(2).forward(x3)).toThrow(/AdaptiveAvgPool2d: expected a 4-D input NHWC/);
    expect(() => new nn.AvgPool1d(2).forward(x4)).toThrow(/AvgPool1d: expected a 3-D input \[batch, length, channels\], got shape \[1,2,2,3\]/);
    expect(() => new nn.AvgPool2d(3).forward(x4)).toThrow(/AvgPool2d: input height 2 \(padded 2\) is smaller than the kernel 3/);
    tf.dispose([x3, x4]);
  });
});
