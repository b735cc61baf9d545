/** Pointer network hyperparameters (Vinyals, Fortunato & Jaitly, 2015). */
export interface PointerNetConfig {
  /** Features of each input element (1 for numbers, 2 for planar points). Default 1. */
  inputDim: number;
  /** Hidden size of the encoder LSTM, the decoder LSTM and the attention. Default 64. */
  hiddenSize: number;
  /**
   * Mask positions already pointed to (and the end pointer at the first step), so outputs are
   * permutations/subsets; the paper leaves masking out, later work adds it. Default true.
   */
  maskPointed: boolean;
}

export const POINTER_NET_DEFAULTS: Readonly<PointerNetConfig> = Object.freeze({ inputDim: 1, hiddenSize: 64, maskPointed: true });

export function resolvePointerNetConfig(config: Partial<PointerNetConfig> = {}): PointerNetConfig {
  const cfg: PointerNetConfig = { ...POINTER_NET_DEFAULTS, ...config };
  for (const f of ['inputDim', 'hiddenSize'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`PointerNet: ${f} must be a positive integer, got ${cfg[f]}`);
  return cfg;
}
