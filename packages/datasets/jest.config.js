const { project } = require('../../jest.preset.js');
// The loaders are plain typed-array code, so one backend suffices (toDataset makes cpu tensors).
const unit = ['<rootDir>/src/**/*.test.ts'];
module.exports = {
  projects: [project('datasets:cpu', 'cpu', { rootDir: __dirname, testMatch: unit })],
};
