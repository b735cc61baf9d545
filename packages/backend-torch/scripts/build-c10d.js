#!/usr/bin/env node
// Builds build/c10d.node, the c10d transport's addon (native/c10d/c10d.cc: TCPStore rendezvous,
// ProcessGroupGloo, ProcessGroupNCCL on a CUDA libtorch), with plain g++. It is independent of
// the backend addon (scripts/build.js), whose libtorch search it reuses.
//
// Needs libtorch (LIBTORCH or Debian libtorch-dev), Gloo's headers (Debian libgloo-dev: c10d's
// Gloo headers include them; the symbols are in libtorch_cpu.so), Node-API headers and
// node-addon-api. When one is missing or compiling fails it writes the reason to
// build/c10d-status.json (the transport's error quotes it) and exits 0.
//
// NCCL: when libtorch has libtorch_cuda.so and nccl.h is found (NCCL_INCLUDE, libtorch's include/,
// or pip's nvidia/nccl/include beside a python torch folder), it builds with NCCL, and falls back
// to Gloo only if that compile fails.
//
// Usage: node scripts/build-c10d.js [--out-dir DIR]
// Env: LIBTORCH, CXX, NODE_INCLUDE, NODE_ADDON_API_INCLUDE (folder with napi.h), GLOO_INCLUDE
// (folder holding gloo/), NCCL_INCLUDE, NEURALZOO_TORCH_FORCE=1 (rebuild even when up to date),
// NEURALZOO_TORCH_SKIP_BUILD=1.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { findLibtorch, findNodeInclude, CXX_FLAGS, linkArgs, writeStatusFile, isUpToDate } = require('./build.js');

const pkgDir = path.join(__dirname, '..');
// `--out-dir DIR` builds elsewhere (tests, side-by-side builds); default build/.
const outArg = process.argv.indexOf('--out-dir');
const buildDir = outArg >= 0 && process.argv[outArg + 1] ? path.resolve(process.argv[outArg + 1]) : path.join(pkgDir, 'build');
const addonPath = path.join(buildDir, 'c10d.node');
const statusPath = path.join(buildDir, 'c10d-status.json');
const source = path.join(pkgDir, 'native', 'c10d', 'c10d.cc');

/** The folder holding napi.h of node-addon-api, or null. */
function findAddonApi(env = process.env) {
  if (env.NODE_ADDON_API_INCLUDE) return fs.existsSync(path.join(env.NODE_ADDON_API_INCLUDE, 'napi.h')) ? env.NODE_ADDON_API_INCLUDE : null;
  try {
    return path.dirname(require.resolve('node-addon-api/napi.h', { paths: [pkgDir] }));
  } catch {
    return null;
  }
}

/** The folder holding gloo/algorithm.h, or null. */
function findGloo(lt, env = process.env) {
  const candidates = [env.GLOO_INCLUDE, ...lt.includes, '/usr/include', '/usr/local/include'].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'gloo', 'algorithm.h'))) || null;
}

/**
 * Include folders for an NCCL build against a CUDA libtorch (nccl.h first, then CUDA runtime
 * headers: pip wheels keep both under site-packages/nvidia/<lib>/include beside torch/), or null.
 */
function findNccl(lt, env = process.env) {
  if (!lt.cuda) return null;
  if (!fs.existsSync(path.join(lt.includes[0], 'torch', 'csrc', 'distributed', 'c10d', 'ProcessGroupNCCL.hpp'))) return null;
  const nvidia = path.join(lt.root, '..', 'nvidia');
  const wheels = fs.existsSync(nvidia) ? fs.readdirSync(nvidia).map((d) => path.join(nvidia, d, 'include')).filter((d) => fs.existsSync(d)) : [];
  const candidates = [env.NCCL_INCLUDE, lt.includes[0], ...wheels, '/usr/include', '/usr/local/cuda/include'].filter(Boolean);
  const nccl = candidates.find((d) => fs.existsSync(path.join(d, 'nccl.h')));
  if (!nccl) return null;
  const cuda = [...wheels, '/usr/local/cuda/include'].filter((d) => fs.existsSync(path.join(d, 'cuda_runtime_api.h')));
  return [nccl, ...cuda];
}

/** g++ arguments for the c10d addon. */
function c10dArgs(lt, nodeInc, napiInc, glooInc, ncclInc, out) {
  const cuda = ncclInc !== null;
  const includes = [...new Set([...lt.includes, glooInc, nodeInc, napiInc, ...(cuda ? ncclInc : [])])];
  return [
    ...CXX_FLAGS, '-DUSE_C10D_GLOO', '-DNAPI_CPP_EXCEPTIONS', '-DNODE_GYP_MODULE_NAME=c10d',
    ...(cuda ? ['-DUSE_C10D_NCCL', '-DNZ_C10D_NCCL', '-DUSE_CUDA'] : []),
    ...includes.map((d) => `-I${d}`),
    source, '-o', out,
    ...linkArgs(lt, cuda),
  ];
}

function writeStatus(status) {
  writeStatusFile(statusPath, status);
}

function skip(reason) {
  writeStatus({ ok: false, reason });
  console.warn(`[@neuralzoo/backend-torch] c10d addon not built: ${reason}.`);
  console.warn("  parallel.dataParallel({ transport: 'c10d' }) stays unavailable ('threads' works without it). To enable it:");
  console.warn('  apt-get install libtorch-dev libgloo-dev (or set LIBTORCH=<libtorch or python torch dir>), then');
  console.warn('  pnpm --filter @neuralzoo/backend-torch build:c10d');
  return 0;
}

function upToDate() {
  return isUpToDate(addonPath, [source, __filename]);
}

function compile(cxx, args) {
  const r = spawnSync(cxx, args, { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.error) return { error: `compiler ${cxx} could not run (${r.error.message})` };
  if (r.status !== 0) return { error: `exit ${r.status}`, stderr: r.stderr };
  return {};
}

function main() {
  if (process.env.NEURALZOO_TORCH_SKIP_BUILD === '1') return skip('NEURALZOO_TORCH_SKIP_BUILD=1');
  const lt = findLibtorch();
  if (lt.reason) return skip(lt.reason);
  if (!fs.existsSync(path.join(lt.includes[0], 'torch', 'csrc', 'distributed', 'c10d', 'ProcessGroupGloo.hpp')))
    return skip(`libtorch (${lt.source}) has no c10d headers (torch/csrc/distributed/c10d/ProcessGroupGloo.hpp)`);
  const glooInc = findGloo(lt);
  if (!glooInc) return skip("Gloo's headers (gloo/algorithm.h) not found: apt-get install libgloo-dev (or set GLOO_INCLUDE)");
  const nodeInc = findNodeInclude();
  if (!nodeInc) return skip('Node-API headers (node_api.h) not found; set NODE_INCLUDE or install the nodejs headers (Debian libnode-dev)');
  const napiInc = findAddonApi();
  if (!napiInc) return skip('node-addon-api headers (napi.h) not found; run pnpm install or set NODE_ADDON_API_INCLUDE');
  if (process.env.NEURALZOO_TORCH_FORCE !== '1' && upToDate()) return 0;
  const cxx = process.env.CXX || 'g++';
  const tmp = addonPath + '.tmp';
  const started = Date.now();
  fs.mkdirSync(buildDir, { recursive: true });
  let ncclInc = findNccl(lt);
  console.warn(`[@neuralzoo/backend-torch] building the c10d addon against ${lt.source} (Gloo${ncclInc ? ' + NCCL' : ''}; ${cxx}, ~30 s)`);
  let r = compile(cxx, c10dArgs(lt, nodeInc, napiInc, glooInc, ncclInc, tmp));
  if (r.error && ncclInc) {
    console.warn('[@neuralzoo/backend-torch] the NCCL build failed; building with Gloo only');
    process.stderr.write((r.stderr || '').split('\n').slice(0, 20).join('\n') + '\n');
    ncclInc = null;
    r = compile(cxx, c10dArgs(lt, nodeInc, napiInc, glooInc, null, tmp));
  }
  if (r.error) {
    if (r.stderr) process.stderr.write(r.stderr.split('\n').slice(0, 40).join('\n') + '\n');
    return skip(`compiling native/c10d/c10d.cc against ${lt.source} failed (${r.error}; see the errors above)`);
  }
  fs.renameSync(tmp, addonPath);
  const seconds = (Date.now() - started) / 1000;
  writeStatus({ ok: true, libtorch: lt.source, nccl: ncclInc !== null, seconds });
  console.warn(`[@neuralzoo/backend-torch] built ${path.relative(pkgDir, addonPath)} in ${seconds.toFixed(0)} s`);
  return 0;
}

module.exports = { findAddonApi, findGloo, findNccl, c10dArgs };
if (require.main === module) process.exitCode = main();
