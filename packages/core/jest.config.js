const { project, torchProjects } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
const slow = ['<rootDir>/src/**/*.slow.test.ts'];
module.exports = {
  projects: [
    project('core:cpu', 'cpu', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'] }),
    project('core:wasm', 'wasm', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'] }),
    project('core:slow', 'wasm', { rootDir: __dirname, testMatch: slow }),
    // On @neuralzoo/backend-torch when its addon is built (skipped with a message otherwise).
    ...torchProjects('core:torch', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$', '/src/backend/wasm/'] }),
  ],
};
