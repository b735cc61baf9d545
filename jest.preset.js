// Shared Jest settings: @swc/jest transpiles TypeScript (type checking happens in `tsc -b`),
// workspace packages resolve to their sources so tests never need a build.
const path = require('path');
const root = __dirname;

/** @param {string} name @param {'cpu'|'wasm'} backend @param {object} [extra] */
function project(name, backend, extra = {}) {
  return {
    displayName: name,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
    moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
    moduleNameMapper: {
      '^@neuralzoo/([a-z-]+)/([a-z-]+)$': path.join(root, 'packages/$1/src/$2/index.ts'),
      '^@neuralzoo/([a-z-]+)$': path.join(root, 'packages/$1/src/index.ts'),
    },
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
    setupFilesAfterEnv: [path.join(root, 'tools/jest/setup.js')],
    testEnvironmentOptions: {},
    globals: { NEURALZOO_TEST_BACKEND: backend },
    ...extra,
  };
}

module.exports = { project, root };
