const { project, torchProjects } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
const slow = ['<rootDir>/src/**/*.slow.test.ts'];
const ignore = ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'];
module.exports = {
  projects: [
    project('vision:cpu', 'cpu', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
    project('vision:wasm', 'wasm', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
    project('vision:slow', 'wasm', { rootDir: __dirname, testMatch: slow }),
    // On @neuralzoo/backend-torch when its addon is built (skipped with a message otherwise).
    ...torchProjects('vision:torch', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
  ],
};
