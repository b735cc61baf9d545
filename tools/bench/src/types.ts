/** Result records shared by the TF.js workers, the PyTorch reference and the report. */
import type { ScalingResult } from './scaling';

export interface KernelShare {
  /** A kernel name, or '(outside kernels)'. */
  kernel: string;
  /** CPU ms per step. */
  ms: number;
  /** Fraction of the profiled steps' CPU time. */
  share: number;
}

export interface CaseResult {
  id: string;
  /** null when the case could not run (see `note`). */
  value: number | null;
  unit: 'steps/s' | 'GFLOP/s' | 's';
  steps?: number;
  loss?: number;
  /** CPU time (all threads of the process) per timed step: wall time far above it means contention. */
  cpuMsPerStep?: number;
  note?: string;
  profile?: KernelShare[];
}

export interface BackendResult {
  /** A TF.js backend name, or 'pytorch' for the reference. */
  backend: string;
  available: boolean;
  note?: string;
  info?: Record<string, unknown>;
  started?: string;
  loadavg?: number[];
  leakedTensors?: number;
  cases: CaseResult[];
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  tfjs: string;
}

export interface BenchRun {
  date: string;
  machine: Machine;
  options: { seconds: number; epochLimit: number; threads: number | null; torchThreads: number };
  loadavg: { before: number[]; after: number[] };
  results: BackendResult[];
  /** The data-parallel scaling row (absent with --no-scaling). */
  scaling?: ScalingResult;
}
