/** Programmatic access to the `neuralzoo` commands (the executable is dist/main.js). */
export { run, USAGE } from './cli';
export { parseFlags, describeFlags } from './args';
export type { FlagSpec, Parsed } from './args';
export { listCommand } from './commands/list';
export { trainCommand, TRAIN_FLAGS, IMAGE_SETS } from './commands/train';
export type { TrainCommandOptions, TrainCommandResult } from './commands/train';
export { doctorCommand, BACKEND_HINTS } from './commands/doctor';
export { formatTable } from './table';
export { loadRegistry } from './models';
