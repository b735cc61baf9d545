export { greedyDecode, beamSearch, lengthPenalty } from './search';
export type { StepDecoder, DecoderState, DecodeOptions, BeamSearchOptions, Hypothesis } from './search';
