/**
 * Keeping replicas' optimizers identical to the main one: hyperparameters (a scheduler changes
 * `lr` on the main optimizer between steps) and state (momentum buffers, Adam moments when
 * resuming from a checkpoint) travel as plain data.
 */
import type { Parameter } from '../autograd/parameter';
import { Packed, pack } from './payload';

/** The parts of torch.optim's interface replicas use; all optional but `step`/`zeroGrad`. */
export interface ReplicableOptimizer {
  step(): void;
  zeroGrad(): void;
  paramGroups?: Array<Record<string, unknown>>;
  stateDict?(): unknown;
  loadStateDict?(sd: any): void; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export type Hyperparameters = Array<Record<string, number | boolean | number[] | null>>;

function isHyper(v: unknown): v is number | boolean | number[] | null {
  return v === null || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'number'));
}

/** Each param group's numeric and boolean options (lr, momentum, betas…), without its params. */
export function getHyperparameters(opt: ReplicableOptimizer): Hyperparameters {
  return (opt.paramGroups ?? []).map((g) => {
    const out: Record<string, number | boolean | number[] | null> = {};
    for (const [k, v] of Object.entries(g)) if (k !== 'params' && isHyper(v)) out[k] = Array.isArray(v) ? v.slice() : v;
    return out;
  });
}

/** Writes `hyper` into `opt`'s param groups (same count required). */
export function setHyperparameters(opt: ReplicableOptimizer, hyper: Hyperparameters): void {
  const groups = opt.paramGroups ?? [];
  if (groups.length !== hyper.length) throw new Error(`optimizer has ${groups.length} param group(s), the main optimizer ${hyper.length}`);
  hyper.forEach((h, i) => Object.assign(groups[i], h));
}

/** For each param group, the indices of its parameters among `params` (the model's `parameters()`). */
export function groupIndices(opt: ReplicableOptimizer, params: Parameter[]): number[][] {
  const index = new Map(params.map((p, i) => [p, i]));
  return (opt.paramGroups ?? []).map((g, gi) =>
    ((g.params as Parameter[] | undefined) ?? []).map((p) => {
      const i = index.get(p);
      if (i === undefined) throw new Error(`optimizer param group ${gi} holds a parameter '${p.name}' that is not one of the model's`);
      return i;
    }),
  );
}

/** The optimizer's state dict with tensors packed (null when it has none or no `stateDict`). */
export function packOptimizerState(opt: ReplicableOptimizer): Packed {
  return opt.stateDict ? pack(opt.stateDict()) : null;
}
