#!/usr/bin/env node
// Builds the native addon build/neuralzoo_torch.node with plain g++ (no node-gyp: the addon is
// one C++ file and needs only Node's node_api.h and libtorch).
//
// libtorch is found from $LIBTORCH (a libtorch folder or a Python `torch` package folder, both
// have include/ and lib/) or Debian's libtorch-dev paths. When no libtorch, no compiler or no Node
// headers are found, or compiling fails, it writes the reason to build/status.json (the backend's
// loader and `neuralzoo doctor` print it) and exits 0, so installing the package always succeeds.
//
// Env: LIBTORCH, CXX (default g++), NODE_INCLUDE (folder with node_api.h), NEURALZOO_TORCH_FORCE=1
// rebuilds even when the addon is newer than its sources. `--out DIR` builds into DIR instead of
// build/ (tests use it).
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const pkgDir = path.join(__dirname, '..');
const outFlag = process.argv.indexOf('--out');
const buildDir = outFlag > 0 && process.argv[outFlag + 1] ? path.resolve(process.argv[outFlag + 1]) : path.join(pkgDir, 'build');
const addonPath = path.join(buildDir, 'neuralzoo_torch.node');
const statusPath = path.join(buildDir, 'status.json');
const sources = [path.join(pkgDir, 'native', 'torch_addon.cc')];

/** Where libtorch's headers and libraries are: `{ root, includes, libDir, cuda, source }` or a reason. */
function findLibtorch(env = process.env) {
  if (env.LIBTORCH) {
    const root = path.resolve(env.LIBTORCH);
    const inc = path.join(root, 'include');
    const lib = path.join(root, 'lib');
    if (!fs.existsSync(path.join(inc, 'ATen', 'ATen.h')) || !fs.existsSync(path.join(lib, 'libtorch_cpu.so')))
      return { reason: `LIBTORCH=${env.LIBTORCH} has no include/ATen/ATen.h and lib/libtorch_cpu.so (expected a libtorch or python torch package folder)` };
    return {
      root,
      includes: [inc, path.join(inc, 'torch', 'csrc', 'api', 'include')],
      libDir: lib,
      cuda: fs.existsSync(path.join(lib, 'libtorch_cuda.so')),
      source: `LIBTORCH=${root}`,
    };
  }
  const debLib = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib'].find((d) =>
    fs.existsSync(path.join(d, 'libtorch_cpu.so')),
  );
  if (fs.existsSync('/usr/include/ATen/ATen.h') && debLib) {
    return {
      root: '/usr',
      includes: ['/usr/include', '/usr/include/torch/csrc/api/include'],
      libDir: debLib,
      cuda: fs.existsSync(path.join(debLib, 'libtorch_cuda.so')),
      source: 'Debian libtorch-dev',
    };
  }
  return { reason: 'libtorch not found (no LIBTORCH and no Debian libtorch-dev in /usr/include/ATen, /usr/lib/*/libtorch_cpu.so)' };
}

/** The folder holding node_api.h, or null. */
function findNodeInclude(env = process.env) {
  const candidates = [
    env.NODE_INCLUDE,
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    '/usr/include/node',
    '/usr/local/include/node',
  ].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'node_api.h'))) || null;
}

/** g++ flags every addon of this package compiles with (C++17, exceptions, RTTI, libtorch's ABI). */
const CXX_FLAGS = ['-std=c++17', '-O2', '-fPIC', '-shared', '-fexceptions', '-frtti', '-D_GLIBCXX_USE_CXX11_ABI=1', '-DNAPI_VERSION=8', '-Wno-deprecated-declarations'];

/** Linker arguments for libtorch `lt` (its CUDA libraries too when `cuda`), with an rpath outside /usr. */
function linkArgs(lt, cuda = lt.cuda) {
  const libs = ['torch', 'torch_cpu', 'c10', ...(cuda ? ['torch_cuda', 'c10_cuda'] : [])];
  return [
    `-L${lt.libDir}`, '-Wl,--no-as-needed', ...libs.map((l) => `-l${l}`), '-Wl,--as-needed',
    ...(lt.root === '/usr' ? [] : [`-Wl,-rpath,${lt.libDir}`]),
  ];
}

/** g++ arguments that build `out` from `srcs` against libtorch `lt` and Node headers `nodeInc`. */
function compileArgs(lt, nodeInc, srcs, out) {
  return [
    ...CXX_FLAGS, '-DNODE_GYP_MODULE_NAME=neuralzoo_torch',
    ...lt.includes.map((d) => `-I${d}`), `-I${nodeInc}`,
    ...srcs, '-o', out,
    ...linkArgs(lt),
  ];
}

/** Writes a build status JSON (read by the loaders and `neuralzoo doctor`). */
function writeStatusFile(file, status) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(status, null, 2) + '\n');
}

/** True when `out` exists and is newer than every input (sources and the build script). */
function isUpToDate(out, inputs) {
  if (!fs.existsSync(out)) return false;
  const built = fs.statSync(out).mtimeMs;
  return inputs.every((s) => fs.statSync(s).mtimeMs <= built);
}

function writeStatus(status) {
  writeStatusFile(statusPath, status);
}

function skip(reason) {
  writeStatus({ ok: false, reason });
  console.warn(`[@neuralzoo/backend-torch] native addon not built: ${reason}.`);
  console.warn('  The torch backend stays unavailable (init "auto" picks the next backend). To enable it:');
  console.warn('  apt-get install libtorch-dev (or set LIBTORCH=<libtorch or python torch dir>), then');
  console.warn('  pnpm --filter @neuralzoo/backend-torch build:native');
  return 0;
}

function upToDate() {
  return isUpToDate(addonPath, [...sources, __filename]);
}

function main() {
  if (process.env.NEURALZOO_TORCH_SKIP_BUILD === '1') return skip('NEURALZOO_TORCH_SKIP_BUILD=1');
  const lt = findLibtorch();
  if (lt.reason) return skip(lt.reason);
  const nodeInc = findNodeInclude();
  if (!nodeInc) return skip('Node-API headers (node_api.h) not found; set NODE_INCLUDE or install the nodejs headers (Debian libnode-dev)');
  if (process.env.NEURALZOO_TORCH_FORCE !== '1' && upToDate()) return 0;
  const cxx = process.env.CXX || 'g++';
  fs.mkdirSync(buildDir, { recursive: true });
  const tmp = addonPath + '.tmp';
  const started = Date.now();
  console.warn(`[@neuralzoo/backend-torch] building the native addon against ${lt.source} (${cxx}, ~30 s)`);
  const r = spawnSync(cxx, compileArgs(lt, nodeInc, sources, tmp), { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.error) return skip(`compiler ${cxx} could not run (${r.error.message})`);
  if (r.status !== 0) {
    process.stderr.write(r.stderr.split('\n').slice(0, 40).join('\n') + '\n');
    return skip(`compiling native/torch_addon.cc against ${lt.source} failed (exit ${r.status}; see the errors above)`);
  }
  fs.renameSync(tmp, addonPath);
  writeStatus({ ok: true, libtorch: lt.source, cuda: lt.cuda, seconds: (Date.now() - started) / 1000 });
  console.warn(`[@neuralzoo/backend-torch] built ${path.relative(pkgDir, addonPath)} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return 0;
}

module.exports = { findLibtorch, findNodeInclude, compileArgs, CXX_FLAGS, linkArgs, writeStatusFile, isUpToDate };
if (require.main === module) process.exitCode = main();
