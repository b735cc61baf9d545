import { backward, manualSeed, tf } from '@neuralzoo/core';
import { expectClose, expectNoLeak } from '@neuralzoo/core/testing';
import { BinaryImageDataset, bernoulliNll, binarize, MaskedConv2d, natsToBitsPerDim, PIXELCNN_DEFAULTS, pixelCnn, rasterMask } from './index';

const H = 6;
const W = 5;

/** |d sum(logits[:, r, q, :]) / dx| summed over the batch: [H, W, C] as nested arrays. */
function inputSensitivity(model: ReturnType<typeof pixelCnn>, x: tf.Tensor4D, r: number, q: number): number[][][] {
  const C = x.shape[3];
  const g = tf.grad((inp: tf.Tensor) => model.forward(inp).slice([0, r, q, 0], [x.shape[0], 1, 1, C]).sum())(x);
  const s = tf.tidy(() => g.abs().sum(0).arraySync() as number[][][]);
  g.dispose();
  return s;
}

describe('PixelCNN', () => {
  it('builds raster masks of type A (centre excluded) and B (centre included)', () => {
    expect(Array.from(rasterMask(1, 1, 3, 'A'))).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(rasterMask(1, 1, 3, 'B'))).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(rasterMask(1, 1, 1, 'A'))).toEqual([0]);
    expect(Array.from(rasterMask(2, 3, 5, 'B')).filter((v) => v === 1).length).toBe(6 * 13);
  });

  it('masked conv multiplies the weight by the mask (matches a conv with zeroed taps)', () => {
    manualSeed(1);
    const conv = new MaskedConv2d(2, 3, 3, 'A');
    const x = tf.randomUniform([1, 4, 4, 2]);
    const y = conv.forward(x);
    const masked = tf.mul(conv.weight.data, tf.tensor4d(rasterMask(3, 2, 3, 'A'), [3, 2, 3, 3]));
    const ref = tf.add(tf.conv2d(x as tf.Tensor4D, masked.transpose([2, 3, 1, 0]) as tf.Tensor4D, 1, 'same'), conv.bias.data);
    expectClose(y, ref, { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, y, masked, ref]);
    conv.dispose();
  });

  for (const gated of [false, true])
    it(`${gated ? 'gated' : 'residual'}: no output pixel depends on itself or a later pixel (input gradients), and each sees earlier ones`, () => {
      manualSeed(2);
      const m = pixelCnn({ inChannels: 2, hiddenChannels: 8, numBlocks: 3, outputChannels: 8, gated });
      const x = tf.randomUniform([2, H, W, 2]) as tf.Tensor4D;
      for (const [r, q] of [[0, 0], [0, 3], [2, 2], [3, 0], [5, 4]]) {
        const s = inputSensitivity(m, x, r, q);
        let earlier = 0;
        for (let i = 0; i < H; i++)
          for (let j = 0; j < W; j++)
            for (let c = 0; c < 2; c++) {
              if (i > r || (i === r && j >= q)) expect({ pixel: [r, q], input: [i, j, c], grad: s[i][j][c] }).toEqual({ pixel: [r, q], input: [i, j, c], grad: 0 });
              else earlier += s[i][j][c];
            }
        if (r > 0 || q > 0) expect(earlier).toBeGreaterThan(1e-6);
        if (q > 0) expect(s[r][q - 1][0] + s[r][q - 1][1]).toBeGreaterThan(0); // left neighbour
        if (r > 0) expect(s[r - 1][q][0] + s[r - 1][q][1]).toBeGreaterThan(0); // pixel above
      }
      x.dispose();
      m.dispose();
    });

  it('rows of the output depend only on the rows above: cutting the lower rows keeps them', () => {
    manualSeed(5);
    const m = pixelCnn({ hiddenChannels: 8, numBlocks: 2, outputChannels: 8 });
    const x = tf.randomUniform([2, H, W, 1]).greater(0.5).toFloat();
    const full = m.forward(x);
    const top = m.forward(x.slice([0, 0, 0, 0], [2, 3, W, 1]));
    expectClose(top, full.slice([0, 0, 0, 0], [2, 3, W, 1]), { rtol: 1e-5, atol: 1e-6 });
    tf.dispose([x, full, top]);
    m.dispose();
  });

  it('maps [B, H, W, C] to logits of the same shape, with PyTorch-layout named parameters', () => {
    manualSeed(0);
    const m = pixelCnn({ hiddenChannels: 8, numBlocks: 2, outputChannels: 6 });
    const x = tf.randomUniform([3, H, W, 1]).greater(0.5).toFloat();
    const y = expectNoLeak(() => m.forward(x), 1);
    expect(y.shape).toEqual([3, H, W, 1]);
    const shapes = Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]));
    expect(shapes).toEqual({
      'conv_in.weight': [8, 1, 7, 7], 'conv_in.bias': [8],
      'blocks.0.conv1.weight': [4, 8, 1, 1], 'blocks.0.conv1.bias': [4],
      'blocks.0.conv2.weight': [4, 4, 3, 3], 'blocks.0.conv2.bias': [4],
      'blocks.0.conv3.weight': [8, 4, 1, 1], 'blocks.0.conv3.bias': [8],
      'blocks.1.conv1.weight': [4, 8, 1, 1], 'blocks.1.conv1.bias': [4],
      'blocks.1.conv2.weight': [4, 4, 3, 3], 'blocks.1.conv2.bias': [4],
      'blocks.1.conv3.weight': [8, 4, 1, 1], 'blocks.1.conv3.bias': [8],
      'out1.weight': [6, 8, 1, 1], 'out1.bias': [6],
      'out2.weight': [1, 6, 1, 1], 'out2.bias': [1],
    });
    expect(m.numParameters()).toBe(8 * 49 + 8 + 2 * (32 + 4 + 144 + 4 + 32 + 8) + 48 + 6 + 6 + 1);
    const g = pixelCnn({ hiddenChannels: 8, numBlocks: 1, outputChannels: 6, gated: true });
    expect(Object.entries(g.stateDict()).filter(([k]) => k.startsWith('blocks')).map(([k, t]) => [k, t.shape])).toEqual([
      ['blocks.0.conv.weight', [16, 8, 3, 3]], ['blocks.0.conv.bias', [16]], ['blocks.0.proj.weight', [8, 8, 1, 1]], ['blocks.0.proj.bias', [8]],
    ]);
    tf.dispose([x, y]);
    m.dispose();
    g.dispose();
  });

  it('nll is the summed Bernoulli NLL per image in nats; the loss has finite gradients and leaks nothing', () => {
    manualSeed(3);
    const m = pixelCnn({ hiddenChannels: 8, numBlocks: 1, outputChannels: 8 });
    const x = tf.randomUniform([2, H, W, 1]).greater(0.5).toFloat();
    const logits = m.forward(x);
    const l = logits.dataSync();
    const t = x.dataSync();
    const per = [0, 0];
    for (let i = 0; i < l.length; i++) per[Math.floor(i / (H * W))] += Math.log1p(Math.exp(-Math.abs(l[i]))) + Math.max(l[i], 0) - t[i] * l[i];
    const nll = expectNoLeak(() => m.nll(x), 1);
    expectClose(nll, per, { rtol: 1e-5 });
    const batchLoss = bernoulliNll(logits, x);
    expectClose(batchLoss, (per[0] + per[1]) / 2, { rtol: 1e-5 });
    const loss = expectNoLeak(() => backward(() => m.loss(x), m), m.parameters().length);
    expect(loss).toBeCloseTo((per[0] + per[1]) / 2, 3);
    for (const p of m.parameters()) {
      const g = p.grad!.dataSync();
      expect(g.every(Number.isFinite)).toBe(true);
    }
    // taps removed by the masks get zero gradient: the mask-A centre of conv_in
    const gIn = m.conv_in.weight.grad!; // [8, 1, 7, 7]
    expect(Array.from(gIn.slice([0, 0, 3, 3], [8, 1, 1, 1]).dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(gIn.slice([0, 0, 4, 0], [8, 1, 3, 7]).dataSync()).every((v) => v === 0)).toBe(true);
    m.zeroGrad();
    tf.dispose([x, logits, nll, batchLoss]);
    m.dispose();
    expect(natsToBitsPerDim(784 * Math.LN2, 784)).toBeCloseTo(1, 10);
  });

  it('samples seeded, binary images pixel by pixel with the modelled probabilities', () => {
    manualSeed(4);
    const m = pixelCnn({ hiddenChannels: 8, numBlocks: 1, outputChannels: 8 });
    const a = expectNoLeak(() => m.sample(3, { height: 4, width: 4, seed: 7 }), 1);
    const b = m.sample(3, { height: 4, width: 4, seed: 7 });
    expect(a.shape).toEqual([3, 4, 4, 1]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Array.from(a.dataSync()).every((v) => v === 0 || v === 1)).toBe(true);
    expect(m.training).toBe(true);
    // out2 weights 0 and bias logit(0.8): every pixel is Bernoulli(0.8) whatever came before
    m.out2.weight.assign(tf.zerosLike(m.out2.weight.data));
    m.out2.bias.assign(tf.fill([1], Math.log(0.8 / 0.2)));
    const s = m.sample(50, { height: 4, width: 4, seed: 1 });
    const mean = s.mean().dataSync()[0];
    expect(Math.abs(mean - 0.8)).toBeLessThan(0.05); // 800 draws: sd 0.014
    tf.dispose([a, b, s]);
    m.dispose();
  });

  it('binarizes at the threshold and serves [x, x] batches', () => {
    expect(Array.from(binarize(Float32Array.from([0, 0.5, 0.51, 1])))).toEqual([0, 0, 1, 1]);
    const ds = new BinaryImageDataset(Float32Array.from([0, 1, 1, 0, 1, 1, 0, 0]), [2, 2, 2, 1]);
    const [x, y] = expectNoLeak(() => ds.getBatch([1, 0]), 2);
    expect(Array.from(x.dataSync())).toEqual([1, 1, 0, 0, 0, 1, 1, 0]);
    expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
    const [xi, yi] = expectNoLeak(() => ds.get(0), 2);
    expect(xi.shape).toEqual([2, 2, 1]);
    tf.dispose([xi, yi]);
  });

  it('validates config and input layout, naming both shapes', () => {
    expect(PIXELCNN_DEFAULTS.numBlocks).toBe(7);
    expect(() => pixelCnn({ hiddenChannels: 7 })).toThrow('PixelCNN: hiddenChannels (7) must be even');
    expect(() => pixelCnn({ inputKernelSize: 4 })).toThrow('PixelCNN: inputKernelSize must be an odd positive integer, got 4');
    const m = pixelCnn({ hiddenChannels: 4, numBlocks: 0, outputChannels: 4 });
    const x = tf.zeros([2, 1, 8, 8]);
    expect(() => m.forward(x)).toThrow(
      'PixelCNN: expected NHWC input [batch, height, width, 1], got shape [2,1,8,8]; this looks like NCHW [batch, 1, height, width]: transpose it with x.transpose([0, 2, 3, 1]), which gives [2,8,8,1]',
    );
    expect(() => m.sample(0, { height: 2, width: 2 })).toThrow('PixelCNN.sample: n must be a positive integer, got 0');
    x.dispose();
    m.dispose();
  });
});
