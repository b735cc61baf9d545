// Bundles TF.js 4.22's compiled op test suite (@tensorflow/tfjs-core/dist/tests.js and its
// *_test.js files) with ONE tfjs-core instance, plus neuralzoo core's backend init, into
// dist/op-tests.js. The dist files are ESM with extensionless imports and tfjs-core is marked
// side-effect free, hence esbuild with --ignore-annotations and the `module` main field first.
const path = require('path');
const fs = require('fs');
const esbuild = require('esbuild');

const here = __dirname;
const outDir = path.join(here, 'dist');
const outFile = path.join(outDir, 'op-tests.js');

const inputsFile = path.join(outDir, 'inputs.json');

/** Fresh when no source file esbuild read for the last build (listed in its metafile) is newer. */
function isFresh() {
  if (!fs.existsSync(outFile) || !fs.existsSync(inputsFile)) return false;
  const built = fs.statSync(outFile).mtimeMs;
  const inputs = [...JSON.parse(fs.readFileSync(inputsFile, 'utf8')), __filename];
  return inputs.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs <= built);
}

let pending = null; // one build per process, however many suites start at once

function bundle({ force = false } = {}) {
  if (!pending || force) pending = build(force).finally(() => (pending = null));
  return pending;
}

async function build(force) {
  if (!force && isFresh()) return outFile;
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(here, 'src/entry.js')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // ESM builds of every @tensorflow package, so tests and backends share one tfjs-core.
    mainFields: ['module', 'main'],
    ignoreAnnotations: true,
    // Resolved at run time from this package: tfjs-core's jasmine_util requires it, but
    // tfjs-core does not depend on it.
    external: ['jasmine-core'],
    // One @neuralzoo/core (its sources, like the init above) for backend-torch's provider.
    alias: { '@neuralzoo/core': path.join(here, '../../packages/core/src') },
    logLevel: 'warning',
    logOverride: { 'direct-eval': 'silent', 'commonjs-variable-in-esm': 'silent' },
    sourcemap: false,
    metafile: true,
  });
  const cwd = process.cwd();
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(cwd, f));
  fs.writeFileSync(inputsFile, JSON.stringify(inputs));
  // The emscripten loader looks for its .wasm binaries beside the running script.
  const wasmDist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  for (const f of fs.readdirSync(path.join(wasmDist, 'dist')).filter((n) => n.endsWith('.wasm')))
    fs.copyFileSync(path.join(wasmDist, 'dist', f), path.join(outDir, f));
  return outFile;
}

module.exports = { bundle, outFile };

if (require.main === module) {
  bundle({ force: process.argv.includes('--force') }).catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  });
}
