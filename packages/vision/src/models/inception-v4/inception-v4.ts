/**
 * Inception v4 and Inception-ResNet v2 (Szegedy, Ioffe, Vanhoucke & Alemi, 2016, "Inception-v4,
 * Inception-ResNet and the impact of residual connections on learning"), in the module layout of
 * the widely used PyTorch ports (Cadene's pretrainedmodels / timm): `features.N` for Inception v4,
 * `conv2d_1a … mixed_5b, repeat.N, mixed_6a, repeat_1.N, mixed_7a, repeat_2.N, block8, conv2d_7b`
 * for Inception-ResNet v2; every conv is conv (no bias) → BatchNorm (eps 1e-3) → ReLU. Input NHWC
 * [B, H, W, C] (299×299 as trained). Parameters: 42,679,816 (v4) and 55,843,464 (Inception-ResNet v2).
 */
import { nn, tf } from '@neuralzoo/core';
import { checkImageInput } from '../../blocks/check-input';
import { convSide, InceptionV4Config, resolveInceptionV4Config, scaleWidth } from './config';

type Pair = number | [number, number];

/** conv (no bias) → BatchNorm (eps 1e-3) → ReLU. */
export class BasicConv2d extends nn.Module {
  readonly conv: nn.Conv2d;
  readonly bn: nn.BatchNorm2d;

  constructor(inC: number, outC: number, kernelSize: Pair, opts: { stride?: number; padding?: Pair } = {}) {
    super();
    this.conv = this.registerModule('conv', new nn.Conv2d(inC, outC, kernelSize, { ...opts, bias: false }));
    this.bn = this.registerModule('bn', new nn.BatchNorm2d(outC, { eps: 0.001 }));
  }

  /** [B, H, W, inC] -> [B, H', W', outC] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => tf.relu(this.bn.forward(this.conv.forward(x))) as tf.Tensor4D);
  }
}

const ROW7 = { padding: [0, 3] as [number, number] }; // 1×7
const COL7 = { padding: [3, 0] as [number, number] }; // 7×1
const ROW3 = { padding: [0, 1] as [number, number] }; // 1×3
const COL3 = { padding: [1, 0] as [number, number] }; // 3×1

/** 3×3 stride-1 average pool that ignores the zero padding (count_include_pad=False). */
const avgPool3 = () => new nn.AvgPool2d(3, { stride: 1, padding: 1, countIncludePad: false });

/** Runs the branches on x and concatenates their channels. */
function concatBranches(x: tf.Tensor, branches: nn.Module[]): tf.Tensor4D {
  return tf.tidy(() => tf.concat(branches.map((b) => b.forward(x) as tf.Tensor4D), 3));
}

// ---------------------------------------------------------------- Inception v4 -----------------

/** Stem step 3 (147→73): 3×3 stride-2 max pool ‖ 3×3 stride-2 conv (64→96). Small stem: stride 1, padding 1. */
export class Mixed3a extends nn.Module {
  readonly maxpool: nn.MaxPool2d;
  readonly conv: BasicConv2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number, small: boolean) {
    super();
    const opts = small ? { stride: 1, padding: 1 } : { stride: 2 };
    this.maxpool = this.registerModule('maxpool', new nn.MaxPool2d(3, opts));
    this.conv = this.registerModule('conv', new BasicConv2d(inC, w(96), 3, opts));
    this.outChannels = inC + w(96);
  }

  /** [B, H, W, inC] -> [B, H', W', inC + 96] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.maxpool, this.conv]);
  }
}

/** Stem step 4 (73→71): 1×1→3×3 ‖ 1×1→1×7→7×1→3×3, valid 3×3 convs. */
export class Mixed4a extends nn.Module {
  readonly branch0: nn.Sequential;
  readonly branch1: nn.Sequential;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new nn.Sequential(new BasicConv2d(inC, w(64), 1), new BasicConv2d(w(64), w(96), 3)));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(
        new BasicConv2d(inC, w(64), 1),
        new BasicConv2d(w(64), w(64), [1, 7], ROW7),
        new BasicConv2d(w(64), w(64), [7, 1], COL7),
        new BasicConv2d(w(64), w(96), 3),
      ),
    );
    this.outChannels = 2 * w(96);
  }

  /** [B, H, W, inC] -> [B, H-2, W-2, 192] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1]);
  }
}

/** Stem step 5 (71→35): 3×3 stride-2 conv (192) ‖ 3×3 stride-2 max pool. */
export class Mixed5a extends nn.Module {
  readonly conv: BasicConv2d;
  readonly maxpool: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.conv = this.registerModule('conv', new BasicConv2d(inC, w(192), 3, { stride: 2 }));
    this.maxpool = this.registerModule('maxpool', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(192) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, 192 + inC] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.conv, this.maxpool]);
  }
}

/** Inception-A (35×35, 384 channels): 1×1 | 1×1→3×3 | 1×1→3×3→3×3 | avg pool→1×1. */
export class InceptionA extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.Sequential;
  readonly branch3: nn.Sequential;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(96), 1));
    this.branch1 = this.registerModule('branch1', new nn.Sequential(new BasicConv2d(inC, w(64), 1), new BasicConv2d(w(64), w(96), 3, { padding: 1 })));
    this.branch2 = this.registerModule(
      'branch2',
      new nn.Sequential(new BasicConv2d(inC, w(64), 1), new BasicConv2d(w(64), w(96), 3, { padding: 1 }), new BasicConv2d(w(96), w(96), 3, { padding: 1 })),
    );
    this.branch3 = this.registerModule('branch3', new nn.Sequential(avgPool3(), new BasicConv2d(inC, w(96), 1)));
    this.outChannels = 4 * w(96);
  }

  /** [B, H, W, inC] -> [B, H, W, 384] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2, this.branch3]);
  }
}

/** Reduction-A (35→17): 3×3 s2 (384) | 1×1 (192)→3×3 (224)→3×3 s2 (256) | max pool s2. */
export class ReductionA extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(384), 3, { stride: 2 }));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(new BasicConv2d(inC, w(192), 1), new BasicConv2d(w(192), w(224), 3, { padding: 1 }), new BasicConv2d(w(224), w(256), 3, { stride: 2 })),
    );
    this.branch2 = this.registerModule('branch2', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(384) + w(256) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, 1024] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2]);
  }
}

/** Inception-B (17×17, 1024): 1×1 | 1×1→1×7→7×1 | 1×1→7×1→1×7→7×1→1×7 | avg pool→1×1. */
export class InceptionB extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.Sequential;
  readonly branch3: nn.Sequential;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(384), 1));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(new BasicConv2d(inC, w(192), 1), new BasicConv2d(w(192), w(224), [1, 7], ROW7), new BasicConv2d(w(224), w(256), [7, 1], COL7)),
    );
    this.branch2 = this.registerModule(
      'branch2',
      new nn.Sequential(
        new BasicConv2d(inC, w(192), 1),
        new BasicConv2d(w(192), w(192), [7, 1], COL7),
        new BasicConv2d(w(192), w(224), [1, 7], ROW7),
        new BasicConv2d(w(224), w(224), [7, 1], COL7),
        new BasicConv2d(w(224), w(256), [1, 7], ROW7),
      ),
    );
    this.branch3 = this.registerModule('branch3', new nn.Sequential(avgPool3(), new BasicConv2d(inC, w(128), 1)));
    this.outChannels = w(384) + 2 * w(256) + w(128);
  }

  /** [B, H, W, inC] -> [B, H, W, 1024] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2, this.branch3]);
  }
}

/** Reduction-B (17→8): 1×1→3×3 s2 (192) | 1×1 (256)→1×7→7×1 (320)→3×3 s2 | max pool s2. */
export class ReductionB extends nn.Module {
  readonly branch0: nn.Sequential;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new nn.Sequential(new BasicConv2d(inC, w(192), 1), new BasicConv2d(w(192), w(192), 3, { stride: 2 })));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(
        new BasicConv2d(inC, w(256), 1),
        new BasicConv2d(w(256), w(256), [1, 7], ROW7),
        new BasicConv2d(w(256), w(320), [7, 1], COL7),
        new BasicConv2d(w(320), w(320), 3, { stride: 2 }),
      ),
    );
    this.branch2 = this.registerModule('branch2', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(192) + w(320) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, 1536] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2]);
  }
}

/** Inception-C (8×8, 1536): 1×1 | 1×1→(1×3 ‖ 3×1) | 1×1→3×1→1×3→(1×3 ‖ 3×1) | avg pool→1×1. */
export class InceptionC extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1_0: BasicConv2d;
  readonly branch1_1a: BasicConv2d;
  readonly branch1_1b: BasicConv2d;
  readonly branch2_0: BasicConv2d;
  readonly branch2_1: BasicConv2d;
  readonly branch2_2: BasicConv2d;
  readonly branch2_3a: BasicConv2d;
  readonly branch2_3b: BasicConv2d;
  readonly branch3: nn.Sequential;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(256), 1));
    this.branch1_0 = this.registerModule('branch1_0', new BasicConv2d(inC, w(384), 1));
    this.branch1_1a = this.registerModule('branch1_1a', new BasicConv2d(w(384), w(256), [1, 3], ROW3));
    this.branch1_1b = this.registerModule('branch1_1b', new BasicConv2d(w(384), w(256), [3, 1], COL3));
    this.branch2_0 = this.registerModule('branch2_0', new BasicConv2d(inC, w(384), 1));
    this.branch2_1 = this.registerModule('branch2_1', new BasicConv2d(w(384), w(448), [3, 1], COL3));
    this.branch2_2 = this.registerModule('branch2_2', new BasicConv2d(w(448), w(512), [1, 3], ROW3));
    this.branch2_3a = this.registerModule('branch2_3a', new BasicConv2d(w(512), w(256), [1, 3], ROW3));
    this.branch2_3b = this.registerModule('branch2_3b', new BasicConv2d(w(512), w(256), [3, 1], COL3));
    this.branch3 = this.registerModule('branch3', new nn.Sequential(avgPool3(), new BasicConv2d(inC, w(256), 1)));
    this.outChannels = 6 * w(256);
  }

  /** [B, H, W, inC] -> [B, H, W, 1536] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const b0 = this.branch0.forward(x);
      const s1 = this.branch1_0.forward(x);
      const s2 = this.branch2_2.forward(this.branch2_1.forward(this.branch2_0.forward(x)));
      const b3 = this.branch3.forward(x) as tf.Tensor4D;
      return tf.concat([b0, this.branch1_1a.forward(s1), this.branch1_1b.forward(s1), this.branch2_3a.forward(s2), this.branch2_3b.forward(s2), b3], 3);
    });
  }
}

/** Side of Inception v4's last feature map for an input side s (< 1: too small). */
export function inceptionV4Side(s: number, stem: InceptionV4Config['stem']): number {
  const small = stem === 'small';
  let v = convSide(s, 3, small ? 1 : 2); // features.0
  v = convSide(v, 3, 1); // features.1 (features.2 keeps the size)
  v = small ? v : convSide(v, 3, 2); // Mixed_3a
  v = convSide(v, 3, 1); // Mixed_4a
  v = convSide(v, 3, 2); // Mixed_5a
  v = convSide(v, 3, 2); // Reduction-A
  return v >= 3 ? convSide(v, 3, 2) : 0; // Reduction-B
}

/** Inception v4: stem → 4 × Inception-A → Reduction-A → 7 × Inception-B → Reduction-B → 3 × Inception-C → pool → fc. */
export class InceptionV4 extends nn.Module {
  readonly config: Readonly<Required<InceptionV4Config>>;
  readonly features: nn.Sequential;
  readonly dropout: nn.Dropout;
  readonly last_linear: nn.Linear;
  readonly minInputSize: number;

  constructor(config: Partial<InceptionV4Config> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveInceptionV4Config(config, 'InceptionV4', [4, 7, 3])));
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    const small = cfg.stem === 'small';
    const layers: nn.Module[] = [
      new BasicConv2d(cfg.inChannels, w(32), 3, { stride: small ? 1 : 2 }), // [B, 149, 149, 32] at 299
      new BasicConv2d(w(32), w(32), 3), // [B, 147, 147, 32]
      new BasicConv2d(w(32), w(64), 3, { padding: 1 }), // [B, 147, 147, 64]
    ];
    const add = <M extends nn.Module & { outChannels: number }>(m: M): number => (layers.push(m), m.outChannels);
    let c = add(new Mixed3a(w(64), w, small)); // [B, 73, 73, 160]
    c = add(new Mixed4a(c, w)); // [B, 71, 71, 192]
    c = add(new Mixed5a(c, w)); // [B, 35, 35, 384]
    for (let i = 0; i < cfg.blocks[0]; i++) c = add(new InceptionA(c, w)); // [B, 35, 35, 384]
    c = add(new ReductionA(c, w)); // [B, 17, 17, 1024]
    for (let i = 0; i < cfg.blocks[1]; i++) c = add(new InceptionB(c, w)); // [B, 17, 17, 1024]
    c = add(new ReductionB(c, w)); // [B, 8, 8, 1536]
    for (let i = 0; i < cfg.blocks[2]; i++) c = add(new InceptionC(c, w)); // [B, 8, 8, 1536]
    this.features = this.registerModule('features', new nn.Sequential(...layers));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.last_linear = this.registerModule('last_linear', new nn.Linear(c, cfg.numClasses));
    let min = 1;
    while (inceptionV4Side(min, cfg.stem) < 1) min++;
    this.minInputSize = min;
  }

  /** [B, H, W, inChannels] images (H, W >= minInputSize) -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    const stem = this.config.stem;
    checkImageInput('InceptionV4', x, {
      channels: this.config.inChannels,
      minSide: this.minInputSize,
      accepts: (h, w) => inceptionV4Side(h, stem) >= 1 && inceptionV4Side(w, stem) >= 1,
    });
    return tf.tidy(() => {
      const h = this.features.forward(x) as tf.Tensor4D; // [B, 8, 8, 1536] at 299
      const pooled = tf.mean(h, [1, 2]); // [B, 1536]
      return this.last_linear.forward(this.dropout.forward(pooled)) as tf.Tensor2D;
    });
  }
}

// ------------------------------------------------------------- Inception-ResNet v2 -------------

/** Mixed_5b (35×35, 192 → 320): 1×1 | 1×1→5×5 | 1×1→3×3→3×3 | avg pool→1×1. */
export class Mixed5b extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.Sequential;
  readonly branch3: nn.Sequential;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(96), 1));
    this.branch1 = this.registerModule('branch1', new nn.Sequential(new BasicConv2d(inC, w(48), 1), new BasicConv2d(w(48), w(64), 5, { padding: 2 })));
    this.branch2 = this.registerModule(
      'branch2',
      new nn.Sequential(new BasicConv2d(inC, w(64), 1), new BasicConv2d(w(64), w(96), 3, { padding: 1 }), new BasicConv2d(w(96), w(96), 3, { padding: 1 })),
    );
    this.branch3 = this.registerModule('branch3', new nn.Sequential(avgPool3(), new BasicConv2d(inC, w(64), 1)));
    this.outChannels = w(96) + w(64) + w(96) + w(64);
  }

  /** [B, H, W, inC] -> [B, H, W, 320] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2, this.branch3]);
  }
}

/**
 * A residual Inception block: branches concatenated → 1×1 conv (with bias, no BN) back to the
 * input width, scaled by `scale` and added to the input, then ReLU (none for the last block8).
 */
abstract class ResidualInception extends nn.Module {
  conv2d!: nn.Conv2d;

  constructor(
    readonly scale: number,
    readonly relu: boolean,
  ) {
    super();
  }

  protected abstract branches(x: tf.Tensor): tf.Tensor4D;

  /** [B, H, W, C] -> [B, H, W, C] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return tf.tidy(() => {
      const up = this.conv2d.forward(this.branches(x)); // [B, H, W, C]
      const y = tf.add(x, tf.mul(up, this.scale));
      return (this.relu ? tf.relu(y) : y) as tf.Tensor4D;
    });
  }
}

/** Block35 (Inception-ResNet-A, 35×35, 320): 1×1 | 1×1→3×3 | 1×1→3×3→3×3, scale 0.17. */
export class Block35 extends ResidualInception {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.Sequential;

  constructor(c: number, w: (c: number) => number, scale = 0.17) {
    super(scale, true);
    this.branch0 = this.registerModule('branch0', new BasicConv2d(c, w(32), 1));
    this.branch1 = this.registerModule('branch1', new nn.Sequential(new BasicConv2d(c, w(32), 1), new BasicConv2d(w(32), w(32), 3, { padding: 1 })));
    this.branch2 = this.registerModule(
      'branch2',
      new nn.Sequential(new BasicConv2d(c, w(32), 1), new BasicConv2d(w(32), w(48), 3, { padding: 1 }), new BasicConv2d(w(48), w(64), 3, { padding: 1 })),
    );
    this.conv2d = this.registerModule('conv2d', new nn.Conv2d(2 * w(32) + w(64), c, 1));
  }

  protected branches(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2]); // [B, H, W, 128]
  }
}

/** Block17 (Inception-ResNet-B, 17×17, 1088): 1×1 | 1×1→1×7→7×1, scale 0.10. */
export class Block17 extends ResidualInception {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;

  constructor(c: number, w: (c: number) => number, scale = 0.1) {
    super(scale, true);
    this.branch0 = this.registerModule('branch0', new BasicConv2d(c, w(192), 1));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(new BasicConv2d(c, w(128), 1), new BasicConv2d(w(128), w(160), [1, 7], ROW7), new BasicConv2d(w(160), w(192), [7, 1], COL7)),
    );
    this.conv2d = this.registerModule('conv2d', new nn.Conv2d(2 * w(192), c, 1));
  }

  protected branches(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1]); // [B, H, W, 384]
  }
}

/** Block8 (Inception-ResNet-C, 8×8, 2080): 1×1 | 1×1→1×3→3×1, scale 0.20 (the last one: scale 1, no ReLU). */
export class Block8 extends ResidualInception {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;

  constructor(c: number, w: (c: number) => number, scale = 0.2, relu = true) {
    super(scale, relu);
    this.branch0 = this.registerModule('branch0', new BasicConv2d(c, w(192), 1));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(new BasicConv2d(c, w(192), 1), new BasicConv2d(w(192), w(224), [1, 3], ROW3), new BasicConv2d(w(224), w(256), [3, 1], COL3)),
    );
    this.conv2d = this.registerModule('conv2d', new nn.Conv2d(w(192) + w(256), c, 1));
  }

  protected branches(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1]); // [B, H, W, 448]
  }
}

/** Mixed_6a (35→17, 320 → 1088): 3×3 s2 (384) | 1×1→3×3→3×3 s2 (384) | max pool s2. */
export class Mixed6a extends nn.Module {
  readonly branch0: BasicConv2d;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new BasicConv2d(inC, w(384), 3, { stride: 2 }));
    this.branch1 = this.registerModule(
      'branch1',
      new nn.Sequential(new BasicConv2d(inC, w(256), 1), new BasicConv2d(w(256), w(256), 3, { padding: 1 }), new BasicConv2d(w(256), w(384), 3, { stride: 2 })),
    );
    this.branch2 = this.registerModule('branch2', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = 2 * w(384) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, 1088] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2]);
  }
}

/** Mixed_7a (17→8, 1088 → 2080): 1×1→3×3 s2 (384) | 1×1→3×3 s2 (288) | 1×1→3×3→3×3 s2 (320) | max pool s2. */
export class Mixed7a extends nn.Module {
  readonly branch0: nn.Sequential;
  readonly branch1: nn.Sequential;
  readonly branch2: nn.Sequential;
  readonly branch3: nn.MaxPool2d;
  readonly outChannels: number;

  constructor(inC: number, w: (c: number) => number) {
    super();
    this.branch0 = this.registerModule('branch0', new nn.Sequential(new BasicConv2d(inC, w(256), 1), new BasicConv2d(w(256), w(384), 3, { stride: 2 })));
    this.branch1 = this.registerModule('branch1', new nn.Sequential(new BasicConv2d(inC, w(256), 1), new BasicConv2d(w(256), w(288), 3, { stride: 2 })));
    this.branch2 = this.registerModule(
      'branch2',
      new nn.Sequential(new BasicConv2d(inC, w(256), 1), new BasicConv2d(w(256), w(288), 3, { padding: 1 }), new BasicConv2d(w(288), w(320), 3, { stride: 2 })),
    );
    this.branch3 = this.registerModule('branch3', new nn.MaxPool2d(3, { stride: 2 }));
    this.outChannels = w(384) + w(288) + w(320) + inC;
  }

  /** [B, H, W, inC] -> [B, (H-3)/2+1, (W-3)/2+1, 2080] */
  forward(x: tf.Tensor): tf.Tensor4D {
    return concatBranches(x, [this.branch0, this.branch1, this.branch2, this.branch3]);
  }
}

/** Side of Inception-ResNet v2's last feature map for an input side s (< 1: too small). */
export function inceptionResNetV2Side(s: number, stem: InceptionV4Config['stem']): number {
  const small = stem === 'small';
  let v = convSide(s, 3, small ? 1 : 2); // conv2d_1a
  v = convSide(v, 3, 1); // conv2d_2a (2b keeps the size)
  if (!small) v = convSide(v, 3, 2); // maxpool_3a
  v = convSide(v, 3, 1); // conv2d_4a
  if (!small) v = convSide(v, 3, 2); // maxpool_5a
  v = convSide(v, 3, 2); // mixed_6a
  return convSide(v, 3, 2); // mixed_7a
}

/**
 * Inception-ResNet v2: stem → Mixed_5b → 10 × Block35 → Mixed_6a → 20 × Block17 → Mixed_7a →
 * 9 × Block8 → Block8 (no ReLU) → 1×1 conv (1536) → pool → fc.
 */
export class InceptionResNetV2 extends nn.Module {
  readonly config: Readonly<Required<InceptionV4Config>>;
  readonly conv2d_1a: BasicConv2d;
  readonly conv2d_2a: BasicConv2d;
  readonly conv2d_2b: BasicConv2d;
  readonly maxpool_3a: nn.Module;
  readonly conv2d_3b: BasicConv2d;
  readonly conv2d_4a: BasicConv2d;
  readonly maxpool_5a: nn.Module;
  readonly mixed_5b: Mixed5b;
  readonly repeat: nn.Sequential;
  readonly mixed_6a: Mixed6a;
  readonly repeat_1: nn.Sequential;
  readonly mixed_7a: Mixed7a;
  readonly repeat_2: nn.Sequential;
  readonly block8: Block8;
  readonly conv2d_7b: BasicConv2d;
  readonly dropout: nn.Dropout;
  readonly last_linear: nn.Linear;
  readonly minInputSize: number;

  constructor(config: Partial<InceptionV4Config> = {}) {
    super();
    const cfg = (this.config = Object.freeze(resolveInceptionV4Config(config, 'InceptionResNetV2', [10, 20, 9])));
    const w = (c: number) => scaleWidth(c, cfg.widthMultiplier);
    const small = cfg.stem === 'small';
    const pool = () => (small ? new nn.Identity() : new nn.MaxPool2d(3, { stride: 2 }));
    this.conv2d_1a = this.registerModule('conv2d_1a', new BasicConv2d(cfg.inChannels, w(32), 3, { stride: small ? 1 : 2 }));
    this.conv2d_2a = this.registerModule('conv2d_2a', new BasicConv2d(w(32), w(32), 3));
    this.conv2d_2b = this.registerModule('conv2d_2b', new BasicConv2d(w(32), w(64), 3, { padding: 1 }));
    this.maxpool_3a = this.registerModule('maxpool_3a', pool());
    this.conv2d_3b = this.registerModule('conv2d_3b', new BasicConv2d(w(64), w(80), 1));
    this.conv2d_4a = this.registerModule('conv2d_4a', new BasicConv2d(w(80), w(192), 3));
    this.maxpool_5a = this.registerModule('maxpool_5a', pool());
    this.mixed_5b = this.registerModule('mixed_5b', new Mixed5b(w(192), w));
    const a = this.mixed_5b.outChannels;
    this.repeat = this.registerModule('repeat', new nn.Sequential(...Array.from({ length: cfg.blocks[0] }, () => new Block35(a, w))));
    this.mixed_6a = this.registerModule('mixed_6a', new Mixed6a(a, w));
    const b = this.mixed_6a.outChannels;
    this.repeat_1 = this.registerModule('repeat_1', new nn.Sequential(...Array.from({ length: cfg.blocks[1] }, () => new Block17(b, w))));
    this.mixed_7a = this.registerModule('mixed_7a', new Mixed7a(b, w));
    const c = this.mixed_7a.outChannels;
    this.repeat_2 = this.registerModule('repeat_2', new nn.Sequential(...Array.from({ length: cfg.blocks[2] }, () => new Block8(c, w))));
    this.block8 = this.registerModule('block8', new Block8(c, w, 1, false));
    this.conv2d_7b = this.registerModule('conv2d_7b', new BasicConv2d(c, w(1536), 1));
    this.dropout = this.registerModule('dropout', new nn.Dropout(cfg.dropout));
    this.last_linear = this.registerModule('last_linear', new nn.Linear(w(1536), cfg.numClasses));
    let min = 1;
    while (inceptionResNetV2Side(min, cfg.stem) < 1) min++;
    this.minInputSize = min;
  }

  /** [B, H, W, inChannels] images (H, W >= minInputSize) -> [B, numClasses] logits. */
  forward(x: tf.Tensor): tf.Tensor2D {
    const stem = this.config.stem;
    checkImageInput('InceptionResNetV2', x, {
      channels: this.config.inChannels,
      minSide: this.minInputSize,
      accepts: (h, w) => inceptionResNetV2Side(h, stem) >= 1 && inceptionResNetV2Side(w, stem) >= 1,
    });
    return tf.tidy(() => {
      let h = this.conv2d_2b.forward(this.conv2d_2a.forward(this.conv2d_1a.forward(x))); // [B, 147, 147, 64] at 299
      h = this.maxpool_3a.forward(h) as tf.Tensor4D; // [B, 73, 73, 64]
      h = this.conv2d_4a.forward(this.conv2d_3b.forward(h)); // [B, 71, 71, 192]
      h = this.maxpool_5a.forward(h) as tf.Tensor4D; // [B, 35, 35, 192]
      h = this.repeat.forward(this.mixed_5b.forward(h)) as tf.Tensor4D; // [B, 35, 35, 320]
      h = this.repeat_1.forward(this.mixed_6a.forward(h)) as tf.Tensor4D; // [B, 17, 17, 1088]
      h = this.repeat_2.forward(this.mixed_7a.forward(h)) as tf.Tensor4D; // [B, 8, 8, 2080]
      h = this.conv2d_7b.forward(this.block8.forward(h)); // [B, 8, 8, 1536]
      const pooled = tf.mean(h, [1, 2]); // [B, 1536]
      return this.last_linear.forward(this.dropout.forward(pooled)) as tf.Tensor2D;
    });
  }
}

/** Inception v4 (the paper's 299×299 network): 42,679,816 parameters at the defaults. */
export function inceptionV4(config: Partial<InceptionV4Config> = {}): InceptionV4 {
  return new InceptionV4(config);
}

/** Inception-ResNet v2 (the paper's 299×299 network): 55,843,464 parameters at the defaults. */
export function inceptionResNetV2(config: Partial<InceptionV4Config> = {}): InceptionResNetV2 {
  return new InceptionResNetV2(config);
}
