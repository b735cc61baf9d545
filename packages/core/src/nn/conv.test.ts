import { tf, nn, gradcheck, manualSeed } from '@neuralzoo/core';
import { expectClose } from '@neuralzoo/core/testing';
import { checkAgainstTorch, expectNoLeakForwardBackward, expectStateDictRoundTrip } from '../../fixtures/nn_layers/harness';

type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const opts = (c: Cfg) => ({ stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups, bias: c.bias });

describe('Conv2d (NHWC) matches torch.nn.Conv2d', () => {
  it.each([
    'conv2d_basic',
    'conv2d_stride_pad',
    'conv2d_dilation',
    'conv2d_stride_dilation',
    'conv2d_groups',
    'conv2d_depthwise',
    'conv2d_depthwise_dilation',
    'conv2d_same',
    'conv2d_valid_nobias',
  ])('%s: output, input grad, weight/bias grads', (name) => {
    checkAgainstTorch(name, (c) => new nn.Conv2d(c.in, c.out, c.k, opts(c)));
  });

  it('has PyTorch state dict names and layout, and default init bounds', () => {
    manualSeed(0);
    const c = new nn.Conv2d(4, 6, [3, 2], { groups: 2 });
    const sd = c.stateDict();
    expect(Object.keys(sd)).toEqual(['weight', 'bias']);
    expect(sd.weight.shape).toEqual([6, 2, 3, 2]);
    const bound = 1 / Math.sqrt(2 * 3 * 2);
    expect(tf.max(tf.abs(sd.weight)).dataSync()[0]).toBeLessThanOrEqual(bound);
    expect(tf.max(tf.abs(sd.bias)).dataSync()[0]).toBeLessThanOrEqual(bound);
    c.dispose();
  });

  it('gradcheck (input, weight, bias) with stride, padding and groups', () => {
    manualSeed(1);
    const c = new nn.Conv2d(2, 2, 2, { stride: 2, padding: 1, groups: 2 });
    const x = tf.randomNormal([1, 3, 3, 2], 0, 1, 'float32', 2);
    expect(gradcheck((a) => c.forward(a), [x, c.weight, c.bias!], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    x.dispose();
    c.dispose();
  });

  it('no leak, state dict round trip', () => {
    manualSeed(2);
    const a = new nn.Conv2d(3, 4, 3, { padding: 1, dilation: 2, stride: 2 });
    const b = new nn.Conv2d(3, 4, 3, { padding: 1, dilation: 2, stride: 2 });
    const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 3);
    expectNoLeakForwardBackward(a, x);
    expectStateDictRoundTrip(a, b, x);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('validates config, naming field and value', () => {
    expect(() => new nn.Conv2d(3, 4, 0)).toThrow(/Conv2d: kernelSize must be an integer >= 1 or a pair of them, got 0/);
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new nn.Conv2d(4, 3, 3, { groups: 2 })).toThrow(/Conv2d: outChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new nn.Conv2d(0, 3, 3)).toThrow(/Conv2d: inChannels must be a positive integer, got 0/);
    expect(() => new nn.Conv2d(3, 3, 3, { stride: [1, 0] })).toThrow(/Conv2d: stride must be an integer >= 1 or a pair of them, got \[1,0\]/);
    expect(() => new nn.Conv2d(3, 3, 3, { padding: -1 })).toThrow(/Conv2d: padding must be an integer >= 0/);
    expect(() => new nn.Conv2d(3, 3, 3, { padding: 'same', stride: 2 })).toThrow(/Conv2d: padding 'same' needs stride 1, got stride \[2,2\]/);
    expect(() => new nn.Conv2d(3, 3, 3, { groups: 0 })).toThrow(/Conv2d: groups must be a positive integer, got 0/);
  });

  it('rejects wrong rank, NCHW input and too-small images with both shapes', () => {
    const c = new nn.Conv2d(3, 4, 3);
    const nchw = tf.zeros([2, 3, 8, 8]);
    expect(() => c.forward(nchw)).toThrow(
      /Conv2d: expected input NHWC \[batch, height, width, channels\] with 3 channels, got shape \[2,3,8,8\] \(this looks like NCHW input/,
    );
    const r3 = tf.zeros([8, 8, 3]);
    expect(() => c.forward(r3)).toThrow(/Conv2d: expected a 4-D input NHWC .*got shape \[8,8,3\]/);
    const small = tf.zeros([1, 2, 5, 3]);
    expect(() => c.forward(small)).toThrow(/Conv2d: input height 2 \(padded 2\) is smaller than the dilated kernel 3/);
    tf.dispose([nchw, r3, small]);
    c.dispose();
  });
});

describe('Conv1d ([B, L, C]) matches torch.nn.Conv1d', () => {
  it.each(['conv1d_basic', 'conv1d_options', 'conv1d_same'])('%s', (name) => {
    checkAgainstTorch(name, (c) => new nn.Conv1d(c.in, c.out, c.k, opts(c)));
  });

  it('state dict layout [out, in/groups, k], gradcheck, no leak, round trip', () => {
    manualSeed(3);
    const a = new nn.Conv1d(4, 2, 3, { groups: 2, padding: 1, stride: 2 });
    expect(a.stateDict().weight.shape).toEqual([2, 2, 3]);
    const x = tf.randomNormal([1, 5, 4], 0, 1, 'float32', 4);
    expect(gradcheck((t) => a.forward(t), [x, a.weight, a.bias!], { atol: 5e-3, rtol: 2e-2 }).ok).toBe(true);
    expectNoLeakForwardBackward(a, x);
    const b = new nn.Conv1d(4, 2, 3, { groups: 2, padding: 1, stride: 2 });
    expectStateDictRoundTrip(a, b, x);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('validates config and input', () => {
    expect(() => new nn.Conv1d(2, 2, 1.5)).toThrow(/Conv1d: kernelSize must be an integer >= 1, got 1.5/);
    expect(() => new nn.Conv1d(2, 2, 3, { padding: 'same', stride: 2 })).toThrow(/Conv1d: padding 'same' needs stride 1, got stride 2/);
    const c = new nn.Conv1d(3, 2, 3);
    const ncl = tf.zeros([2, 3, 10]);
    expect(() => c.forward(ncl)).toThrow(/Conv1d: expected input \[batch, length, channels\] with 3 channels, got shape \[2,3,10\] \(this looks like \[batch, channels, length\]/);
    const r2 = tf.zeros([10, 3]);
    expect(() => c.forward(r2)).toThrow(/Conv1d: expected a 3-D input \[batch, length, channels\], got shape \[10,3\]/);
    tf.dispose([ncl, r2]);
    c.dispose();
  });
});

describe('ConvTranspose2d (NHWC) matches torch.nn.ConvTranspose2d', () => {
  it.each(['convt_basic', 'convt_stride', 'convt_dilation', 'convt_groups', 'convt_crop'])('%s', (name) => {
    checkAgainstTorch(name, (c) => new nn.ConvTranspose2d(c.in, c.out, c.k, { ...opts(c), outputPadding: c.outputPadding }));
  });

  it('weight layout [in, out/groups, kh, kw], output size formula, gradcheck, no leak, round trip', () => {
    manualSeed(4);
    const a = new nn.ConvTranspose2d(4, 6, [3, 2], { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expect(a.stateDict().weight.shape).toEqual([4, 3, 3, 2]);
    const x = tf.randomNormal([1, 3, 2, 4], 0, 1, 'float32', 5);
    const y = a.forward(x);
    expect(y.shape).toEqual([1, (3 - 1) * 2 - 2 + 2 + 1 + 1, (2 - 1) * 2 - 2 + 1 + 1 + 1, 6]);
    y.dispose();
    expect(gradcheck((t) => a.forward(t), [x, a.weight, a.bias!], { atol: 5e-3, rtol: 2e-2, maxElements: 24 }).ok).toBe(true);
    expectNoLeakForwardBackward(a, x);
    const b = new nn.ConvTranspose2d(4, 6, [3, 2], { stride: 2, padding: 1, outputPadding: 1, groups: 2 });
    expectStateDictRoundTrip(a, b, x);
    tf.dispose(x);
    a.dispose();
    b.dispose();
  });

  it('validates config and input', () => {
    expect(() => new nn.ConvTranspose2d(2, 2, 3, { stride: 2, outputPadding: 2 })).toThrow(
      /ConvTranspose2d: outputPadding \(2\) must be smaller than stride or dilation/,
    );
    expect(() => new nn.ConvTranspose2d(2, 3, 3, { groups: 2 })).toThrow(/ConvTranspose2d: outChannels \(3\) must be divisible by groups \(2\)/);
    const c = new nn.ConvTranspose2d(3, 2, 2);
    const nchw = tf.zeros([1, 3, 4, 4]);
    expect(() => c.forward(nchw)).toThrow(/ConvTranspose2d: .*got shape \[1,3,4,4\] \(this looks like NCHW/);
    tf.dispose(nchw);
    c.dispose();
  });
});

describe('conv numerics', () => {
  it('Conv2d with a one-hot kernel copies a shifted input', () => {
    const c = new nn.Conv2d(1, 1, 3, { padding: 1, bias: false });
    const w = tf.buffer([1, 1, 3, 3]);
    w.set(1, 0, 0, 0, 1); // the tap above the centre: y[i, j] = x[i-1, j]
    c.weight.assign(w.toTensor());
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
    expectClose(c.forward(x), [0, 0, 0, 1, 2, 3, 4, 5, 6]);
    x.dispose();
    c.dispose();
  });
});
