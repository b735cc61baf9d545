/**
 * @neuralzoo/backend-torch: a TF.js backend named `torch` that runs kernels as ATen ops of
 * libtorch (native addon built at install from native/, see scripts/build.js). Importing the
 * package registers its provider with core's `init`, so `init({ backend: 'torch' })`, or `auto`
 * when the addon is built, selects it.
 */
import { registerBackendProvider } from '@neuralzoo/core';
import { torchProvider } from './provider';

export { loadAddon, addonAvailable, setBuildDir, INSTALL_HINT, ADDON_PATH } from './addon';
export type { NativeAddon } from './native';
export { torchProvider, torchDevices } from './provider';
export { TorchBackend } from './backend';
export { nativeKernelNames, setStrictNative, registerTorchBackend, BACKEND_NAME } from './register';
export { fallbackCalls } from './fallback';
// The c10d transport: parallel.dataParallel({ transport: 'c10d' }) and the process group.
export * as c10d from './c10d/index';
export * as parallel from './c10d/parallel';

registerBackendProvider('torch', torchProvider);
