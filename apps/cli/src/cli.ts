import { describeFlags, FlagSpec, parseFlags } from './args';
import { datasetsCommand } from './commands/datasets';
import { doctorCommand } from './commands/doctor';
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
  datasets [--domain D]     every data source: available here?, size on disk, install command
  doctor [--backend B]      active backend, why faster ones were skipped, what to install
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
    default:
      throw new Error(`neuralzoo: unknown command '${command}' (commands: list, train, datasets, doctor, help)`);
  }
}
