/**
 * The provider core's `init` calls for backend 'torch': loads the addon, sets device and threads,
 * registers the TF.js backend.
 */
import * as os from 'os';
import { tf } from '@neuralzoo/core';
import type { BackendProvider, InitOptions } from '@neuralzoo/core';
import { loadAddon } from './addon';
import { registerTorchBackend } from './register';

/** Devices the loaded libtorch offers: `cpu`, then `cuda:0`… (throws when the addon is not built). */
export function torchDevices(): string[] {
  const addon = loadAddon();
  const n = addon.cudaDeviceCount();
  return ['cpu', ...Array.from({ length: n }, (_, i) => `cuda:${i}`)];
}

export const torchProvider: BackendProvider = {
  async load(opts: InitOptions) {
    const addon = loadAddon();
    const devices = torchDevices();
    const device = opts.device ?? 'cpu';
    if (!devices.includes(device))
      throw new Error(`device '${device}' is not available; libtorch ${addon.version()} offers ${devices.join(', ')}`);
    addon.setDevice(device);
    addon.setThreads(opts.threads ?? os.availableParallelism());
    registerTorchBackend(addon, device);
    // the cpu fallback would print tfjs-backend-cpu's advert for tfjs-node on first use
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu) cpu.firstUse = false;
    return { device, threads: addon.getThreads(), devices };
  },
};
