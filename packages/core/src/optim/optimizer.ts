import { tf } from '../tf';
import { Parameter } from '../autograd/parameter';

/**
 * One parameter group: its parameters, its learning rate and the optimizer's other options
 * (camelCase torch names). Schedulers write `lr` (and OneCycleLR `momentum` or `betas[0]`) here,
 * and may add their own keys (`initialLr`, `maxLr`…) like torch does.
 */
export interface ParamGroup {
  params: Parameter[];
  lr: number;
  [option: string]: unknown;
}

/** What the constructor and `addParamGroup` take: parameters and per-group option overrides. */
export type ParamGroupInput<O> = { params: Parameter[] } & Partial<O>;

/** Per-parameter state: the number of updates and named tensors (torch's names: exp_avg…). */
export interface ParamState {
  step: number;
  [name: string]: tf.Tensor | number;
}

/** Group options as stored in a state dict: everything but the parameters, which become indices. */
export type SavedParamGroup = { params: number[] } & { [option: string]: unknown };

/**
 * torch's `optimizer.state_dict()` layout: state keyed by the parameter's index in the order of
 * `paramGroups` (group by group), and the groups' options with parameter indices.
 */
export interface OptimizerStateDict {
  state: { [paramIndex: number]: ParamState };
  paramGroups: SavedParamGroup[];
}

/**
 * Base class of the optimizers (torch.optim.Optimizer). Subclasses validate options in
 * `checkOptions` and update one parameter in `update`; the base class handles parameter groups,
 * state, `step` (skips parameters whose `.grad` is null), `zeroGrad` and state dicts.
 */
export abstract class Optimizer<G extends ParamGroup = ParamGroup> {
  readonly paramGroups: G[] = [];
  /** The options every new group starts from. */
  readonly defaults: Omit<G, 'params'>;
  protected readonly state = new Map<Parameter, ParamState>();

  constructor(
    readonly name: string,
    params: Parameter[] | Array<ParamGroupInput<Omit<G, 'params'>>>,
    defaults: Omit<G, 'params'>,
  ) {
    this.defaults = copyOptions(defaults) as Omit<G, 'params'>;
    if (!Array.isArray(params)) throw new Error(`${name}: params must be an array of Parameters or of parameter groups`);
    if (params.length === 0) throw new Error(`${name}: got an empty parameter list`);
    type Input = ParamGroupInput<Omit<G, 'params'>>;
    const groups = params[0] instanceof Parameter ? [{ params: params as Parameter[] } as Input] : (params as Input[]);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Throws (naming the option and its value) on invalid options of one group. */
  protected abstract checkOptions(group: G): void;

  /**
   * Computes the update of `param` from `grad` (never null here) inside a tf.tidy: returns the new
   * parameter value; state tensors are replaced with `setState`.
   */
  protected abstract update(param: Parameter, grad: tf.Tensor, state: ParamState, group: G): tf.Tensor;

  /** Names and initial values of a parameter's state tensors (created at its first update). */
  protected abstract initState(param: Parameter, group: G): Record<string, tf.Tensor>;

  /** Adds a group (torch's add_param_group): missing options come from the defaults. */
  addParamGroup(input: ParamGroupInput<Omit<G, 'params'>>): void {
    if (input === null || typeof input !== 'object' || !Array.isArray(input.params))
      throw new Error(`${this.name}: a parameter group must be an object with a params array`);
    const params = input.params;
    if (params.length === 0) throw new Error(`${this.name}: a parameter group has no parameters`);
    params.forEach((p, i) => {
      if (!(p instanceof Parameter)) throw new Error(`${this.name}: params[${i}] of group ${this.paramGroups.length} is not a Parameter`);
    });
    if (new Set(params).size !== params.length)
      throw new Error(`${this.name}: a parameter appears twice in group ${this.paramGroups.length}`);
    for (const g of this.paramGroups)
      for (const p of params)
        if (g.params.includes(p)) throw new Error(`${this.name}: parameter '${p.name || '?'}' appears in more than one parameter group`);
    const overrides = { ...input } as Record<string, unknown>;
    delete overrides.params;
    for (const key of Object.keys(overrides))
      if (!(key in this.defaults)) throw new Error(`${this.name}: unknown option '${key}' in parameter group ${this.paramGroups.length}`);
    const group = { ...copyOptions(this.defaults), ...copyOptions(overrides), params: params.slice() } as unknown as G;
    this.checkOptions(group);
    this.paramGroups.push(group);
  }

  /**
   * One update of every parameter that has a gradient; parameters with `.grad === null` are
   * skipped. An optional `closure` (which computes the loss and fills the gradients, e.g. with
   * `backward`) runs first and its value is returned, like torch's `step(closure)`.
   */
  step(closure?: () => number): number | undefined {
    const loss = closure ? closure() : undefined;
    for (const group of this.paramGroups) {
      this.checkOptions(group); // a scheduler or the user may have changed them
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (!tf.util.arraysEqual(p.grad.shape, p.shape))
          throw new Error(`${this.name}: gradient of '${p.name || '?'}' has shape [${p.grad.shape}], parameter has [${p.shape}]`);
        let st = this.state.get(p);
        if (st === undefined) {
          st = { step: 0 };
          const init = tf.tidy(() => this.initState(p, group));
          for (const [k, v] of Object.entries(init)) st[k] = v;
          this.state.set(p, st);
        }
        const state = st;
        state.step += 1;
        const grad = p.grad;
        tf.tidy(() => {
          const next = this.update(p, grad, state, group);
          p.data.assign(next);
        });
      }
    }
    return loss;
  }

  /** Replaces a state tensor (inside `update`'s tidy): keeps the new one, frees the old one. */
  protected setState(state: ParamState, name: string, value: tf.Tensor): void {
    const old = state[name];
    state[name] = tf.keep(value);
    if (old instanceof tf.Tensor && old !== value) old.dispose();
  }

  /** Sets every parameter's gradient to null (torch's zero_grad(set_to_none=True)). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.zeroGrad();
  }

  /** Every parameter, group by group: the index order of the state dict. */
  protected allParams(): Parameter[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * torch's state dict: `{ state: { [index]: { step, exp_avg… } }, paramGroups: [{ lr, …, params:
   * [indices] }] }`. State tensors are the optimizer's own storage: read or serialise them, do
   * not dispose them (clone to keep a snapshot); options are copies.
   */
  stateDict(): OptimizerStateDict {
    const state: { [i: number]: ParamState } = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((g) => {
      const saved = copyOptions(g) as SavedParamGroup;
      saved.params = g.params.map((p) => {
        const st = this.state.get(p);
        if (st) state[index] = { ...st };
        return index++;
      });
      return saved;
    });
    return { state, paramGroups };
  }

  /**
   * Loads a state dict of an optimizer of the same kind over the same parameter layout: group
   * options are restored and state tensors copied (the caller keeps ownership of `sd`).
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const name = this.name;
    if (!sd || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || typeof sd.state !== 'object' || sd.state === null)
      throw new Error(`${name}.loadStateDict: expected { state, paramGroups }`);
    if (sd.paramGroups.length !== this.paramGroups.length)
      throw new Error(`${name}.loadStateDict: state dict has ${sd.paramGroups.length} parameter groups, optimizer has ${this.paramGroups.length}`);
    sd.paramGroups.forEach((g, i) => {
      const n = this.paramGroups[i].params.length;
      if (!Array.isArray(g.params) || g.params.length !== n)
        throw new Error(`${name}.loadStateDict: group ${i} has ${Array.isArray(g.params) ? g.params.length : 'no'} parameters in the state dict, ${n} in the optimizer`);
    });
    const params = this.allParams();
    const indexOf = new Map<number, Parameter>();
    sd.paramGroups.forEach((g, i) => g.params.forEach((idx, j) => indexOf.set(idx, this.paramGroups[i].params[j])));
    const next = new Map<Parameter, Record<string, unknown>>();
    for (const [key, st] of Object.entries(sd.state)) {
      const p = indexOf.get(Number(key));
      if (p === undefined) throw new Error(`${name}.loadStateDict: state for parameter index ${key}, which no group lists (${params.length} parameters)`);
      if (!st || typeof st.step !== 'number') throw new Error(`${name}.loadStateDict: state ${key} lacks a numeric step`);
      for (const [k, v] of Object.entries(st)) {
        if (k === 'step') continue;
        if (!(v instanceof tf.Tensor)) throw new Error(`${name}.loadStateDict: state ${key}.${k} is not a tf.Tensor`);
        if (v.isDisposed) throw new Error(`${name}.loadStateDict: state ${key}.${k} is disposed`);
        if (!tf.util.arraysEqual(v.shape, p.shape))
          throw new Error(`${name}.loadStateDict: state ${key}.${k} has shape [${v.shape}], parameter '${p.name || key}' has [${p.shape}]`);
      }
      next.set(p, st);
    }
    // Validated: replace.
    sd.paramGroups.forEach((saved, i) => {
      const group = this.paramGroups[i] as Record<string, unknown>;
      for (const [k, v] of Object.entries(copyOptions(saved))) if (k !== 'params') group[k] = v;
    });
    // Copy before freeing the old state: sd may hold this optimizer's own tensors.
    const copies = new Map<Parameter, ParamState>();
    for (const [p, st] of next) {
      const copy: ParamState = { step: st.step as number };
      for (const [k, v] of Object.entries(st)) if (k !== 'step') copy[k] = tf.tidy(() => tf.cast(v as tf.Tensor, 'float32').clone());
      copies.set(p, copy);
    }
    this.disposeState();
    for (const [p, st] of copies) this.state.set(p, st);
  }

  /** Frees the state tensors (the parameters are not touched). */
  dispose(): void {
    this.disposeState();
  }

  private disposeState(): void {
    for (const st of this.state.values()) for (const v of Object.values(st)) if (v instanceof tf.Tensor) v.dispose();
    this.state.clear();
  }
}

/** Shallow copy of options, copying arrays (betas) so groups never share them. */
function copyOptions(o: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'params') continue;
    out[k] = Array.isArray(v) ? v.slice() : v;
  }
  return out;
}

/** Throws `${opt}: ${what}, got ${value}` unless ok. */
export function checkOption(ok: boolean, optimizer: string, option: string, what: string, value: unknown): void {
  if (!ok) throw new Error(`${optimizer}: ${option} must be ${what}, got ${Array.isArray(value) ? `[${value}]` : String(value)}`);
}

/** Validates a non-negative finite number option. */
export function checkNonNegative(optimizer: string, option: string, value: unknown): void {
  checkOption(typeof value === 'number' && value >= 0 && Number.isFinite(value), optimizer, option, '>= 0', value);
}
