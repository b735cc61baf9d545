import { registry } from '@neuralzoo/core';
import type { CopyNetConfig } from './config';
import { CopyNet, copynet } from './copynet';

export { CopyNet, copynet } from './copynet';
export { COPYNET_DEFAULTS, resolveCopyNetConfig, extendSource } from './config';
export type { CopyNetConfig } from './config';
export { buildNamesTask, caseTokens } from './names';
export type { NamesTask, NamesTaskOptions } from './names';

registry.register<Partial<CopyNetConfig>, CopyNet>({
  name: 'copynet',
  task: 'seq2seq',
  domain: 'nlp',
  create: (c = {}) => copynet({ vocabSize: 32, ...c }),
  recipe: {
    dataset: 'parallel-bible (English side): rare proper names',
    epochs: 20,
    batchSize: 64,
    optimizer: { name: 'Adam', lr: 3e-3 },
    metric: 'exact_match_rare_names',
    model: { embedDim: 48, hiddenSize: 64, maxOovs: 12 },
  },
  description: 'CopyNet: attention GRU encoder–decoder with a generate-vs-copy gate over an extended vocabulary (Gu et al., 2016; See et al., 2017)',
});
