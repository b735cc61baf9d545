import * as path from 'path';
import { manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { expectClose, loadFixture } from '@neuralzoo/core/testing';
import { buildUninitialised, errors, loadFormulaWeights, Structure } from '../../../test/torchvision-parity';
import {
  BasicBlock,
  Bottleneck,
  RESNET_DEFAULTS,
  RESNET_FASHION_MNIST_RECIPES,
  ResNet,
  resnet101,
  resnet152,
  resnet18,
  resnet34,
  resnet50,
} from './index';

const FIXTURES = path.join(__dirname, '../../../fixtures/resnet');
const BACKEND = (globalThis as { NEURALZOO_TEST_BACKEND?: string }).NEURALZOO_TEST_BACKEND;
/** Full-size models are big: structure checks run on cpu, logits parity on wasm, once each. */
const onCpu = BACKEND === 'wasm' ? it.skip : it;
const onWasm = BACKEND === 'wasm' ? it : it.skip;

const BUILDERS = { resnet18, resnet34, resnet50, resnet101, resnet152 };
const COUNTS = { resnet18: 11_689_512, resnet34: 21_797_672, resnet50: 25_557_032, resnet101: 44_549_160, resnet152: 60_192_808 };

describe('ResNet (torchvision)', () => {
  const structure = loadFixture(FIXTURES, 'structure').meta.builders as Structure;

  for (const [name, build] of Object.entries(BUILDERS)) {
    onCpu(`${name}() has torchvision 0.14's state dict: ordered keys, shapes, ${COUNTS[name as keyof typeof COUNTS].toLocaleString('en-US')} parameters`, () => {
      const m = buildUninitialised(() => build());
      expect(Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape])).toEqual(structure[name].keys);
      expect(m.numParameters()).toBe(structure[name].count);
      expect(m.numParameters()).toBe(COUNTS[name as keyof typeof COUNTS]);
      m.dispose();
    });
  }

  for (const [name, build] of [['resnet18', resnet18], ['resnet50', resnet50]] as const) {
    onWasm(`matches torchvision ${name} logits on 64×64 input with a torchvision-named state dict`, async () => {
      const fx = loadFixture(FIXTURES, `${name}_64`);
      const m = buildUninitialised(() => build()).eval();
      await loadFormulaWeights(m);
      const y = m.forward(fx.tensors.x);
      const { maxErr, maxRef } = errors(y, fx.tensors.out);
      expect(maxRef).toBeGreaterThan(1);
      expect(maxErr).toBeLessThan(1e-4 * Math.max(1, maxRef)); // 1e-4 relative to the largest logit
      tf.dispose(y);
      m.dispose();
      fx.dispose();
    });
  }

  for (const [name, Block] of [['basic', BasicBlock], ['bottleneck', Bottleneck]] as const) {
    it(`${Block.name} loads a seeded torchvision ${Block.name} state dict (trained BatchNorm statistics) and matches its output`, () => {
      const fx = loadFixture(FIXTURES, `block_${name}`);
      const sd = Object.fromEntries(Object.entries(fx.tensors).filter(([k]) => k.startsWith('sd.')).map(([k, t]) => [k.slice(3), t]));
      const [inplanes, planes, stride, outC] = name === 'basic' ? [8, 16, 2, 16] : [8, 4, 1, 16];
      const down = new nn.Sequential(new nn.Conv2d(inplanes, outC, 1, { stride, bias: false }), new nn.BatchNorm2d(outC));
      const block = new Block(inplanes, planes, stride, down).eval();
      block.loadStateDict(sd);
      const y = block.forward(fx.tensors.x);
      expectClose(y, fx.tensors.out, { rtol: 1e-4, atol: 1e-5, what: `${Block.name} output` });
      y.dispose();
      block.dispose();
      fx.dispose();
    });
  }

  it('rejects NCHW input and a wrong channel count, naming both shapes', () => {
    const m = resnet18({ stem: 'small', widthMultiplier: 1 / 16, numClasses: 10 });
    const nchw = tf.zeros([2, 3, 32, 32]);
    expect(() => m.forward(nchw)).toThrow(
      'ResNet18: expected NHWC input [batch, height, width, 3], got shape [2,3,32,32]; this looks like NCHW [batch, 3, height, width]: transpose it with x.transpose([0, 2, 3, 1])',
    );
    const grey = tf.zeros([2, 32, 32, 1]);
    expect(() => m.forward(grey)).toThrow('ResNet18: expected NHWC input [batch, height, width, 3], got shape [2,32,32,1]');
    tf.dispose([nchw, grey]);
    m.dispose();
  });

  describe('contract (resnet18 and resnet50, small stem, width 1/16, grey images)', () => {
    const cfg = { stem: 'small' as const, widthMultiplier: 1 / 16, inChannels: 1, numClasses: 10 };
    // The cpu backend's conv gradients are slow under Jest: ResNet-50's contract runs on wasm only.
    for (const [name, build, test] of [['resnet18', resnet18, it], ['resnet50', resnet50, onWasm]] as const) {
      describe(name, () => {
        let model: ResNet;
        beforeAll(() => {
          manualSeed(0);
          model = build(cfg);
        });
        afterAll(() => model.dispose());

        test('maps [B, 28, 28, 1] to [B, 10] and scales widths', () => {
          const sd = model.stateDict();
          expect(sd['conv1.weight'].shape).toEqual([4, 1, 3, 3]);
          expect(sd['fc.weight'].shape).toEqual([10, name === 'resnet18' ? 32 : 128]);
          const x = tf.randomUniform([3, 28, 28, 1]);
          const y = model.forward(x);
          expect(y.shape).toEqual([3, 10]);
          expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
          tf.dispose([x, y]);
        });

        test('round-trips its state dict (BatchNorm statistics included)', () => {
          const x = tf.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 3);
          tf.tidy(() => model.forward(x)); // training step: moves the running statistics
          manualSeed(5);
          const other = build(cfg);
          model.eval();
          other.eval();
          const snapshot = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, t.clone()]));
          other.loadStateDict(snapshot);
          expect(other.stateDict()['layer1.0.bn1.num_batches_tracked'].dataSync()[0]).toBe(model.stateDict()['layer1.0.bn1.num_batches_tracked'].dataSync()[0]);
          const a = model.forward(x);
          const b = other.forward(x);
          expectClose(b, a, { rtol: 0, atol: 0 });
          model.train();
          tf.dispose([x, a, b, ...Object.values(snapshot)]);
          other.dispose();
        });
      });
    }
  });

  it('initialises like torchvision: Kaiming-normal (fan_out) convs, BatchNorm 1/0, optional zero-init residual', () => {
    manualSeed(1);
    const m = resnet18({ widthMultiplier: 0.25, numClasses: 10 });
    const w = m.stateDict()['layer4.0.conv1.weight']; // [128, 64, 3, 3]: fan_out 128·9
    const std = Math.sqrt(tf.tidy(() => tf.moments(w).variance.dataSync()[0]));
    expect(std / Math.sqrt(2 / (128 * 9))).toBeCloseTo(1, 1);
    expect(Array.from(m.stateDict()['layer1.0.bn2.weight'].dataSync()).every((v) => v === 1)).toBe(true);
    m.dispose();
    const z = resnet50({ widthMultiplier: 1 / 16, numClasses: 10, zeroInitResidual: true });
    expect(Array.from(z.stateDict()['layer2.1.bn3.weight'].dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(z.stateDict()['layer2.1.bn2.weight'].dataSync()).every((v) => v === 1)).toBe(true);
    z.dispose();
  });

  it('validates its config without touching the caller object', () => {
    const cfg = { numClasses: 10, widthMultiplier: 1 / 16 };
    const m = resnet18(cfg);
    expect(cfg).toEqual({ numClasses: 10, widthMultiplier: 1 / 16 });
    expect(m.config).toEqual({ ...RESNET_DEFAULTS, numClasses: 10, widthMultiplier: 1 / 16 });
    m.dispose();
    expect(() => resnet18({ stem: 'cifar' as 'small' })).toThrow("ResNet18: stem must be 'imagenet' or 'small', got 'cifar'");
    expect(() => resnet50({ widthMultiplier: -1 })).toThrow('ResNet50: widthMultiplier must be > 0, got -1');
    expect(() => new ResNet(BasicBlock, [2, 2, 0, 2] as [number, number, number, number])).toThrow('ResNet: layers must be 4 positive integers, got [2,2,0,2]');
  });

  it('registers resnet18 … resnet152 with their Fashion-MNIST recipes', () => {
    for (const name of Object.keys(BUILDERS)) {
      const entry = registry.get(name);
      expect([name, entry.task, entry.domain]).toEqual([name, 'image-classification', 'vision']);
      expect(entry.recipe).toBe(RESNET_FASHION_MNIST_RECIPES[name]);
    }
    const recipe = RESNET_FASHION_MNIST_RECIPES.resnet18;
    expect(recipe.model).toEqual({ inChannels: 1, numClasses: 10, stem: 'small', widthMultiplier: 0.25 });
    const m = registry.create<ResNet>('resnet18', { ...recipe.model, widthMultiplier: 1 / 16 });
    expect(m).toBeInstanceOf(ResNet);
    expect(m.stateDict()['conv1.weight'].shape).toEqual([4, 1, 3, 3]);
    m.dispose();
  });
});
