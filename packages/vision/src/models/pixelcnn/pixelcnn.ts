/**
 * PixelCNN (van den Oord, Kalchbrenner & Kavukcuoglu, 2016, "Pixel recurrent neural networks"):
 * an autoregressive density model p(x) = Π_i p(x_i | x_<i) over pixels in raster order, built
 * from masked convolutions. A mask-A 7×7 conv sees only earlier pixels; residual blocks
 * (1×1 → mask-B 3×3 → 1×1, or gated tanh ⊙ σ blocks) keep the current pixel's own features but
 * never look at later ones; 1×1 convs give one Bernoulli logit per pixel and channel.
 * Input NHWC [B, H, W, C] binary images; state dict `conv_in.weight`, `blocks.0.conv1.weight`,
 * `out1.weight`, `out2.weight` … in PyTorch layout ([out, in, kh, kw], masked in the forward).
 */
import { defaultGenerator, F, Generator, nn, noGrad, tf } from '@neuralzoo/core';
import { checkImageInput } from '../../blocks/check-input';
import { PixelCnnConfig, resolvePixelCnnConfig } from './config';

export type MaskType = 'A' | 'B';

/**
 * The [out, in, k, k] mask of a raster-order masked conv: taps above the centre row, and left of
 * the centre in the centre row, are kept; the centre itself only for mask 'B'. Channels of one
 * pixel are not ordered, so the mask is the same for every (out, in) pair.
 */
export function rasterMask(outC: number, inC: number, k: number, type: MaskType): Float32Array {
  const m = new Float32Array(outC * inC * k * k);
  const c = (k - 1) / 2;
  for (let o = 0; o < outC * inC; o++)
    for (let r = 0; r < k; r++)
      for (let q = 0; q < k; q++) m[o * k * k + r * k + q] = r < c || (r === c && (q < c || (q === c && type === 'B'))) ? 1 : 0;
  return m;
}

/** k×k stride-1 'same' conv whose weight is multiplied by a raster mask of type A or B. */
export class MaskedConv2d extends nn.Module {
  readonly weight: nn.Parameter;
  readonly bias: nn.Parameter;
  private readonly mask: Float32Array;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly maskType: MaskType,
  ) {
    super();
    if (kernelSize % 2 !== 1) throw new Error(`MaskedConv2d: kernelSize must be odd, got ${kernelSize}`);
    const shape = [outChannels, inChannels, kernelSize, kernelSize];
    this.weight = this.registerParameter('weight', new nn.Parameter(nn.init.defaultWeight(shape)));
    this.bias = this.registerParameter('bias', new nn.Parameter(nn.init.defaultBias(outChannels, inChannels * kernelSize * kernelSize)));
    this.mask = rasterMask(outChannels, inChannels, kernelSize, maskType);
  }

  /** [B, H, W, inChannels] -> [B, H, W, outChannels] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.kernelSize;
      const mask = tf.tensor4d(this.mask, [this.outChannels, this.inChannels, k, k]);
      const w = tf.mul(this.weight.data, mask).transpose([2, 3, 1, 0]) as tf.Tensor4D; // [k, k, in, out]
      return tf.add(tf.conv2d(x as tf.Tensor4D, w, 1, 'same'), this.bias.data) as tf.Tensor4D;
    });
  }
}

/** Residual block of the paper (Fig. 5): ReLU → 1×1 (2h→h) → ReLU → mask-B k×k (h→h) → ReLU → 1×1 (h→2h), plus input. */
export class PixelCnnResidualBlock extends nn.Module {
  readonly conv1: MaskedConv2d;
  readonly conv2: MaskedConv2d;
  readonly conv3: MaskedConv2d;

  constructor(channels: number, kernelSize: number) {
    super();
    const h = channels / 2;
    this.conv1 = this.registerModule('conv1', new MaskedConv2d(channels, h, 1, 'B'));
    this.conv2 = this.registerModule('conv2', new MaskedConv2d(h, h, kernelSize, 'B'));
    this.conv3 = this.registerModule('conv3', new MaskedConv2d(h, channels, 1, 'B'));
  }

  /** [B, H, W, 2h] -> [B, H, W, 2h] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      let y = this.conv1.forward(tf.relu(x)); // [B, H, W, h]
      y = this.conv2.forward(tf.relu(y)); // [B, H, W, h]
      y = this.conv3.forward(tf.relu(y)); // [B, H, W, 2h]
      return tf.add(x, y) as tf.Tensor4D;
    });
  }
}

/** Gated block: mask-B k×k (2h → 2·2h) split into f, g → tanh(f) ⊙ σ(g) → 1×1 (2h→2h), plus input. */
export class PixelCnnGatedBlock extends nn.Module {
  readonly conv: MaskedConv2d;
  readonly proj: MaskedConv2d;

  constructor(channels: number, kernelSize: number) {
    super();
    this.conv = this.registerModule('conv', new MaskedConv2d(channels, 2 * channels, kernelSize, 'B'));
    this.proj = this.registerModule('proj', new MaskedConv2d(channels, channels, 1, 'B'));
  }

  /** [B, H, W, 2h] -> [B, H, W, 2h] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const [f, g] = tf.split(this.conv.forward(x), 2, 3); // 2 × [B, H, W, 2h]
      const gated = tf.mul(tf.tanh(f), tf.sigmoid(g));
      return tf.add(x, this.proj.forward(gated)) as tf.Tensor4D;
    });
  }
}

/** Options of `PixelCNN.sample`. */
export interface PixelCnnSampleOptions {
  /** Image height. */
  height: number;
  /** Image width. */
  width: number;
  /** Seed of a fresh generator for the Bernoulli draws; without it the default generator draws. */
  seed?: number;
  /** Generator for the draws (wins over `seed`). */
  generator?: Generator;
}

export class PixelCNN extends nn.Module {
  readonly config: Readonly<PixelCnnConfig>;
  readonly conv_in: MaskedConv2d;
  readonly blocks: nn.ModuleList;
  readonly out1: MaskedConv2d;
  readonly out2: MaskedConv2d;

  constructor(config: Partial<PixelCnnConfig> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolvePixelCnnConfig(config)));
    const c = cfg.hiddenChannels;
    this.conv_in = this.registerModule('conv_in', new MaskedConv2d(cfg.inChannels, c, cfg.inputKernelSize, 'A'));
    const blocks = Array.from({ length: cfg.numBlocks }, () =>
      cfg.gated ? new PixelCnnGatedBlock(c, cfg.blockKernelSize) : new PixelCnnResidualBlock(c, cfg.blockKernelSize),
    );
    this.blocks = this.registerModule('blocks', new nn.ModuleList(blocks));
    this.out1 = this.registerModule('out1', new MaskedConv2d(c, cfg.outputChannels, 1, 'B'));
    this.out2 = this.registerModule('out2', new MaskedConv2d(cfg.outputChannels, cfg.inChannels, 1, 'B'));
  }

  /** [B, H, W, C] binary images -> [B, H, W, C] Bernoulli logits of each pixel given the earlier ones. */
  forward(x: tf.Tensor): tf.Tensor4D {
    checkImageInput('PixelCNN', x, { channels: this.config.inChannels });
    return tf.tidy(() => {
      let h = this.conv_in.forward(x); // [B, H, W, 2h]
      for (const block of this.blocks) h = (block as PixelCnnResidualBlock).forward(h);
      h = this.out1.forward(tf.relu(h)); // [B, H, W, outputChannels]
      return this.out2.forward(tf.relu(h)); // [B, H, W, C]
    });
  }

  /** Negative log-likelihood of each image in nats: [B, H, W, C] binary images -> [B]. */
  nll(x: tf.Tensor): tf.Tensor1D {
    return tf.tidy(() => F.bceWithLogits(this.forward(x), x, { reduction: 'none' }).sum([1, 2, 3]) as tf.Tensor1D);
  }

  /** Mean NLL in nats per image of a batch: the training loss. */
  loss(x: tf.Tensor): tf.Scalar {
    return tf.tidy(() => this.nll(x).mean() as tf.Scalar);
  }

  /**
   * Draws n images pixel by pixel in raster order (one forward pass per pixel over the rows so far,
   * eval mode, no gradients): [n, height, width, C] of 0/1. Seeded draws give the same images on
   * every run.
   */
  sample(n: number, opts: PixelCnnSampleOptions): tf.Tensor4D {
    const { height: H, width: W } = opts;
    for (const [k, v] of [['n', n], ['height', H], ['width', W]] as const)
      if (!Number.isInteger(v) || v <= 0) throw new Error(`PixelCNN.sample: ${k} must be a positive integer, got ${v}`);
    const gen = opts.generator ?? (opts.seed !== undefined ? new Generator(opts.seed) : defaultGenerator);
    const C = this.config.inChannels;
    const pixels = new Float32Array(n * H * W * C);
    const wasTraining = this.training;
    this.eval();
    try {
      for (let r = 0; r < H; r++)
        for (let q = 0; q < W; q++) {
          // Row r depends on rows <= r only (the masks never look down), so the rows below are cut.
          const rows = r + 1;
          const top = new Float32Array(n * rows * W * C);
          for (let b = 0; b < n; b++) top.set(pixels.subarray(b * H * W * C, (b * H + rows) * W * C), b * rows * W * C);
          const p = noGrad(() =>
            tf.tidy(() => {
              const logits = this.forward(tf.tensor4d(top, [n, rows, W, C])); // [n, r + 1, W, C]
              return tf.sigmoid(logits.slice([0, r, q, 0], [n, 1, 1, C])).dataSync(); // [n, 1, 1, C]
            }),
          );
          const u = gen.uniformArray(n * C);
          for (let b = 0; b < n; b++)
            for (let ch = 0; ch < C; ch++) pixels[((b * H + r) * W + q) * C + ch] = u[b * C + ch] < p[b * C + ch] ? 1 : 0;
        }
    } finally {
      if (wasTraining) this.train();
    }
    return tf.tensor4d(pixels, [n, H, W, C]);
  }
}

/** PixelCNN; `config` overrides `PIXELCNN_DEFAULTS` (1 channel, 2h = 64, 7 residual blocks). */
export function pixelCnn(config: Partial<PixelCnnConfig> = {}): PixelCNN {
  return new PixelCNN(config);
}

/** NLL in nats per image -> bits per dimension for images of `dims` = H·W·C values. */
export function natsToBitsPerDim(nats: number, dims: number): number {
  return nats / (dims * Math.LN2);
}
