/**
 * The optimizer and scheduler interfaces `fit` and checkpoints rely on (what `optim` implements,
 * after torch.optim). Structural, so any object with these members works.
 */
import type { tf } from '../tf';

export interface ParamGroupLike {
  /** Learning rate of the group (read for logs, written by schedulers). */
  lr: number;
  [option: string]: unknown;
}

/** torch.optim's state_dict: per-parameter state by index, and the param groups (params as indices). */
export interface OptimizerStateDict {
  state: { [paramIndex: number]: Record<string, tf.Tensor | number> };
  paramGroups: Array<Record<string, unknown>>;
}

export interface OptimizerLike {
  step(): void;
  zeroGrad(): void;
  paramGroups: ParamGroupLike[];
  stateDict?(): OptimizerStateDict;
  loadStateDict?(sd: OptimizerStateDict): void;
}

export interface SchedulerLike {
  step(): void;
  getLastLr?(): number[];
  stateDict?(): Record<string, unknown>;
  loadStateDict?(sd: Record<string, unknown>): void;
}
