export { serializeSafetensors, parseSafetensors } from './safetensors';
export type { SafetensorsFile, SafetensorsDtype } from './safetensors';
