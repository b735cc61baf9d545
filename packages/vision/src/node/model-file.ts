/**
 * Self-describing weights files (Node): a safetensors file holding a state dict with PyTorch names
 * and, in its metadata, `model` (the registry name) and `config` (the builder config as JSON), as
 * scripts/train-fashion.js and scripts/train-detector.js write them. `loadModelFile` rebuilds the
 * model from the file alone.
 */
import * as fs from 'fs';
import { nn, registry, tf } from '@neuralzoo/core';
import { io } from '@neuralzoo/core/node';
import '../index'; // registers the vision models in core's registry

/** A model rebuilt from a weights file. */
export interface LoadedModel<M extends nn.Module = nn.Module> {
  model: M;
  /** Registry name, from the file's metadata (or `expected` when the metadata names none). */
  name: string;
  /** The file's metadata (e.g. `config`, `testAccuracy`, `map50`, `pad`). */
  metadata: Record<string, string>;
}

export interface LoadModelFileOptions {
  /** Registry name the file must hold; also the name used when the metadata has no `model`. */
  expected?: string;
  /** Registry task the model must have (e.g. 'object-detection'). */
  task?: string;
  /** Builder config when the metadata has no `config`. Default: the builder's defaults. */
  config?: unknown;
  /** Name errors start with. Default 'loadModelFile'. */
  caller?: string;
}

/**
 * Builds the registered model named in `file`'s metadata (`model`, with its `config` JSON), loads
 * the state dict (strict) and puts it in eval mode. Errors name the file: missing file, no model
 * name, another model than `expected`, another task than `task`, a `config` that is not JSON.
 */
export async function loadModelFile<M extends nn.Module = nn.Module>(file: string, opts: LoadModelFileOptions = {}): Promise<LoadedModel<M>> {
  const caller = opts.caller ?? 'loadModelFile';
  if (!fs.existsSync(file)) throw new Error(`${caller}: ${file}: no such weights file`);
  const { tensors, metadata } = await io.loadSafetensors(file);
  try {
    const name = metadata.model ?? opts.expected;
    if (!name) throw new Error(`${caller}: ${file}: the metadata names no model; pass the model name`);
    if (opts.expected && name !== opts.expected) throw new Error(`${caller}: ${file} holds weights of '${name}', not '${opts.expected}'`);
    const entry = registry.get(name);
    if (opts.task && entry.task !== opts.task) throw new Error(`${caller}: ${file}: '${name}' is registered for task '${entry.task}', not '${opts.task}'`);
    let config = opts.config;
    if (metadata.config !== undefined) {
      try {
        config = JSON.parse(metadata.config);
      } catch (err) {
        throw new Error(`${caller}: ${file}: metadata 'config' is not JSON (${(err as Error).message})`);
      }
    }
    const model = entry.create(config) as M;
    try {
      model.loadStateDict(tensors);
    } catch (err) {
      model.dispose();
      throw new Error(`${caller}: ${file}: ${(err as Error).message}`);
    }
    model.eval();
    return { model, name, metadata };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
