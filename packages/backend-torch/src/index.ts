/**
 * @neuralzoo/backend-torch: a TF.js backend named `torch` that runs kernels as ATen ops of
 * libtorch (native addon built at install from native/, see scripts/build.js).
 */
export { loadAddon, addonAvailable, INSTALL_HINT, ADDON_PATH } from './addon';
export type { NativeAddon } from './native';
