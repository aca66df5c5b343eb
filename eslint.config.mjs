import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Who may import whom. Two tag axes: `scope:<service>|shared` and `type:*`.
 * The lint test in tools/lint-rules proves these constraints reject a forbidden import.
 */
const drivers = ['kafkajs', 'mongodb', 'cassandra-driver', 'ioredis', 'undici', 'redis'];
const frameworks = ['@nestjs/*', 'express', '@opentelemetry/*', 'pino', 'nestjs-pino', 'prom-client'];

const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util', 'type:testing'] },
  // The embedded runner is the one place that composes whole apps into one process.
  { sourceTag: 'type:runner', onlyDependOnLibsWithTags: ['type:app', 'type:util'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'] },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:util'],
    bannedExternalImports: [...drivers, ...frameworks],
  },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:testing', 'type:util'] },
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:gateway', 'scope:shared'] },
];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '.infra/**', 'tmp/**', 'coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // App entry points the embedded runner may import; tags still forbid app -> app.
          allow: ['@platform/gateway'],
          depConstraints,
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Domain folders inside apps are pure: no framework, no driver (hexagonal in the small).
    files: ['apps/*/src/domain/**/*.ts', 'libs/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: [...drivers, ...frameworks], message: 'Domain code imports no framework or driver: put it in an adapter.' }] },
      ],
    },
  },
  prettier,
];
