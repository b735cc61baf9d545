/**
 * `pnpm demo [name] [--epochs N] [--backend B]` at the repository root runs one demo (default
 * `mnist-lenet`); `pnpm demo --list` lists them.
 */
import type { BackendName } from '@neuralzoo/core';
import { mnistLenet } from './mnist-lenet';
import { sentiment } from './sentiment';
import { translateDemo } from './translate';
import { gptDemo } from './gpt';
import { detectDemo } from './detect';
import { fashionResnet } from './fashion-resnet';
import { fillMaskDemo } from './fill-mask';

interface Demo {
  description: string;
  /** Whether the demo takes free-text arguments after its name (e.g. a sentence to classify). */
  takesText?: boolean;
  run(opts: { epochs?: number; backend?: BackendName; texts?: string[] }): Promise<unknown>;
}

export const DEMOS: Record<string, Demo> = {
  'mnist-lenet': { description: 'LeNet-5 on real MNIST digits, wasm backend, >= 98.5% test accuracy', run: (o) => mnistLenet(o) },
  sentiment: {
    description: 'Text CNN on the UCI sentiment sentences; classifies a sentence given as argument or typed in',
    takesText: true,
    run: (o) => sentiment(o),
  },
  translate: {
    description: 'English -> Spanish with a small attention GRU trained on Bible verses (committed checkpoint); argument or typed',
    takesText: true,
    run: (o) => translateDemo(o),
  },
  gpt: {
    description: 'small GPT trained on the English Bible continues a prompt (greedy and seeded top-k sampling)',
    takesText: true,
    run: (o) => gptDemo(o),
  },
  'fill-mask': {
    description: 'small BERT pretrained (MLM + NSP) on the English Bible fills the [MASK] of a sentence (top-5 word pieces); argument or default',
    takesText: true,
    run: (o) => fillMaskDemo(o),
  },
  bert: {
    description: "alias of 'fill-mask'",
    takesText: true,
    run: (o) => fillMaskDemo(o),
  },
  detect: {
    description: 'YOLO v1 (committed weights) finds digits in scenes built from real MNIST test digits; prints detections, saves detect-demo.png',
    run: (o) => detectDemo({ backend: o.backend }),
  },
  'fashion-resnet': {
    description: 'small ResNet classifies the 10,000 Fashion-MNIST test images (trained weights when committed, else a brief training here)',
    run: (o) => fashionResnet({ backend: o.backend, epochs: o.epochs }),
  },
};
export const DEFAULT_DEMO = 'mnist-lenet';

const USAGE = `usage: pnpm demo [name] [text…] [--epochs N] [--backend wasm|cpu|tensorflow|torch|auto] | --list`;

/** Parses argv (without node and the script); throws on anything unknown. */
export function parseArgs(argv: string[]): { name: string; epochs?: number; backend?: BackendName; list: boolean; texts?: string[] } {
  const out: { name: string; epochs?: number; backend?: BackendName; list: boolean; texts?: string[] } = { name: DEFAULT_DEMO, list: false };
  let named = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    if (arg === '--list') out.list = true;
    else if (arg === '--epochs' || arg === '--backend') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      if (arg === '--epochs') {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--epochs must be a positive integer, got '${value}'`);
        out.epochs = n;
      } else out.backend = value as BackendName;
    } else if (arg.startsWith('-')) throw new Error(`unknown option '${arg}'\n${USAGE}`);
    else if (named && DEMOS[out.name].takesText) (out.texts ??= []).push(arg);
    else if (named) throw new Error(`one demo at a time, got '${out.name}' and '${arg}'\n${USAGE}`);
    else {
      if (!(arg in DEMOS)) throw new Error(`unknown demo '${arg}'; demos: ${Object.keys(DEMOS).join(', ')}`);
      out.name = arg;
      named = true;
    }
  }
  return out;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.list) {
    for (const [name, d] of Object.entries(DEMOS)) process.stdout.write(`${name.padEnd(14)} ${d.description}\n`);
    return;
  }
  process.stdout.write(`demo ${args.name}: ${DEMOS[args.name].description}\n`);
  await DEMOS[args.name].run({ epochs: args.epochs, backend: args.backend, texts: args.texts });
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
