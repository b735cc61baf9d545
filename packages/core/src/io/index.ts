export { serializeSafetensors, parseSafetensors } from './safetensors';
export type { SafetensorsFile, SafetensorsDtype } from './safetensors';
export {
  packCheckpoint,
  unpackCheckpoint,
  checkManifest,
  flattenOptimizerState,
  unflattenOptimizerState,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  MODEL_FILE,
  OPTIMIZER_FILE,
  MANIFEST_FILE,
} from './checkpoint';
export type { CheckpointManifest, CheckpointContents, LoadTargets, LoadedCheckpoint } from './checkpoint';
