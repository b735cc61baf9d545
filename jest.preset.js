// Shared Jest settings: @swc/jest transpiles TypeScript (type checking happens in `tsc -b`),
// workspace packages resolve to their sources so tests never need a build.
const fs = require('fs');
const path = require('path');
const root = __dirname;

/** @param {string} name @param {'cpu'|'wasm'|'torch'} backend @param {object} [extra] */
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

const torchAddon = path.join(root, 'packages/backend-torch/build/neuralzoo_torch.node');
let torchNoticeShown = false;

/**
 * A Jest project on backend 'torch' (@neuralzoo/backend-torch), or none when its native addon is
 * not built (libtorch missing): then it prints once why the torch projects are skipped.
 * @param {string} name @param {object} [extra] @returns {object[]} zero or one project
 */
function torchProjects(name, extra = {}) {
  if (fs.existsSync(torchAddon)) return [project(name, 'torch', extra)];
  if (!torchNoticeShown && !process.env.JEST_WORKER_ID) {
    torchNoticeShown = true;
    process.stderr.write(`[jest] skipping ${name} (and every *:torch project): @neuralzoo/backend-torch's addon is not built ` +
      '(apt-get install libtorch-dev, then pnpm --filter @neuralzoo/backend-torch build:native)\n');
  }
  return [];
}

module.exports = { project, torchProjects, root };
