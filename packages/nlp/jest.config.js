const { project, torchProjects } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
const slow = ['<rootDir>/src/**/*.slow.test.ts'];
const ignore = ['/node_modules/', '/dist/', '\\.slow\\.test\\.ts$'];
module.exports = {
  projects: [
    project('nlp:cpu', 'cpu', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
    project('nlp:wasm', 'wasm', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
    project('nlp:slow', 'wasm', { rootDir: __dirname, testMatch: slow }),
    // On @neuralzoo/backend-torch when its addon is built (skipped with a message otherwise).
    ...torchProjects('nlp:torch', { rootDir: __dirname, testMatch: unit, testPathIgnorePatterns: ignore }),
  ],
};
