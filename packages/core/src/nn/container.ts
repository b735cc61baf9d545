import { tf } from '../tf';
import { Module } from './module';

/** Runs its modules in order, each on the previous one's output (torch.nn.Sequential). Children are named '0', '1', … */
export class Sequential extends Module {
  private readonly layers: Module[] = [];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new Error(`${this.typeName}: expected a Module at position ${this.layers.length}, got ${describe(m)}`);
    this.registerModule(String(this.layers.length), m);
    this.layers.push(m);
    return this;
  }

  /** The i-th module (negative counts from the end). */
  get(i: number): Module {
    return this.layers[checkIndex(this.typeName, i, this.layers.length)];
  }

  get length(): number {
    return this.layers.length;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.layers[Symbol.iterator]();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forward(x: any): any {
    return tf.tidy(() => this.layers.reduce((h, m) => m.forward(h), x));
  }
}

/** Holds modules so that their parameters are registered (torch.nn.ModuleList); has no forward of its own. */
export class ModuleList extends Module {
  private readonly items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new Error(`${this.typeName}: expected a Module at position ${this.items.length}, got ${describe(m)}`);
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  get(i: number): Module {
    return this.items[checkIndex(this.typeName, i, this.items.length)];
  }

  get length(): number {
    return this.items.length;
  }

  [Symbol.iterator](): IterableIterator<Module> {
    return this.items[Symbol.iterator]();
  }

  forward(): never {
    throw new Error(`${this.typeName} has no forward: iterate over it and call each module`);
  }
}

/** Returns its input unchanged (torch.nn.Identity); constructor arguments are ignored like torch. */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  forward<T extends tf.Tensor>(x: T): T {
    return x;
  }
}

/** Flattens dims startDim..endDim into one (torch.nn.Flatten; defaults keep the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    if (!Number.isInteger(startDim)) throw new Error(`${this.typeName}: startDim must be an integer, got ${startDim}`);
    if (!Number.isInteger(endDim)) throw new Error(`${this.typeName}: endDim must be an integer, got ${endDim}`);
  }

  /** [d0, …, d_start, …, d_end, …] -> [d0, …, d_start·…·d_end, …] */
  forward(x: tf.Tensor): tf.Tensor {
    const r = Math.max(x.rank, 1);
    const norm = (d: number, field: string): number => {
      if (d < -r || d >= r) throw new Error(`${this.typeName}: ${field} ${d} is out of range for input shape [${x.shape}]`);
      return d < 0 ? d + r : d;
    };
    const s = norm(this.startDim, 'startDim');
    const e = norm(this.endDim, 'endDim');
    if (s > e) throw new Error(`${this.typeName}: startDim (${this.startDim}) must not come after endDim (${this.endDim}) for input shape [${x.shape}]`);
    const shape = x.rank === 0 ? [1] : x.shape;
    const merged = shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
    return x.reshape([...shape.slice(0, s), merged, ...shape.slice(e + 1)]);
  }
}

function checkIndex(layer: string, i: number, n: number): number {
  if (!Number.isInteger(i) || i < -n || i >= n) throw new Error(`${layer}: index ${i} is out of range for ${n} modules`);
  return i < 0 ? i + n : i;
}

function describe(v: unknown): string {
  return v === null ? 'null' : typeof v === 'object' ? (v as object).constructor?.name ?? 'object' : typeof v;
}
