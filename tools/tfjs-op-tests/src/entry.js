// Runs TF.js's own op test suite in one backend, chosen by argv[2] ('cpu' | 'wasm' | 'torch'), and writes
// a JSON report { backend, passed, failed, pending, failures: {spec: message}, seconds } to the
// file named by argv[3] (stdout when absent). Bundled by ../bundle.js; never imported directly.
const fs = require('fs');

const backend = process.argv[2];
const reportFile = process.argv[3];
const filter = process.env.OP_TESTS_FILTER || '';
if (backend !== 'cpu' && backend !== 'wasm' && backend !== 'torch') {
  process.stderr.write(`usage: node op-tests.js cpu|wasm|torch [report.json]\n`);
  process.exit(2);
}

// Jasmine's globals must exist before the test modules run their top-level describe() calls.
const jasmineRequire = require('jasmine-core/lib/jasmine-core/jasmine.js');
const jasmineCore = jasmineRequire.core(jasmineRequire);
const jenv = jasmineCore.getEnv();
Object.assign(globalThis, jasmineRequire.interface(jasmineCore, jenv));
jasmineCore.DEFAULT_TIMEOUT_INTERVAL = 60000;

const jasmineUtil = require('@tensorflow/tfjs-core/dist/jasmine_util');
jasmineUtil.setTestEnvs([{ name: backend, backendName: backend, isDataSync: true }]);

// The backend exactly as neuralzoo core configures it (kernels registered by init).
const { init } = require('../../../packages/core/src/backend/init');
if (backend === 'torch') {
  // @neuralzoo/backend-torch from its sources, with its native addon from its build folder.
  const torch = require('../../../packages/backend-torch/src/index');
  torch.setBuildDir(require('path').join(__dirname, '../../../packages/backend-torch/build'));
}

require('@tensorflow/tfjs-core/dist/tests');

const started = Date.now();
let info = null; // backendInfo() right after init: the suite resets the engine when it ends
const failures = {};
let passed = 0;
let failed = 0;
let pending = 0;
jenv.addReporter({
  specDone(r) {
    if (r.status === 'passed') passed++;
    else if (r.status === 'failed') {
      failed++;
      const msg = (r.failedExpectations[0] && r.failedExpectations[0].message) || 'failed';
      failures[r.fullName] = msg.split('\n')[0].slice(0, 300);
    } else pending++;
  },
  jasmineDone(result) {
    const report = {
      backend,
      info,
      passed,
      failed,
      pending,
      overall: result.overallStatus,
      suiteErrors: (result.failedExpectations || []).map((e) => e.message.split('\n')[0]),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      failures,
    };
    const text = JSON.stringify(report, null, 1);
    if (reportFile) fs.writeFileSync(reportFile, text);
    else process.stdout.write(text + '\n');
    process.stderr.write(`${backend}: ${passed} passed, ${failed} failed, ${pending} skipped in ${report.seconds}s\n`);
  },
});

jenv.configure({
  random: false,
  specFilter: filter ? (spec) => spec.getFullName().includes(filter) : () => true,
});

init({ backend }).then(
  (i) => {
    info = i;
    return jenv.execute();
  },
  (e) => {
    process.stderr.write(`init failed: ${e && e.message}\n`);
    process.exit(1);
  },
);
