/**
 * `pnpm bench`: trains the benchmark cases on every available TF.js backend and on the PyTorch
 * reference (tools/bench/reference.py) in one run, prints steps/s and PyTorch ÷ ours, writes the
 * raw results to bench-results/ and the table to tools/bench/README.md.
 *
 * Each backend runs in its own Node process (`--worker <backend>`), PyTorch in a python3 process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as core from '@neuralzoo/core';
import { loadMnist } from '@neuralzoo/datasets';
import { CASE_ORDER, table, profiles, replaceSection, updateReadme } from './report';
import type { BackendResult, BenchRun } from './types';
import { runWorker, WorkerOptions } from './worker';
import { matmulTable } from './matmul';
import { SCALING_MARK, runScaling, scalingChild, scalingTable, withScaling } from './scaling';

const ROOT = path.resolve(__dirname, '../../..');
const REFERENCE = path.resolve(__dirname, '../reference.py');
const README = path.resolve(__dirname, '../README.md');
const BACKENDS: core.BackendName[] = ['torch', 'tensorflow', 'wasm', 'cpu'];
const MARK = '@@bench ';
const DEFAULT_PYTHON = '/usr/bin/python3';

interface Options {
  backends: core.BackendName[];
  cases: string[];
  seconds: number;
  epochLimit: number;
  threads: number | null;
  torchThreads: number;
  python: string;
  profile: boolean;
  stockMatMul: boolean;
  matmul: boolean;
  write: boolean;
  worker: core.BackendName | null;
  /** Time data-parallel training with 1 and 2 worker threads (in its own process). */
  scaling: boolean;
  scalingWorker: boolean;
}

const USAGE = `usage: node tools/bench/dist/main.js [options]
  --backends a,b     TF.js backends to try (default ${BACKENDS.join(',')}; unavailable ones are reported)
  --cases a,b        cases (default ${CASE_ORDER.join(',')})
  --seconds N        timed seconds per case after warm-up (default 3)
  --epoch-limit N    cap of the MNIST epoch in seconds; slower backends are extrapolated (default 30)
  --threads N        threads for backends that take a count (wasm); default: init's default
  --torch-threads N  torch.set_num_threads for the reference (default 2)
  --python PATH      interpreter with torch (default /usr/bin/python3, else python3 on PATH)
  --profile          also profile one step per case (largest kernels)
  --stock-matmul     add a wasm-tfjs-matmul column: wasm with TF.js's own BatchMatMul kernel
  --matmul           only the wasm matmul table: the cases' matmul shapes, core's kernel vs TF.js's (CPU time)
  --no-scaling       skip the data-parallel scaling row (LeNet-5/MNIST, 1 and 2 worker threads)
  --no-write         print only; write nothing to bench-results/ or the README`;

function parse(argv: string[]): Options {
  const o: Options = {
    backends: BACKENDS,
    cases: CASE_ORDER,
    seconds: 3,
    epochLimit: 30,
    threads: null,
    torchThreads: 2,
    python: DEFAULT_PYTHON,
    profile: false,
    stockMatMul: false,
    matmul: false,
    write: true,
    worker: null,
    scaling: true,
    scalingWorker: false,
  };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!(n > 0)) throw new Error(`${flag} needs a positive number, got ${v}\n${USAGE}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => argv[++i];
    if (a === '--backends') o.backends = next().split(',') as core.BackendName[];
    else if (a === '--cases') o.cases = next().split(',');
    else if (a === '--seconds') o.seconds = num(a, next());
    else if (a === '--epoch-limit') o.epochLimit = num(a, next());
    else if (a === '--threads') o.threads = num(a, next());
    else if (a === '--torch-threads') o.torchThreads = num(a, next());
    else if (a === '--python') o.python = next();
    else if (a === '--profile') o.profile = true;
    else if (a === '--stock-matmul') o.stockMatMul = true;
    else if (a === '--matmul') o.matmul = true;
    else if (a === '--no-write') o.write = false;
    else if (a === '--no-scaling') o.scaling = false;
    else if (a === '--scaling-worker') o.scalingWorker = true;
    else if (a === '--worker') o.worker = next() as core.BackendName;
    else if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  for (const c of o.cases) if (!CASE_ORDER.includes(c)) throw new Error(`unknown case '${c}'; cases: ${CASE_ORDER.join(', ')}`);
  for (const b of o.backends) if (!BACKENDS.includes(b)) throw new Error(`unknown backend '${b}'; backends: ${BACKENDS.join(', ')}`);
  return o;
}

function passOn(o: Options): string[] {
  return [
    '--cases', o.cases.join(','),
    '--seconds', String(o.seconds),
    '--epoch-limit', String(o.epochLimit),
    ...(o.threads ? ['--threads', String(o.threads)] : []),
    ...(o.profile ? ['--profile'] : []),
  ];
}

function mnistTrain(): WorkerOptions['mnist'] {
  try {
    const set = loadMnist({ split: 'train' });
    return { images: set.images, labels: set.labels };
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0];
  }
}

/** Runs a child process and parses the JSON line it prints after MARK. */
function child(cmd: string, args: string[], what: string, env: NodeJS.ProcessEnv = process.env): BackendResult | string {
  const r = spawnSync(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) return `${what} could not start: ${r.error.message}`;
  const line = r.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line) return `${what} exited with ${r.status ?? r.signal} and no result`;
  return JSON.parse(line.slice(MARK.length)) as BackendResult;
}

function pytorch(o: Options, mnistFile: string | null, mnistNote: string | null): BackendResult {
  process.stderr.write(`pytorch reference (${o.python} ${path.relative(ROOT, REFERENCE)})\n`);
  const args = [REFERENCE, ...passOn(o), '--threads', String(o.torchThreads), ...(mnistFile ? ['--mnist', mnistFile] : ['--mnist-missing', mnistNote ?? 'no data'])];
  // libgomp's default busy-waiting collapses PyTorch's 2-thread speed 40× when the cores are
  // shared (measured here); passive waiting costs little on an idle machine. OMP_WAIT_POLICY
  // set by the caller wins.
  const env = { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' };
  let r = child(o.python, args, 'the PyTorch reference', env);
  // No Debian python at the default path: try the one on PATH.
  if (typeof r === 'string' && r.includes('ENOENT') && o.python === DEFAULT_PYTHON) r = child('python3', args, 'the PyTorch reference', env);
  if (typeof r === 'string') {
    process.stderr.write(`  pytorch: not available (${r})\n`);
    return { backend: 'pytorch', available: false, note: r, cases: [] };
  }
  return r;
}

function machine(): BenchRun['machine'] {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.versions.node,
    tfjs: core.tf.version_core,
  };
}

async function orchestrate(o: Options): Promise<void> {
  const before = os.loadavg().map((l) => +l.toFixed(2));
  const mnist = o.cases.includes('lenet_epoch') ? mnistTrain() : 'not requested';
  const outDir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(outDir, { recursive: true });
  let mnistFile: string | null = null;
  if (typeof mnist !== 'string') {
    // float32 images then int32 labels, little-endian (the machine's order), for reference.py.
    mnistFile = path.join(outDir, `mnist-train-${process.pid}.tmp`);
    fs.writeFileSync(mnistFile, Buffer.concat([Buffer.from(mnist.images.buffer, mnist.images.byteOffset, mnist.images.byteLength), Buffer.from(mnist.labels.buffer, mnist.labels.byteOffset, mnist.labels.byteLength)]));
  }
  const results: BackendResult[] = [];
  try {
    results.push(pytorch(o, mnistFile, typeof mnist === 'string' ? mnist : null));
  } finally {
    if (mnistFile) fs.rmSync(mnistFile, { force: true });
  }
  const runs: Array<[core.BackendName, string[]]> = o.backends.map((b) => [b, []]);
  if (o.stockMatMul) runs.splice(runs.findIndex(([b]) => b === 'wasm') + 1, 0, ['wasm', ['--stock-matmul']]);
  for (const [b, extra] of runs) {
    process.stderr.write(`tfjs backend ${b} ${extra.join(' ')}\n`);
    const r = child(process.execPath, [__filename, '--worker', b, ...extra, ...passOn(o)], `the ${b} worker`);
    results.push(typeof r === 'string' ? { backend: b, available: false, note: r, cases: [] } : r);
  }
  if (o.scaling) process.stderr.write('data-parallel scaling (threads transport, wasm)\n');
  const scaling = o.scaling ? scalingChild(__filename, Math.max(o.seconds, 5), ROOT) : undefined;
  const run: BenchRun = {
    date: new Date().toISOString(),
    machine: machine(),
    options: { seconds: o.seconds, epochLimit: o.epochLimit, threads: o.threads, torchThreads: o.torchThreads },
    loadavg: { before, after: os.loadavg().map((l) => +l.toFixed(2)) },
    results,
    scaling,
  };
  process.stdout.write(`\n${table(run)}\n`);
  if (scaling) process.stdout.write(`\n${scalingTable(scaling)}\n`);
  if (o.profile) process.stdout.write(`\n${profiles(run)}\n`);
  if (!o.write) return;
  const name = `bench-${run.date.slice(0, 19).replace(/[:T]/g, '-')}.json`;
  const json = `${JSON.stringify(run, null, 2)}\n`;
  fs.writeFileSync(path.join(outDir, name), json);
  fs.writeFileSync(path.join(outDir, 'latest.json'), json);
  fs.writeFileSync(README, withScaling(updateReadme(fs.readFileSync(README, 'utf8'), run, `bench-results/${name}`), scaling));
  process.stdout.write(`\nwrote bench-results/${name}, bench-results/latest.json and tools/bench/README.md\n`);
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  if (o.scalingWorker) {
    process.stdout.write(`${SCALING_MARK}${JSON.stringify(await runScaling(o.seconds))}\n`);
    return;
  }
  if (o.matmul) {
    const before = os.loadavg().map((l) => l.toFixed(2)).join(' ');
    const t = await matmulTable(o.seconds);
    process.stdout.write(`${t}\n`);
    if (o.write) {
      const m = machine();
      const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
      const text = `Measured ${when} UTC on ${m.cpu}, ${m.cores} cores (load average ${before}), Node ${m.node}, TF.js ${m.tfjs}; \`node tools/bench/dist/main.js --matmul\`.\n\n${t}`;
      fs.writeFileSync(README, replaceSection(fs.readFileSync(README, 'utf8'), 'matmul', text));
      process.stdout.write('\nwrote the matmul table to tools/bench/README.md\n');
    }
    return;
  }
  if (!o.worker) return orchestrate(o);
  const result = await runWorker({
    backend: o.worker,
    cases: o.cases,
    seconds: o.seconds,
    epochLimit: o.epochLimit,
    threads: o.threads ?? undefined,
    profile: o.profile,
    stockMatMul: o.stockMatMul,
    mnist: o.cases.includes('lenet_epoch') ? mnistTrain() : 'not requested',
  });
  process.stdout.write(`${MARK}${JSON.stringify(result)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
