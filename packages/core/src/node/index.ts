/**
 * @neuralzoo/core/node — everything in `@neuralzoo/core`, with `io` and `train` extended by the
 * parts that need Node (files, checksums, atomic renames): `io.saveSafetensors`,
 * `io.loadSafetensors`, `io.saveCheckpoint`, `io.loadCheckpoint`, `train.ModelCheckpoint`,
 * `train.MetricsLogger`, `train.TensorBoardLogger`, `train.SummaryWriter`.
 */
export * from '../index';
export * as io from './io';
export * as train from './train';
export * as parallel from './parallel/index';
