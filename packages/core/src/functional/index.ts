export * from './activations';
export * from './losses';
