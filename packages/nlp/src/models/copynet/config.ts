/** CopyNet hyperparameters (Gu et al., 2016; gate as in See et al., 2017). */
export interface CopyNetConfig {
  /** Fixed vocabulary V shared by source embedding and generator (0 = padding). Required. */
  vocabSize: number;
  /** Source-specific ids V … V + maxOovs - 1 name out-of-vocabulary source words (per example). Default 16. */
  maxOovs: number;
  /** Id that out-of-vocabulary ids are read as by the embeddings. Default 1 (the `<unk>` of `Vocab`). */
  unkId: number;
  /** Token embedding width. Default 64. */
  embedDim: number;
  /** Hidden size of encoder (per direction) and decoder. Default 128. */
  hiddenSize: number;
  /** Dropout on embeddings and the attentional state in training. Default 0.1. */
  dropout: number;
  /** Padding id. Default 0. */
  padId: number;
}

export const COPYNET_DEFAULTS: Readonly<Omit<CopyNetConfig, 'vocabSize'>> = Object.freeze({ maxOovs: 16, unkId: 1, embedDim: 64, hiddenSize: 128, dropout: 0.1, padId: 0 });

export function resolveCopyNetConfig(config: Partial<CopyNetConfig> & Pick<CopyNetConfig, 'vocabSize'>): CopyNetConfig {
  const cfg: CopyNetConfig = { ...COPYNET_DEFAULTS, ...config };
  for (const f of ['vocabSize', 'maxOovs', 'embedDim', 'hiddenSize'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] <= 0) throw new Error(`CopyNet: ${f} must be a positive integer, got ${cfg[f]}`);
  for (const f of ['unkId', 'padId'] as const)
    if (!Number.isInteger(cfg[f]) || cfg[f] < 0 || cfg[f] >= cfg.vocabSize) throw new Error(`CopyNet: ${f} (${cfg[f]}) must be an id of the vocabulary (size ${cfg.vocabSize})`);
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) throw new Error(`CopyNet: dropout must be in [0, 1), got ${cfg.dropout}`);
  return cfg;
}

/**
 * Source tokens -> extended ids: in-vocabulary tokens keep their id, out-of-vocabulary ones get
 * V + k (k-th distinct OOV of this source, k < maxOovs; later ones fall back to unk). Returns the
 * ids and the OOV words in order, to map target words and decoded ids back.
 */
export function extendSource(tokens: readonly string[], id: (t: string) => number | undefined, V: number, maxOovs: number, unkId: number): { ids: number[]; oovs: string[] } {
  const oovs: string[] = [];
  const ids = tokens.map((t) => {
    const i = id(t);
    if (i !== undefined) return i;
    let k = oovs.indexOf(t);
    if (k < 0 && oovs.length < maxOovs) k = oovs.push(t) - 1;
    return k < 0 ? unkId : V + k;
  });
  return { ids, oovs };
}
