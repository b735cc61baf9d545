/**
 * The model registry (pinned API): every model registers `{ name, task, domain, create, recipe }`
 * once at import time; the CLI, demos and the registry-driven contract test list and build them.
 */
import type { Module } from '../nn/module';

/**
 * Plain-data training recipe that reproduces a model's reported metric. Extra fields (schedule,
 * augmentation, loss options…) are allowed and passed through untouched.
 */
export interface Recipe {
  /** Data set name as `@neuralzoo/datasets` knows it, e.g. 'mnist'. */
  dataset: string;
  epochs: number;
  batchSize: number;
  /** Optimizer name as in `optim` ('SGD', 'Adam', …) and its options (`lr`, `momentum`, …). */
  optimizer: { name: string; [option: string]: unknown };
  /** Name of the metric the recipe reports, e.g. 'accuracy'. */
  metric: string;
  /** The value of `metric` the recipe reaches on the data set's test split. */
  target?: number;
  [key: string]: unknown;
}

export interface ModelEntry<C = unknown, M extends Module = Module> {
  /** snake_case, unique: 'lenet5', 'resnet18', 'faster_rcnn'. */
  name: string;
  /** What the model does, e.g. 'image-classification', 'language-modeling'. */
  task: string;
  /** The package family: 'vision', 'nlp', 'audio', … */
  domain: string;
  /** Builds a fresh model; `config` overrides the model's defaults. */
  create(config?: C): M;
  recipe?: Recipe;
  description?: string;
  /**
   * A small instance for fast tests (the registry-driven contract test): `config` builds a tiny
   * variant, `input` is the shape of a float input batch it accepts (values uniform in [0, 1)),
   * `output`, when given, the shape its forward returns. Optional; without it the contract test
   * derives one from the recipe's model config.
   */
  example?: ModelExample<C>;
}

/** Small config and input shape of a model for fast tests (see `ModelEntry.example`). */
export interface ModelExample<C = unknown> {
  config?: C;
  /** Shape of one float input batch, e.g. [2, 28, 28, 1] (NHWC images). */
  input: number[];
  /** Shape of forward's output for that input, when it returns one tensor. */
  output?: number[];
}

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

export class ModelRegistry {
  private readonly entries = new Map<string, ModelEntry>();

  /** Adds a model; throws on a name that is not snake_case, a duplicate name, or missing fields. */
  register<C, M extends Module>(entry: ModelEntry<C, M>): ModelEntry<C, M> {
    const where = `registry.register(${JSON.stringify(entry?.name)})`;
    if (!entry || typeof entry.name !== 'string' || !NAME.test(entry.name))
      throw new Error(`${where}: name must be snake_case ([a-z][a-z0-9]*(_[a-z0-9]+)*)`);
    for (const field of ['task', 'domain'] as const)
      if (typeof entry[field] !== 'string' || !entry[field]) throw new Error(`${where}: '${field}' must be a non-empty string`);
    if (typeof entry.create !== 'function') throw new Error(`${where}: 'create' must be a function`);
    if (this.entries.has(entry.name)) {
      const old = this.entries.get(entry.name)!;
      throw new Error(`${where}: a model named '${entry.name}' is already registered (domain '${old.domain}', task '${old.task}')`);
    }
    this.entries.set(entry.name, entry as ModelEntry);
    return entry;
  }

  /** Entries sorted by name, optionally only those of one domain and/or task. */
  list(filter: { domain?: string; task?: string } = {}): ModelEntry[] {
    return [...this.entries.values()]
      .filter((e) => (filter.domain === undefined || e.domain === filter.domain) && (filter.task === undefined || e.task === filter.task))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry named `name`; an unknown name throws, listing the closest registered names. */
  get(name: string): ModelEntry {
    const entry = this.entries.get(name);
    if (entry) return entry;
    const names = [...this.entries.keys()];
    if (!names.length) throw new Error(`registry: unknown model '${name}': no model is registered (import a domain package first)`);
    const close = names
      .map((n) => ({ n, d: n.includes(name) || name.includes(n) ? 0 : distance(name, n) }))
      .filter(({ d }) => d <= Math.max(2, Math.floor(name.length / 3)))
      .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1))
      .slice(0, 5)
      .map(({ n }) => n);
    const hint = close.length ? `did you mean ${close.map((n) => `'${n}'`).join(', ')}?` : `registered: ${names.sort().join(', ')}`;
    throw new Error(`registry: unknown model '${name}'; ${hint}`);
  }

  /** Builds the model named `name` with `config`. */
  create<M extends Module = Module>(name: string, config?: unknown): M {
    return this.get(name).create(config) as M;
  }

  /** Removes an entry (for tests and hot reload); returns whether it existed. */
  unregister(name: string): boolean {
    return this.entries.delete(name);
  }
}

/** The process-wide registry every domain package registers into. */
export const registry = new ModelRegistry();
