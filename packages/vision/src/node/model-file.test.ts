import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { manualSeed, nn, registry, tf } from '@neuralzoo/core';
import { io } from '@neuralzoo/core/node';
import { expectClose } from '@neuralzoo/core/testing';
import { loadModelFile } from './model-file';
import '../index';

describe('loadModelFile', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nz-model-file-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = { numClasses: 7 };
  let file: string;
  let saved: nn.Module;

  beforeAll(async () => {
    manualSeed(11);
    saved = registry.create('lenet5', config) as nn.Module;
    file = path.join(dir, 'lenet.safetensors');
    await io.saveSafetensors(file, saved.stateDict(), { model: 'lenet5', config: JSON.stringify(config), testAccuracy: '0.5' });
  });
  afterAll(() => saved.dispose());

  it('rebuilds the model named in the metadata with its config and weights, in eval mode, without leaking', async () => {
    const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 5);
    saved.eval();
    const want = saved.forward(x) as tf.Tensor;
    const before = tf.memory().numTensors;
    const { model, name, metadata } = await loadModelFile(file);
    expect(name).toBe('lenet5');
    expect(metadata.testAccuracy).toBe('0.5');
    expect(model.training).toBe(false);
    expect(model.numParameters()).toBe(saved.numParameters());
    const got = model.forward(x) as tf.Tensor;
    expect(got.shape).toEqual([2, 7]);
    expectClose(got, want, { rtol: 1e-6, atol: 1e-6 });
    got.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, want]);
  });

  it('says which file and what is wrong', async () => {
    const missing = path.join(dir, 'nope.safetensors');
    await expect(loadModelFile(missing)).rejects.toThrow(`loadModelFile: ${missing}: no such weights file`);
    await expect(loadModelFile(file, { expected: 'resnet18', caller: 'demo' })).rejects.toThrow(`demo: ${file} holds weights of 'lenet5', not 'resnet18'`);
    await expect(loadModelFile(file, { task: 'object-detection' })).rejects.toThrow(`loadModelFile: ${file}: 'lenet5' is registered for task 'image-classification', not 'object-detection'`);

    const anonymous = path.join(dir, 'anonymous.safetensors');
    await io.saveSafetensors(anonymous, saved.stateDict(), {});
    await expect(loadModelFile(anonymous)).rejects.toThrow(`loadModelFile: ${anonymous}: the metadata names no model; pass the model name`);
    const { model } = await loadModelFile(anonymous, { expected: 'lenet5', config });
    expect(model.numParameters()).toBe(saved.numParameters());
    model.dispose();

    const badConfig = path.join(dir, 'bad-config.safetensors');
    await io.saveSafetensors(badConfig, saved.stateDict(), { model: 'lenet5', config: '{numClasses: 7' });
    await expect(loadModelFile(badConfig)).rejects.toThrow(`loadModelFile: ${badConfig}: metadata 'config' is not JSON`);

    const before = tf.memory().numTensors;
    const wrongShape = path.join(dir, 'wrong-shape.safetensors');
    await io.saveSafetensors(wrongShape, saved.stateDict(), { model: 'lenet5', config: JSON.stringify({ numClasses: 10 }) });
    await expect(loadModelFile(wrongShape)).rejects.toThrow(new RegExp(`^loadModelFile: ${wrongShape.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*`));
    expect(tf.memory().numTensors).toBe(before);
  });
});
