export { mnistLenet } from './mnist-lenet';
export type { MnistLenetOptions, MnistLenetResult } from './mnist-lenet';
export { DEMOS, DEFAULT_DEMO, parseArgs } from './main';
