import { describeFlags, FlagSpec, parseFlags } from './args';
import { datasetsCommand } from './commands/datasets';
import { DETECT_FLAGS, detectCommand } from './commands/detect';
import { doctorCommand } from './commands/doctor';
import { launch, LAUNCH_FLAGS } from './commands/launch';
import { listCommand } from './commands/list';
import { TRAIN_FLAGS, trainCommand } from './commands/train';

const DATASETS_FLAGS: Record<string, FlagSpec> = {
  domain: { type: 'string', description: 'only sources of this domain (vision, nlp, audio, …)' },
};

const DOCTOR_FLAGS: Record<string, FlagSpec> = {
  backend: { type: 'string', description: 'check this backend instead of auto' },
};

export const USAGE = `usage: neuralzoo <command>

commands:
  list                      models in the registry, with their recipe's data set and target
  train <model> [options]   train a model's recipe on its real data set and print the metric
${describeFlags(TRAIN_FLAGS)}
  detect <model> <image> [options]
                            run a detector (default weights: the committed yolo_v1 digits model) on a
                            JPEG/PNG/WebP image; print class, score, box; write the boxes drawn as PNG
${describeFlags(DETECT_FLAGS)}
  datasets [--domain D]     every data source: available here?, size on disk, install command
  doctor [--backend B]      active backend, why faster ones were skipped, what to install
  launch --nproc N [options] -- <command>
                            start N ranks of a data-parallel run (c10d transport) with torchrun's
                            variables; output prefixed [rank R]; fails naming the rank that failed
${describeFlags(LAUNCH_FLAGS)}
  help                      this text`;

/** Runs one command line (argv without node and the script); resolves to the exit code. */
export async function run(argv: string[], print: (line: string) => void): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      print(USAGE);
      return command === undefined ? 2 : 0;
    case 'list': {
      const { positionals } = parseFlags('list', rest, {});
      if (positionals.length) throw new Error(`neuralzoo list: unexpected argument '${positionals[0]}'`);
      listCommand(print);
      return 0;
    }
    case 'train': {
      const { positionals, flags } = parseFlags('train', rest, TRAIN_FLAGS);
      if (positionals.length !== 1)
        throw new Error(`neuralzoo train: expected one model name, got ${positionals.length ? positionals.map((p) => `'${p}'`).join(', ') : 'none'} (see: neuralzoo list)`);
      await trainCommand(
        positionals[0],
        {
          epochs: flags.epochs as number | undefined,
          backend: flags.backend as string | undefined,
          batchSize: flags['batch-size'] as number | undefined,
          seed: flags.seed as number | undefined,
          limit: flags.limit as number | undefined,
          workers: flags.workers as number | undefined,
        },
        print,
      );
      return 0;
    }
    case 'detect': {
      const { positionals, flags } = parseFlags('detect', rest, DETECT_FLAGS);
      if (positionals.length !== 2)
        throw new Error(`neuralzoo detect: expected <model> <image>, got ${positionals.length ? positionals.map((p) => `'${p}'`).join(', ') : 'nothing'} (e.g. neuralzoo detect yolo_v1 scene.png)`);
      await detectCommand(
        positionals[0],
        positionals[1],
        { weights: flags.weights as string | undefined, out: flags.out as string | undefined, score: flags.score as string | undefined, backend: flags.backend as string | undefined },
        print,
      );
      return 0;
    }
    case 'datasets': {
      const { positionals, flags } = parseFlags('datasets', rest, DATASETS_FLAGS);
      if (positionals.length) throw new Error(`neuralzoo datasets: unexpected argument '${positionals[0]}'`);
      datasetsCommand({ domain: flags.domain as string | undefined }, print);
      return 0;
    }
    case 'doctor': {
      const { positionals, flags } = parseFlags('doctor', rest, DOCTOR_FLAGS);
      if (positionals.length) throw new Error(`neuralzoo doctor: unexpected argument '${positionals[0]}'`);
      await doctorCommand({ backend: flags.backend as string | undefined }, print);
      return 0;
    }
    case 'launch': {
      // Options before `--`, the ranks' command after it.
      const dash = rest.indexOf('--');
      const { positionals, flags } = parseFlags('launch', dash >= 0 ? rest.slice(0, dash) : rest, LAUNCH_FLAGS);
      if (dash >= 0 && positionals.length) throw new Error(`neuralzoo launch: unexpected argument '${positionals[0]}' before --`);
      if (flags.nproc === undefined) throw new Error('neuralzoo launch: --nproc is required (usage: neuralzoo launch --nproc N -- <command> [args])');
      return launch(
        {
          nproc: flags.nproc as number,
          nnodes: flags.nnodes as number | undefined,
          nodeRank: flags['node-rank'] as number | undefined,
          masterAddr: flags['master-addr'] as string | undefined,
          masterPort: flags['master-port'] as number | undefined,
          graceSeconds: flags.grace as number | undefined,
          command: dash >= 0 ? rest.slice(dash + 1) : positionals,
        },
        print,
        (line) => process.stderr.write(`${line}\n`),
      );
    }
    default:
      throw new Error(`neuralzoo: unknown command '${command}' (commands: list, train, detect, datasets, doctor, launch, help)`);
  }
}
