// CI gate: TF.js 4.22's own op test suite must pass entirely on cpu, and on neuralzoo's wasm
// backend fail only specs listed (with a reason) in known-failures.json.
const { runSuite } = require('./run-suite');
const known = require('./known-failures.json');

let cpu;
let wasm;

beforeAll(async () => {
  // Two child processes at once: CI has two cores.
  [cpu, wasm] = await Promise.all([runSuite('cpu'), runSuite('wasm')]);
}, 600_000);

describe('TF.js op test suite', () => {
  it('passes every spec on cpu', () => {
    expect(Object.keys(cpu.failures)).toEqual([]);
    expect(cpu.passed).toBeGreaterThanOrEqual(known.floor.cpu);
  });

  it('fails on wasm only where known-failures.json says why', () => {
    const unexpected = Object.keys(wasm.failures).filter((spec) => !(spec in known.failures));
    expect(unexpected.map((s) => `${s}: ${wasm.failures[s]}`)).toEqual([]);
    expect(wasm.passed).toBeGreaterThanOrEqual(known.floor.wasm);
  });

  it('runs wasm as core configures it, reporting the threads it really uses', () => {
    expect(wasm.info.name).toBe('wasm');
    expect(wasm.info.threads).toBeGreaterThanOrEqual(1);
    // Node has no blob: URL workers, so TF.js loads the single-threaded SIMD binary there.
    expect(wasm.info.threads).toBe(1);
  });
});
