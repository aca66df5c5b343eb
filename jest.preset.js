// Shared jest settings: swc transpiles TypeScript with decorator metadata (Nest needs it), and the
// `@platform/*` aliases of tsconfig.base.json resolve to the libraries' sources.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const swcOptions = JSON.parse(readFileSync(join(__dirname, '.swcrc'), 'utf8'));
const tsconfig = JSON.parse(readFileSync(join(__dirname, 'tsconfig.base.json'), 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    join(__dirname, target),
  ]),
);

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcOptions, swcrc: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  clearMocks: true,
};
