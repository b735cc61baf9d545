// Bundles tools/gpu-check/bench.ts (core, vision, backend-torch sources and TF.js) into
// payload/bench.js with esbuild, so the GPU machine needs no node_modules. `@neuralzoo/<pkg>[/<sub>]`
// resolves to packages/<pkg>/src/…/index.ts, as in the tests. Run by prepare.sh.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '../..');
const pnpm = path.join(root, 'node_modules', '.pnpm');
const dir = fs.readdirSync(pnpm).find((d) => /^esbuild@/.test(d));
if (!dir) throw new Error('esbuild not found under node_modules/.pnpm (run pnpm install)');
const esbuild = require(path.join(pnpm, dir, 'node_modules', 'esbuild'));

const workspace = {
  name: 'neuralzoo-workspace',
  setup(build) {
    build.onResolve({ filter: /^@neuralzoo\/[a-z-]+(\/[a-z-]+)?$/ }, (args) => {
      const [, pkg, sub] = /^@neuralzoo\/([a-z-]+)(?:\/([a-z-]+))?$/.exec(args.path);
      return { path: path.join(root, 'packages', pkg, 'src', sub || '', 'index.ts') };
    });
  },
};

esbuild
  .build({
    entryPoints: [path.join(__dirname, 'bench.ts')],
    outfile: path.join(__dirname, 'payload', 'bench.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    mainFields: ['main', 'module'],
    // Native or optional modules the four cases never load.
    external: ['sharp', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    plugins: [workspace],
    logLevel: 'warning',
    nodePaths: [path.join(root, 'packages', 'core', 'node_modules'), path.join(root, 'packages', 'vision', 'node_modules'), path.join(root, 'tools', 'bench', 'node_modules')],
  })
  .then(() => process.stderr.write(`bundled ${path.relative(root, path.join(__dirname, 'payload', 'bench.js'))}\n`))
  .catch(() => process.exit(1));
