const { project } = require('../../jest.preset.js');
// Commands run on the backend they are asked for; tests use wasm, the default training backend.
const unit = ['<rootDir>/src/**/*.test.ts'];
module.exports = {
  projects: [project('cli:wasm', 'wasm', { rootDir: __dirname, testMatch: unit })],
};
