/** `train` of `@neuralzoo/core/node`: the main entry's train plus callbacks that write files. */
export * from '../train/index';
export { ModelCheckpoint, MetricsLogger } from './callbacks';
export type { ModelCheckpointOptions, MetricsLoggerOptions } from './callbacks';
export { SummaryWriter, TensorBoardLogger } from './tensorboard';
