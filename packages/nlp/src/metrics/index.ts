export { editDistance, errorRate, phonemeErrorRate, characterErrorRate, wordErrorRate } from './edit-distance';
export { tokenize13a, corpusBleu } from './bleu';
export type { BleuOptions, BleuResult } from './bleu';
