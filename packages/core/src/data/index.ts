export { Dataset, TensorDataset, ArrayDataset, Subset, randomSplit } from './dataset';
export { DataLoader } from './dataloader';
export type { DataLoaderOptions } from './dataloader';
export { defaultCollate, disposeBatch } from './collate';
export type { Collated } from './collate';
