/** `io` of `@neuralzoo/core/node`: the main entry's io plus file access. */
export * from '../io/index';
export { saveSafetensors, loadSafetensors, writeFileAtomic } from './files';
export { saveCheckpoint, loadCheckpoint, readCheckpointFiles, findLatestCheckpoint } from './checkpoint';
