const { project, torchProjects } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
const ignore = ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'];
// addon.test.ts runs everywhere (it checks the message when the addon is missing); the other
// tests need the native addon and run on backend 'torch' only when it is built.
module.exports = {
  projects: [
    project('backend-torch', 'cpu', { rootDir: __dirname, testMatch: ['<rootDir>/src/addon.test.ts'], testPathIgnorePatterns: ignore }),
    // The c10d transport has its own addon (build/c10d.node) and rank processes on wasm: it runs
    // whether or not the backend addon is built, and its multi-process tests skip with the reason
    // when c10d.node is missing.
    project('backend-torch:c10d', 'wasm', { rootDir: __dirname, testMatch: ['<rootDir>/src/c10d/**/*.test.ts'], testPathIgnorePatterns: ignore }),
    ...torchProjects('backend-torch:torch', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: [...ignore, 'addon\\.test\\.ts$', '/src/c10d/'] }),
  ],
};
