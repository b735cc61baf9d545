// Runs before each test file: initialise the backend this Jest project is for.
const { init } = require('@neuralzoo/core');
const backend = globalThis.NEURALZOO_TEST_BACKEND || process.env.NEURALZOO_BACKEND || 'cpu';
jest.setTimeout(120_000);
beforeAll(async () => {
  await init({ backend });
});
