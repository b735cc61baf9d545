/**
 * Training checkpoints in memory (browser-safe): `packCheckpoint` turns a model, optimizer,
 * scheduler and RNG state into safetensors bytes plus a JSON manifest; `unpackCheckpoint`
 * validates all of it against the live objects first and only then loads it. The Node entry
 * (`@neuralzoo/core/node`, `io.saveCheckpoint` / `io.loadCheckpoint`) adds files, checksums and
 * atomic replacement on top.
 */
import { tf } from '../tf';
import type { Module } from '../nn/module';
import { RngState, getRngState, setRngState } from '../autograd/random';
import { parseSafetensors, serializeSafetensors } from './safetensors';
import type { OptimizerLike, OptimizerStateDict, SchedulerLike } from '../train/types';

export const CHECKPOINT_FORMAT = 'neuralzoo-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MODEL_FILE = 'model.safetensors';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const MANIFEST_FILE = 'checkpoint.json';

export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  /** Completed epochs (the epoch to resume at). */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** The default generator's state, or null when not saved. */
  rng: RngState | null;
  /** Shapes of the model's state dict, by name. */
  model: { file: string; tensors: Record<string, number[]> };
  /** Param groups (JSON) and non-tensor per-parameter state (step…); tensors are in `file`. */
  optimizer: { file: string; paramGroups: Array<Record<string, unknown>>; scalars: Record<string, Record<string, unknown>> } | null;
  scheduler: Record<string, unknown> | null;
  /** Caller's JSON data. */
  extra: unknown;
  /** Size and SHA-256 of each file (filled in by whoever writes the files). */
  files: Record<string, { bytes: number; sha256: string }>;
  createdAt: string;
}

export interface CheckpointContents {
  model: Module;
  optimizer?: OptimizerLike;
  scheduler?: SchedulerLike;
  /** Completed epochs. Default 0. */
  epoch?: number;
  /** Optimizer steps taken. Default 0. */
  step?: number;
  /** RNG state to store; default: the default generator's. Pass null to store none. */
  rng?: RngState | null;
  /** Any JSON-serialisable data (data loader position, best metric…). */
  extra?: unknown;
}

/** Numbers JSON cannot hold (NaN, ±Infinity) are written as { "$float": "Infinity" }. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? { $float: String(v) } : v),
    2,
  );
}

export function fromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof v.$float === 'string' ? Number(v.$float) : v));
}

/** A deep copy through JSON that keeps NaN and ±Infinity. */
function jsonCopy<T>(value: T): T {
  return fromJson<T>(toJson(value));
}

/** Splits an optimizer state dict into tensors named `state.<idx>.<key>` and JSON for the rest. */
export function flattenOptimizerState(sd: OptimizerStateDict): {
  tensors: Record<string, tf.Tensor>;
  paramGroups: Array<Record<string, unknown>>;
  scalars: Record<string, Record<string, unknown>>;
} {
  const tensors: Record<string, tf.Tensor> = {};
  const scalars: Record<string, Record<string, unknown>> = {};
  for (const [idx, st] of Object.entries(sd.state)) {
    scalars[idx] = {};
    for (const [k, v] of Object.entries(st)) {
      if (v instanceof tf.Tensor) tensors[`state.${idx}.${k}`] = v;
      else scalars[idx][k] = v;
    }
  }
  return { tensors, paramGroups: jsonCopy(sd.paramGroups), scalars: jsonCopy(scalars) };
}

/** The inverse of `flattenOptimizerState` (tensors are used as given, not copied). */
export function unflattenOptimizerState(
  tensors: Record<string, tf.Tensor>,
  paramGroups: Array<Record<string, unknown>>,
  scalars: Record<string, Record<string, unknown>>,
  source = 'optimizer state',
): OptimizerStateDict {
  const state: OptimizerStateDict['state'] = {};
  for (const [idx, st] of Object.entries(scalars)) state[Number(idx)] = { ...(st as Record<string, number>) };
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^state\.(\d+)\.(.+)$/.exec(name);
    if (!m) throw new Error(`${source}: unexpected tensor '${name}' (expected state.<index>.<key>)`);
    (state[Number(m[1])] ??= {})[m[2]] = t;
  }
  return { state, paramGroups: jsonCopy(paramGroups) as OptimizerStateDict['paramGroups'] };
}

/** Bytes of each file and the manifest (without checksums) of a checkpoint. */
export function packCheckpoint(c: CheckpointContents): { files: Record<string, Uint8Array>; manifest: CheckpointManifest } {
  if (!c.model || typeof c.model.stateDict !== 'function') throw new Error('saveCheckpoint: model is required');
  const epoch = c.epoch ?? 0;
  const step = c.step ?? 0;
  if (!Number.isInteger(epoch) || epoch < 0 || !Number.isInteger(step) || step < 0)
    throw new Error(`saveCheckpoint: epoch and step must be non-negative integers, got ${epoch} and ${step}`);
  const sd = c.model.stateDict();
  const files: Record<string, Uint8Array> = { [MODEL_FILE]: serializeSafetensors(sd, { format: 'pt' }) };
  let optimizer: CheckpointManifest['optimizer'] = null;
  if (c.optimizer) {
    if (typeof c.optimizer.stateDict !== 'function') throw new Error('saveCheckpoint: the optimizer has no stateDict()');
    const flat = flattenOptimizerState(c.optimizer.stateDict());
    files[OPTIMIZER_FILE] = serializeSafetensors(flat.tensors);
    optimizer = { file: OPTIMIZER_FILE, paramGroups: flat.paramGroups, scalars: flat.scalars };
  }
  if (c.scheduler && typeof c.scheduler.stateDict !== 'function') throw new Error('saveCheckpoint: the scheduler has no stateDict()');
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    epoch,
    step,
    rng: c.rng === undefined ? getRngState() : c.rng,
    model: { file: MODEL_FILE, tensors: Object.fromEntries(Object.entries(sd).map(([k, t]) => [k, t.shape])) },
    optimizer,
    scheduler: c.scheduler ? jsonCopy(c.scheduler.stateDict!()) : null,
    extra: c.extra === undefined ? null : jsonCopy(c.extra),
    files: {},
    createdAt: new Date().toISOString(),
  };
  return { files, manifest };
}

/** Checks a parsed manifest's structure, naming `source` in errors. */
export function checkManifest(m: unknown, source: string): CheckpointManifest {
  const fail = (why: string): never => {
    throw new Error(`${source}: not a valid neuralzoo checkpoint manifest: ${why}`);
  };
  if (!m || typeof m !== 'object') return fail('not a JSON object');
  const man = m as CheckpointManifest;
  if (man.format !== CHECKPOINT_FORMAT) fail(`format is ${JSON.stringify(man.format)}, expected '${CHECKPOINT_FORMAT}'`);
  if (man.version !== CHECKPOINT_VERSION) fail(`version ${man.version} is not supported (this build reads version ${CHECKPOINT_VERSION})`);
  if (!Number.isInteger(man.epoch) || !Number.isInteger(man.step)) fail('epoch and step must be integers');
  if (!man.model || typeof man.model.file !== 'string') fail('no model entry');
  if (!man.files || typeof man.files !== 'object') fail('no files entry');
  return man;
}

export interface LoadTargets {
  model: Module;
  optimizer?: OptimizerLike;
  scheduler?: SchedulerLike;
  /** Restore the default generator's state. Default true (when the checkpoint has one). */
  restoreRng?: boolean;
}

export interface LoadedCheckpoint {
  epoch: number;
  step: number;
  extra: unknown;
  rng: RngState | null;
}

/**
 * Validates the files of a checkpoint against the model (names and shapes), the optimizer (groups,
 * parameter counts, state shapes) and the scheduler, then loads them all and restores the RNG.
 * Nothing is loaded when anything is wrong; errors name the file.
 */
export function unpackCheckpoint(files: Record<string, Uint8Array>, manifest: CheckpointManifest, t: LoadTargets, where = 'checkpoint'): LoadedCheckpoint {
  const owned: tf.Tensor[] = [];
  try {
    const modelSource = `${where}/${manifest.model.file}`;
    const modelBytes = files[manifest.model.file];
    if (!modelBytes) throw new Error(`${modelSource}: file is missing`);
    const parsed = parseSafetensors(modelBytes, modelSource).tensors;
    owned.push(...Object.values(parsed));
    const own = t.model.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in parsed));
    const unexpected = Object.keys(parsed).filter((k) => !(k in own));
    const shapes = Object.keys(own)
      .filter((k) => k in parsed && !tf.util.arraysEqual(own[k].shape, parsed[k].shape))
      .map((k) => `${k}: checkpoint [${parsed[k].shape}] vs model [${own[k].shape}]`);
    if (missing.length || unexpected.length || shapes.length)
      throw new Error(
        `${modelSource}: does not match ${t.model.typeName}:` +
          (shapes.length ? ` size mismatch: ${shapes.join('; ')}.` : '') +
          (missing.length ? ` missing keys: ${missing.join(', ')}.` : '') +
          (unexpected.length ? ` unexpected keys: ${unexpected.join(', ')}.` : ''),
      );

    let optimizerSd: OptimizerStateDict | null = null;
    if (t.optimizer) {
      if (!manifest.optimizer) throw new Error(`${where}: the checkpoint holds no optimizer state, but an optimizer was given to load into`);
      if (typeof t.optimizer.loadStateDict !== 'function') throw new Error(`${where}: the optimizer has no loadStateDict()`);
      const source = `${where}/${manifest.optimizer.file}`;
      const bytes = files[manifest.optimizer.file];
      if (!bytes) throw new Error(`${source}: file is missing`);
      const tensors = parseSafetensors(bytes, source).tensors;
      owned.push(...Object.values(tensors));
      optimizerSd = unflattenOptimizerState(tensors, manifest.optimizer.paramGroups, manifest.optimizer.scalars, source);
      checkOptimizerState(optimizerSd, t.optimizer, source);
    }
    if (t.scheduler) {
      if (!manifest.scheduler) throw new Error(`${where}: the checkpoint holds no scheduler state, but a scheduler was given to load into`);
      if (typeof t.scheduler.loadStateDict !== 'function') throw new Error(`${where}: the scheduler has no loadStateDict()`);
    }
    const rng = manifest.rng ?? null;
    if (rng !== null && (!Array.isArray(rng) || rng.length !== 4 || rng.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)))
      throw new Error(`${where}: the RNG state ${JSON.stringify(rng)} is not four uint32 values`);

    // Everything checked: load.
    t.model.loadStateDict(parsed);
    if (t.optimizer && optimizerSd) t.optimizer.loadStateDict!(optimizerSd);
    if (t.scheduler) t.scheduler.loadStateDict!(jsonCopy(manifest.scheduler!));
    if (rng && (t.restoreRng ?? true)) setRngState(rng);
    return { epoch: manifest.epoch, step: manifest.step, extra: manifest.extra ?? null, rng };
  } finally {
    tf.dispose(owned);
  }
}

/** The optimizer-side checks `loadStateDict` would make, done before anything is loaded. */
function checkOptimizerState(sd: OptimizerStateDict, optimizer: OptimizerLike, source: string): void {
  const groups = optimizer.paramGroups as Array<{ params?: unknown }>;
  if (sd.paramGroups.length !== groups.length)
    throw new Error(`${source}: ${sd.paramGroups.length} parameter group(s) in the checkpoint, ${groups.length} in the optimizer`);
  const byIndex = new Map<number, { shape: number[]; name: string } | null>();
  sd.paramGroups.forEach((g, i) => {
    const saved = g.params;
    if (!Array.isArray(saved)) throw new Error(`${source}: parameter group ${i} lists no parameter indices`);
    const live = groups[i].params;
    if (Array.isArray(live)) {
      if (live.length !== saved.length)
        throw new Error(`${source}: parameter group ${i} has ${saved.length} parameters in the checkpoint, ${live.length} in the optimizer`);
      saved.forEach((idx: number, j: number) => {
        const p = live[j] as { shape?: number[]; name?: string };
        byIndex.set(idx, Array.isArray(p?.shape) ? { shape: p.shape, name: p.name ?? String(idx) } : null);
      });
    } else {
      for (const idx of saved as number[]) byIndex.set(idx, null);
    }
  });
  for (const [idx, st] of Object.entries(sd.state)) {
    if (!byIndex.has(Number(idx))) throw new Error(`${source}: state for parameter index ${idx}, which no parameter group lists`);
    const p = byIndex.get(Number(idx));
    for (const [k, v] of Object.entries(st)) {
      if (!(v instanceof tf.Tensor) || !p || v.rank === 0) continue;
      if (!tf.util.arraysEqual(v.shape, p.shape))
        throw new Error(`${source}: state.${idx}.${k} has shape [${v.shape}], but parameter '${p.name}' has [${p.shape}]`);
    }
  }
}
