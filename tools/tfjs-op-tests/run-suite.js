// Runs TF.js's op test suite for a backend in a child process and resolves to its report:
// { backend, info, passed, failed, pending, seconds, failures: { specName: message } }.
// CLI: node run-suite.js [cpu] [wasm] [torch]  (prints the counts; OP_TESTS_FILTER=<substring> narrows).
const path = require('path');
const fs = require('fs');
const os = require('os');
const { spawn } = require('child_process');
const { bundle } = require('./bundle');

/** Whether @neuralzoo/backend-torch's native addon is built (the torch suite needs it). */
function torchBuilt() {
  return fs.existsSync(path.join(__dirname, '../../packages/backend-torch/build/neuralzoo_torch.node'));
}

/** @param {'cpu'|'wasm'|'torch'} backend @returns {Promise<object>} */
async function runSuite(backend) {
  const script = await bundle();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-op-tests-'));
  const reportFile = path.join(dir, `${backend}.json`);
  let stderr = '';
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, backend, reportFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (!fs.existsSync(reportFile))
    throw new Error(`op test suite on ${backend} exited with ${code} and wrote no report:\n${stderr.slice(-4000)}`);
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  return report;
}

module.exports = { runSuite, torchBuilt };

if (require.main === module) {
  const backends = process.argv.slice(2).length ? process.argv.slice(2) : ['cpu', 'wasm'];
  (async () => {
    for (const b of backends) {
      const r = await runSuite(b);
      process.stdout.write(`${b}: ${r.passed} passed, ${r.failed} failed, ${r.pending} skipped in ${r.seconds}s (threads ${r.info.threads})\n`);
    }
  })().catch((e) => {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n');
    process.exit(1);
  });
}
