import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';

/** A state dict: dotted PyTorch names to tensors. */
export type StateDict = Record<string, tf.Tensor>;

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

interface BufferEntry {
  value: tf.Variable;
  persistent: boolean;
}

/**
 * Base class of every layer and model, after `torch.nn.Module`: parameters, buffers and child
 * modules are registered by name, and `stateDict()` uses PyTorch's dotted names and layouts.
 */
export abstract class Module {
  /** Training mode (dropout active, BatchNorm uses batch statistics). */
  training = true;
  private readonly _parameters = new Map<string, Parameter | null>();
  private readonly _buffers = new Map<string, BufferEntry>();
  private readonly _modules = new Map<string, Module | null>();

  abstract forward(...args: any[]): any;

  /** Name of the class, used in summaries and error messages. */
  get typeName(): string {
    return this.constructor.name;
  }

  registerParameter<P extends Parameter | null>(name: string, param: P): P {
    this.checkName(name, 'parameter');
    if (param !== null && !(param instanceof Parameter))
      throw new Error(`${this.typeName}.registerParameter('${name}'): expected a Parameter`);
    this._parameters.set(name, param);
    if (param && !param.name) param.name = name;
    return param;
  }

  /** Registers a non-trainable tensor (running statistics…); non-persistent ones stay out of stateDict. */
  registerBuffer<V extends tf.Variable>(name: string, value: V, opts: { persistent?: boolean } = {}): V {
    this.checkName(name, 'buffer');
    if (!(value instanceof tf.Variable)) throw new Error(`${this.typeName}.registerBuffer('${name}'): expected a tf.Variable`);
    this._buffers.set(name, { value, persistent: opts.persistent ?? true });
    return value;
  }

  registerModule<M extends Module | null>(name: string, module: M): M {
    this.checkName(name, 'module');
    if (module !== null && !(module instanceof Module)) throw new Error(`${this.typeName}.registerModule('${name}'): expected a Module`);
    this._modules.set(name, module);
    return module;
  }

  private checkName(name: string, kind: string): void {
    if (!name || name.includes('.')) throw new Error(`${this.typeName}: ${kind} name '${name}' must be non-empty and contain no '.'`);
    if (this._parameters.has(name) || this._buffers.has(name) || this._modules.has(name))
      throw new Error(`${this.typeName}: '${name}' is already registered; cannot register ${kind} '${name}' again`);
  }

  /** Direct children, in registration order. */
  *namedChildren(): IterableIterator<[string, Module]> {
    for (const [name, m] of this._modules) if (m) yield [name, m];
  }

  children(): Module[] {
    return [...this.namedChildren()].map(([, m]) => m);
  }

  /** This module and every descendant (pre-order), each once. */
  namedModules(prefix = '', seen = new Set<Module>()): Array<[string, Module]> {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, seen));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Every parameter with its dotted name, each shared parameter once. */
  namedParameters(): Array<[string, Parameter]> {
    const seen = new Set<Parameter>();
    const out: Array<[string, Parameter]> = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of m._parameters) {
        if (!p || seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Every buffer with its dotted name. */
  namedBuffers(opts: { persistentOnly?: boolean } = {}): Array<[string, tf.Variable]> {
    const out: Array<[string, tf.Variable]> = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, b] of m._buffers) {
        if (opts.persistentOnly && !b.persistent) continue;
        out.push([prefix ? `${prefix}.${name}` : name, b.value]);
      }
    }
    return out;
  }

  /** Number of parameter elements (trainable only when `trainableOnly`). */
  numParameters(opts: { trainableOnly?: boolean } = {}): number {
    return this.parameters()
      .filter((p) => !opts.trainableOnly || p.requiresGrad)
      .reduce((n, p) => n + p.size, 0);
  }

  /**
   * Parameters and persistent buffers under PyTorch names, in PyTorch's order (own parameters,
   * own buffers, then children). The tensors are the module's own storage: read them, do not
   * dispose them (clone to keep a snapshot).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (m: Module, prefix: string): void => {
      for (const [name, p] of m._parameters) if (p) out[prefix + name] = p.data;
      for (const [name, b] of m._buffers) if (b.persistent) out[prefix + name] = b.value;
      for (const [name, child] of m._modules) if (child) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  /**
   * Copies tensors from `sd` into parameters and buffers. Shape mismatches always throw; with
   * `strict` (default) missing and unexpected keys throw too. All problems are reported together
   * and nothing is loaded when any is fatal. Integer tensors (e.g. int64 `num_batches_tracked`)
   * are cast to the target's dtype.
   */
  loadStateDict(sd: StateDict, opts: { strict?: boolean } = {}): LoadStateDictResult {
    const strict = opts.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !(k in own));
    const mismatched = Object.keys(own)
      .filter((k) => k in sd && !tf.util.arraysEqual(own[k].shape, sd[k].shape))
      .map((k) => `  ${k}: checkpoint [${sd[k].shape}] vs model [${own[k].shape}]`);
    const problems: string[] = [];
    if (mismatched.length) problems.push(`size mismatch:\n${mismatched.join('\n')}`);
    if (strict && missingKeys.length) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (problems.length) throw new Error(`${this.typeName}.loadStateDict: ${problems.join('\n')}`);
    for (const [k, target] of Object.entries(own)) {
      const src = sd[k];
      if (!src) continue;
      tf.tidy(() => (target as tf.Variable).assign(src.dtype === target.dtype ? src : src.cast(target.dtype)));
    }
    return { missingKeys, unexpectedKeys };
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Calls `fn` on every descendant, then on this module (PyTorch's order). */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Drops every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /**
   * A table of the module tree: each submodule's type, output shape (when `inputs` are given, by
   * running one forward pass without gradients) and parameter count.
   */
  summary(...inputs: tf.Tensor[]): string {
    const shapes = new Map<Module, string>();
    if (inputs.length) {
      const patched: Array<[Module, Module['forward']]> = [];
      for (const m of this.modules()) {
        const original = m.forward;
        patched.push([m, original]);
        m.forward = function (this: Module, ...args: unknown[]) {
          const out = original.apply(this, args);
          shapes.set(m, describeShape(out));
          return out;
        };
      }
      try {
        tf.tidy(() => {
          this.forward(...inputs);
        });
      } finally {
        for (const [m, f] of patched) m.forward = f;
      }
    }
    const rows: string[][] = [['Layer (type)', 'Output shape', 'Param #']];
    for (const [name, m] of this.namedModules()) {
      const depth = name ? name.split('.').length : 0;
      const own = [...m._parameters.values()].reduce((n, p) => n + (p ? p.size : 0), 0);
      rows.push([`${'  '.repeat(depth)}${name || '(root)'} (${m.typeName})`, shapes.get(m) ?? '-', own.toLocaleString('en-US')]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 2 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
    const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
    const total = this.numParameters();
    const trainable = this.numParameters({ trainableOnly: true });
    return [
      line(rows[0]),
      rule,
      ...rows.slice(1).map(line),
      rule,
      `Total params: ${total.toLocaleString('en-US')}`,
      `Trainable params: ${trainable.toLocaleString('en-US')}`,
      `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
    ].join('\n');
  }

  /** Frees every parameter and buffer of this module and its descendants. */
  dispose(): void {
    for (const p of this.parameters()) p.dispose();
    for (const [, b] of this.namedBuffers()) b.dispose();
  }
}

function describeShape(out: unknown): string {
  if (out instanceof tf.Tensor) return `[${out.shape.join(', ')}]`;
  if (Array.isArray(out)) return `(${out.map(describeShape).join(', ')})`;
  return '?';
}
