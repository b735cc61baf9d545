/**
 * The one TF.js instance every neuralzoo package uses. `@tensorflow/tfjs` registers the cpu
 * backend and every gradient; the wasm backend registers itself against the same tfjs-core.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export { tf };
