import * as fs from 'fs';
import * as path from 'path';
import { Worker, WorkerOptions } from 'worker_threads';

/**
 * Run from TypeScript sources (Jest with @swc/jest, no build): the worker thread gets no Jest
 * transform, so this bootstrap registers one like it before loading the entry: `.ts` files are
 * transpiled with @swc/core, and `@neuralzoo/<pkg>[/<sub>]` maps to `packages/<pkg>/src/…/index.ts`
 * (what jest.preset.js's moduleNameMapper does), so a worker uses the same sources as the test.
 */
const SOURCE_BOOTSTRAP = `
const Module = require('module');
const fs = require('fs');
const path = require('path');
const { workerData } = require('worker_threads');
const { entry, swc, packagesDir } = workerData.__source;
const { transformSync } = require(swc);
Module._extensions['.ts'] = function (m, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
  });
  m._compile(code, filename);
};
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@neuralzoo\\/([a-z-]+)(?:\\/([a-z-]+))?$/.exec(request);
  if (m) {
    const file = path.join(packagesDir, m[1], 'src', m[2] || '', 'index.ts');
    if (fs.existsSync(file)) return file;
  }
  return resolve.call(this, request, parent, ...rest);
};
require(entry);
`;

/**
 * Starts the worker script `<dir>/<name>.js` (the build), or `<dir>/<name>.ts` through the
 * source bootstrap when only the TypeScript source exists (tests).
 */
export function spawnWorker(dir: string, name: string, workerData: Record<string, unknown>, opts: Omit<WorkerOptions, 'workerData' | 'eval'> = {}): Worker {
  const js = path.join(dir, `${name}.js`);
  if (fs.existsSync(js)) return new Worker(js, { ...opts, workerData });
  const ts = path.join(dir, `${name}.ts`);
  if (!fs.existsSync(ts)) throw new Error(`worker script ${js} is missing (build @neuralzoo/core)`);
  const source = { entry: ts, swc: require.resolve('@swc/core'), packagesDir: path.resolve(dir, '../../../..') };
  return new Worker(SOURCE_BOOTSTRAP, { ...opts, eval: true, workerData: { ...workerData, __source: source } });
}
