/**
 * The bench's four reference cases (tools/bench/src/cases.ts: MLP, LeNet-5, LSTM, Transformer;
 * forward, cross-entropy, backward, Adam) on the `torch` backend on one device, timed as the bench
 * times them: 2 warm-up steps, then steps until --seconds have passed (at least 3); every step
 * reads its loss back (a device sync, as PyTorch's loss.item()). Bundled by prepare.sh into
 * payload/bench.js, run by gpu-check.sh beside reference_cuda.py. Prints one line `@@gpu {json}`.
 *
 * Usage: node payload/bench.js --build-dir packages/backend-torch/build [--device cuda:0] [--seconds 3] [--cases mlp,lenet5]
 */
import { backendInfo, init } from '@neuralzoo/core';
import { setBuildDir } from '@neuralzoo/backend-torch';
import { TRAIN_CASES } from '../bench/src/cases';

const CASES = ['mlp', 'lenet5', 'lstm', 'transformer'];

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const device = arg('device', 'cuda:0');
  const seconds = Number(arg('seconds', '3'));
  const cases = arg('cases', CASES.join(',')).split(',');
  setBuildDir(arg('build-dir', 'packages/backend-torch/build'));
  await init({ backend: 'torch', device });
  const info = backendInfo();
  const results: Array<Record<string, unknown>> = [];
  for (const id of cases) {
    const c = TRAIN_CASES.find((t) => t.id === id);
    if (!c) throw new Error(`unknown case '${id}' (cases: ${CASES.join(', ')})`);
    const { trainer, x, y } = c.build();
    try {
      trainer.step(x, y);
      trainer.step(x, y);
      let steps = 0;
      let loss = NaN;
      const t0 = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < seconds || steps < 3) {
        loss = trainer.step(x, y);
        steps++;
        elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      }
      results.push({ id, title: c.title, steps, seconds: elapsed, stepsPerSecond: steps / elapsed, loss });
      process.stderr.write(`  torch ${device} ${id}: ${(steps / elapsed).toFixed(1)} steps/s (loss ${loss.toFixed(4)})\n`);
    } finally {
      trainer.dispose();
      x.dispose();
      y.dispose();
    }
  }
  process.stdout.write(`@@gpu ${JSON.stringify({ backend: 'torch', device, info, node: process.version, cases: results })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
