/**
 * The c10d transport: PyTorch's c10d process groups (Gloo on CPU, NCCL on CUDA) as a
 * `parallel.Collective`, the `dataParallel({ transport: 'c10d' })` strategy, and the default
 * process group (torch.distributed's init_process_group / destroy_process_group).
 */
export { C10dCollective, RankError, initProcessGroup, destroyProcessGroup, resolveOptions } from './process-group';
export type { ProcessGroupOptions, FailureReport } from './process-group';
export { C10dDataParallel } from './strategy';
export type { C10dDataParallelOptions } from './strategy';
export { loadC10d, c10dAvailable, C10D_ADDON_PATH, C10D_INSTALL_HINT } from './native';
export type { C10dAddon } from './native';
