// The fault suite (`npm run test:faults`): the scenarios of faults/, one platform per file, run in
// band; reports/resilience.md is written from their figures at the end.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'faults',
  rootDir: __dirname,
  testMatch: ['<rootDir>/faults/**/*.faults.spec.ts'],
  testTimeout: 600_000,
  globalSetup: '<rootDir>/faults/resilience-report.ts',
  globalTeardown: '<rootDir>/faults/resilience-report-write.ts',
};
