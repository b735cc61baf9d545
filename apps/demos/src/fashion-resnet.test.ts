import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { io } from '@neuralzoo/core/node';
import { loadFashionMnist } from '@neuralzoo/datasets';
import { RESNET_SMALL_FASHION_MNIST_RECIPE } from '@neuralzoo/vision';
import { evaluateClassifier, fashionResnet } from './fashion-resnet';

const recipe = RESNET_SMALL_FASHION_MNIST_RECIPE;

describe('fashion-resnet demo', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-fashion-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('evaluates a weights file (model + config in its metadata) on the test images, overall and per class', async () => {
    manualSeed(3);
    const model = registry.create(recipe.variant, recipe.model) as nn.Module;
    const file = path.join(dir, 'resnet_fashion.safetensors');
    await io.saveSafetensors(file, model.stateDict(), { model: recipe.variant, config: JSON.stringify(recipe.model) });
    const lines: string[] = [];
    const res = await fashionResnet({ backend: 'wasm', weights: file, testLimit: 200, print: (l) => lines.push(l) });
    expect(res.source).toBe('weights');
    expect(res.tested).toBe(200);
    expect(lines[0]).toBe(`backend: wasm; loaded resnet_fashion.safetensors: resnet18, ${model.numParameters().toLocaleString('en-US')} parameters`);
    // The demo's figure is the model's: the same untrained weights scored here directly.
    const test = loadFashionMnist({ split: 'test' });
    const first = { ...test, images: test.images.subarray(0, 200 * 784), labels: test.labels.subarray(0, 200), shape: [200, 28, 28, 1] as [number, number, number, number] };
    const direct = evaluateClassifier(model, first);
    expect(res.accuracy).toBeCloseTo(direct.accuracy, 10);
    expect(res.perClass).toEqual(direct.perClass);
    const counts = Array.from({ length: 10 }, (_, k) => first.labels.filter((l) => l === k).length);
    expect(res.perClass.reduce((s, p, k) => s + p * counts[k], 0)).toBeCloseTo(200 * res.accuracy, 6);
    expect(lines[lines.length - 1]).toMatch(/^test accuracy: [\d.]+% on 200 Fashion-MNIST test images \(trained weights; wasm, [\d.]+ s\)$/);
    model.dispose();
  });

  it('without weights trains the recipe briefly, says so, and leaves no tensors behind', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const res = await fashionResnet({ backend: 'wasm', weights: path.join(dir, 'missing.safetensors'), trainLimit: 128, testLimit: 50, print: (l) => lines.push(l) });
    expect(tf.memory().numTensors).toBe(before);
    expect(res.source).toBe('trained');
    expect(lines[0]).toContain('no trained weights at');
    expect(lines[0]).toContain('training the recipe BRIEFLY here (1 epoch on 128 of 60,000 training images)');
    expect(res.tested).toBe(50);
    // One SGD step: a valid accuracy, not yet a trained one.
    expect(res.accuracy).toBeGreaterThanOrEqual(0);
    expect(res.accuracy).toBeLessThanOrEqual(1);
    expect(res.perClass).toHaveLength(10);
  });
});
