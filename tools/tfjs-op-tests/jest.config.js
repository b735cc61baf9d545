const { project } = require('../../jest.preset.js');

// The suite runs in child processes (its own bundled tfjs-core), so this project needs no
// backend in the Jest process: no setup file.
module.exports = {
  projects: [
    project('tfjs-op-tests', 'cpu', {
      rootDir: __dirname,
      testMatch: ['<rootDir>/*.test.js'],
      setupFilesAfterEnv: [],
      testTimeout: 600_000,
    }),
  ],
};
