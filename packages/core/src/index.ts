/**
 * @neuralzoo/core — tensors and backends, autograd, nn modules, losses, optimizers, training,
 * checkpoints, data and parallel training on TensorFlow.js. Browser-safe: Node-only parts are in
 * `@neuralzoo/core/node`.
 */
export { tf } from './tf';
export { init, backendInfo, registerBackendProvider } from './backend/init';
export type { BackendInfo, BackendName, InitOptions, BackendProvider } from './backend/init';
export { FUSED_KERNELS } from './backend/fused_kernels';
export type { AdamUpdateOptions } from './backend/optim';
export { Parameter } from './autograd/parameter';
export type { ParameterOptions } from './autograd/parameter';
export { backward, noGrad } from './autograd/backward';
export type { GradTarget } from './autograd/backward';
export { gradcheck } from './autograd/gradcheck';
export type { GradcheckOptions, GradcheckResult } from './autograd/gradcheck';
export { manualSeed, Generator, defaultGenerator, getRngState, setRngState } from './autograd/random';
export type { RngState } from './autograd/random';
export * as nn from './nn/index';
export * as F from './functional/index';
export * as optim from './optim/index';
export * as io from './io/index';
export { registry, ModelRegistry } from './registry/index';
export type { ModelEntry, ModelExample, Recipe } from './registry/index';
export * as data from './data/index';
export * as train from './train/index';
export * as parallel from './parallel/index';
