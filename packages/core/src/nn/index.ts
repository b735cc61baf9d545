export { Module } from './module';
export type { StateDict, LoadStateDictResult } from './module';
export { Parameter } from '../autograd/parameter';
export * as init from './init';
export { Linear } from './linear';
export type { LinearOptions } from './linear';
