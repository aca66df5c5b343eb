module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'platform-e2e',
  rootDir: __dirname,
  // A backstop, not a bound: each test bounds its own waits (eventually, finalOrder: up to 120 s
  // across a restart) and fails with what it waited for. Generous, for a busy machine.
  testTimeout: 300_000,
  // The fault suite has its own config and target (jest.faults.config.cjs, npm run test:faults).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/faults/'],
};
