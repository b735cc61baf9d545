/**
 * Finds and loads the native addon (`build/neuralzoo_torch.node`, built by scripts/build.js at
 * install). When it is missing, `loadAddon` throws a message that says why (read from the build's
 * status file) and what to install.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { NativeAddon } from './native';

/** The folder scripts/build.js writes to. */
export const BUILD_DIR = path.join(__dirname, '..', 'build');
/** The addon file scripts/build.js produces. */
export const ADDON_PATH = path.join(BUILD_DIR, 'neuralzoo_torch.node');

let buildDir = BUILD_DIR;

/**
 * Points the loader at another build folder (for bundles, whose `__dirname` is not this
 * package's); call before the backend loads.
 */
export function setBuildDir(dir: string): void {
  buildDir = dir;
}

/** The fix printed whenever libtorch or the addon is missing. */
export const INSTALL_HINT =
  'install libtorch (`apt-get install libtorch-dev`, or set LIBTORCH=<libtorch or python torch dir>) ' +
  'and rebuild with `pnpm --filter @neuralzoo/backend-torch build:native`';

interface BuildStatus {
  ok: boolean;
  reason?: string;
  libtorch?: string;
}

function readStatus(): BuildStatus | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(buildDir, 'status.json'), 'utf8')) as BuildStatus;
  } catch {
    return null;
  }
}

let cached: NativeAddon | null = null;

/** Loads the addon once; throws why it cannot (not built, libtorch missing, load error). */
export function loadAddon(): NativeAddon {
  if (cached) return cached;
  const addonPath = path.join(buildDir, 'neuralzoo_torch.node');
  if (!fs.existsSync(addonPath)) {
    const status = readStatus();
    const why = status && !status.ok && status.reason ? status.reason : `the native addon is not built (${addonPath} missing)`;
    throw new Error(`${why}; ${INSTALL_HINT}`);
  }
  // libgomp reads this when libtorch loads. Its default, busy-waiting between parallel regions,
  // made a training step 30x slower on 2 cores shared with other processes (631 vs 22 ms for
  // the bench MLP); passive waiting costs little on an idle machine. A value set by the caller wins.
  if (process.env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = 'PASSIVE';
  try {
    cached = require(addonPath) as NativeAddon;
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new Error(`the native addon failed to load (${msg}); ${INSTALL_HINT}`);
  }
  return cached;
}

/** Whether the addon is built and loads (never throws). */
export function addonAvailable(): boolean {
  try {
    loadAddon();
    return true;
  } catch {
    return false;
  }
}
