const fs = require('fs');
const path = require('path');
const { project } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
const ignore = ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'];
// Tests that need the native addon run on backend 'torch'; without the addon (libtorch missing or
// not built) Jest would fail at init, so the project is left out with a message instead.
const built = fs.existsSync(path.join(__dirname, 'build', 'neuralzoo_torch.node'));
if (!built && !process.env.JEST_WORKER_ID)
  console.warn('[backend-torch] native addon not built (see `pnpm --filter @neuralzoo/backend-torch build:native`): skipping its torch tests');
module.exports = {
  projects: [
    project('backend-torch', 'cpu', { rootDir: __dirname, testMatch: ['<rootDir>/src/addon.test.ts'], testPathIgnorePatterns: ignore }),
    // The c10d transport (its own addon, build/c10d.node) with rank processes on wasm; its tests skip with a reason when that addon is missing.
    project('backend-torch:c10d', 'wasm', { rootDir: __dirname, testMatch: ['<rootDir>/src/c10d/**/*.test.ts'], testPathIgnorePatterns: ignore }),
    ...(built ? [project('backend-torch:torch', 'torch', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: [...ignore, 'addon\\.test\\.ts$', '/src/c10d/'] })] : []),
  ],
};
