const { project } = require('../../jest.preset.js');
const unit = ['<rootDir>/src/**/*.test.ts'];
module.exports = {
  projects: [project('demos:cpu', 'cpu', { rootDir: __dirname, testMatch: unit })],
};
