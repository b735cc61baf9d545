/**
 * Entry script of a threads-transport worker: rebuilds the model, optimizer and loss, loads the
 * main thread's state, then serves forward/backward and step requests. Gradients go through
 * the SharedArrayBuffer collective, never through the main thread.
 */
import { createRequire } from 'module';
import * as path from 'path';
import { parentPort, workerData } from 'worker_threads';
import { tf } from '../../tf';
import { init, BackendName } from '../../backend/init';
import { manualSeed } from '../../autograd/random';
import type { Parameter } from '../../autograd/parameter';
import { Module } from '../../nn/module';
import { registry } from '../../registry/index';
import * as optim from '../../optim/index';
import { Replica, LossFn } from '../../parallel/replica';
import { lossByName, stateChecksum } from '../../parallel/strategy';
import { Hyperparameters, ReplicableOptimizer, setHyperparameters } from '../../parallel/optimizer-sync';
import { fromPayload, toPayload, unpack } from '../../parallel/payload';
import { convertSyncBatchNorm } from '../../parallel/sync-batchnorm';
import { CollectiveAborted, SharedMemoryCollective } from './shared-memory';
import type { FromWorker, ModelSource, ModuleRef, OptimizerSource, ToWorker, WorkerConfig } from './protocol';

const cfg = workerData as WorkerConfig;
const port = parentPort!;
const post = (m: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

/** Loads a module by absolute path, by package name from the working directory, or from core. */
function load(spec: string): Record<string, unknown> {
  if (path.isAbsolute(spec)) return require(spec);
  try {
    return createRequire(path.join(cfg.cwd, 'noop.js'))(spec);
  } catch (e) {
    if ((e as { code?: string }).code !== 'MODULE_NOT_FOUND') throw e;
    return require(spec);
  }
}

function exported(ref: ModuleRef): unknown {
  const value = load(ref.module)[ref.export];
  if (value === undefined) throw new Error(`module '${ref.module}' has no export '${ref.export}'`);
  return value;
}

function isClass(f: unknown): f is new (...args: unknown[]) => unknown {
  return typeof f === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

function construct(value: unknown, args: unknown[]): unknown {
  if (isClass(value)) return new value(...args);
  if (typeof value === 'function') return value(...args);
  throw new Error(`expected a class or a function, got ${typeof value}`);
}

function buildModel(source: ModelSource): Module {
  let model: unknown;
  if (typeof source === 'string' || 'name' in source) {
    const name = typeof source === 'string' ? source : source.name;
    const config = typeof source === 'string' ? undefined : source.config;
    if (!registry.has(name) && cfg.domain && !cfg.imports.length) load(`@neuralzoo/${cfg.domain}`);
    model = registry.create(name, config);
  } else {
    model = construct(exported(source), source.args ?? []);
  }
  if (!(model instanceof Module)) throw new Error('the model source did not build an nn.Module (is it built on another copy of @neuralzoo/core?)');
  return model;
}

function buildOptimizer(source: OptimizerSource, params: Parameter[]): ReplicableOptimizer {
  const Ctor = 'name' in source ? (optim as Record<string, unknown>)[source.name] : exported(source);
  if (Ctor === undefined) throw new Error(`optim has no optimizer '${(source as { name: string }).name}'`);
  const { groups, defaults, state } = cfg.optimizer;
  const input = groups.length === 1 ? groups[0].indices.map((i) => params[i]) : groups.map((g) => ({ params: g.indices.map((i) => params[i]) }));
  const opt = construct(Ctor, [input, defaults ?? groups[0]?.hyper ?? {}]) as ReplicableOptimizer;
  if (state !== null && opt.loadStateDict) {
    // The main optimizer's state dict: group options (scheduler-set lr…) and per-parameter state.
    const sd = unpack(state);
    opt.loadStateDict(sd);
    tf.dispose(collect(sd));
  } else {
    setHyperparameters(opt, groups.map((g) => g.hyper));
  }
  return opt;
}

function collect(v: unknown, out: tf.Tensor[] = []): tf.Tensor[] {
  if (v instanceof tf.Tensor) out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => collect(x, out));
  else if (v !== null && typeof v === 'object') Object.values(v).forEach((x) => collect(x, out));
  return out;
}

function buildLoss(source: WorkerConfig['loss']): LossFn {
  if (typeof source === 'string') return lossByName(source);
  return 'name' in source ? lossByName(source.name, source.options) : (exported(source) as LossFn);
}

async function main(): Promise<void> {
  await init({ backend: cfg.backend as BackendName, threads: 1 });
  for (const spec of cfg.imports) load(spec);
  manualSeed(cfg.seed);
  const model = buildModel(cfg.model);
  const state = Object.fromEntries(Object.entries(cfg.state).map(([k, p]) => [k, fromPayload(p)]));
  model.loadStateDict(state);
  tf.dispose(Object.values(state));
  model.train();
  const frozen = new Set(cfg.frozen);
  for (const [name, p] of model.namedParameters()) if (frozen.has(name)) p.requiresGrad = false;
  manualSeed(cfg.seed + 1 + cfg.rank); // decorrelated dropout across replicas
  const params = model.parameters();
  const optimizer = buildOptimizer(cfg.optimizer.source, params);
  const collective = new SharedMemoryCollective(cfg.shared, cfg.rank);
  if (cfg.syncBatchNorm) convertSyncBatchNorm(model, collective);
  const replica = new Replica(model, optimizer, buildLoss(cfg.loss), collective, { broadcastBuffers: cfg.broadcastBuffers });
  const names = model.namedParameters().filter(([, p]) => p.requiresGrad).map(([n]) => n);
  const layout = replica.grads.describe(names);
  if (layout.join('\n') !== cfg.layout.join('\n'))
    throw new Error(`the rebuilt model differs from the main thread's: [${layout.join(', ')}] vs [${cfg.layout.join(', ')}]`);
  const mirror = new Float32Array(cfg.mirror);

  /** All-reduce, then the optimizer step; rank 0 hands the reduced vector and its buffers to the main thread. */
  const step = (seq: number, hyper: Hyperparameters, microBatches: number, clipGradNorm: number | undefined, t0: number): void => {
    setHyperparameters(optimizer, hyper);
    replica.reduce();
    if (cfg.rank === 0) {
      mirror.set(replica.flat);
      post({ type: 'reduced', rank: 0, seq });
    }
    replica.apply(replica.flat, { microBatches, clipGradNorm });
    replica.syncBuffers();
    if (cfg.rank === 0 && replica.bufferLayout.length) replica.bufferLayout.gather(mirror.subarray(replica.grads.length));
    post({ type: 'step', rank: cfg.rank, seq, ms: performance.now() - t0 });
  };

  port.on('message', (msg: ToWorker) => {
    if (msg.type === 'close') {
      port.close();
      return;
    }
    if (msg.type === 'checksum') {
      post({ type: 'checksum', rank: cfg.rank, seq: msg.seq, checksum: stateChecksum(model) });
      return;
    }
    const t0 = performance.now();
    try {
      if (msg.type === 'fb') {
        const inputs = msg.inputs.map((p) => unpack(p) as tf.Tensor);
        const target = unpack(msg.target);
        try {
          const r = replica.forwardBackward(inputs, target, msg.weight, msg.output);
          const output = r.output ? toPayload(r.output) : undefined;
          r.output?.dispose();
          if (!msg.apply || msg.output)
            post({ type: 'fb', rank: cfg.rank, seq: msg.seq, loss: r.loss, output, ms: performance.now() - t0 }, output ? [output.data.buffer as ArrayBuffer] : []);
        } finally {
          tf.dispose([...inputs, ...collect(target)]);
        }
        if (msg.apply) step(msg.seq, msg.apply.hyper, msg.apply.microBatches, msg.apply.clipGradNorm, t0);
      } else {
        step(msg.seq, msg.hyper, msg.microBatches, msg.clipGradNorm, t0);
      }
    } catch (e) {
      if (e instanceof CollectiveAborted) {
        post({ type: 'aborted', rank: cfg.rank, seq: msg.seq });
        return;
      }
      collective.abort();
      const err = e instanceof Error ? e : new Error(String(e));
      post({ type: 'error', rank: cfg.rank, seq: msg.seq, step: msg.step, message: err.message, stack: err.stack });
    }
  });
  post({ type: 'ready', rank: cfg.rank });
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', rank: cfg.rank, seq: -1, step: 0, message: err.message, stack: err.stack });
});

