import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

/**
 * Who may import whom. Two tag axes: `scope:<service>|shared` and `type:*`.
 * The lint test in tools/workspace/test/module-boundaries.spec.ts proves these constraints reject a forbidden import.
 */
const drivers = ['kafkajs', 'mongodb', 'cassandra-driver', 'ioredis', 'undici', 'redis'];
const frameworks = ['@nestjs/*', 'express', '@opentelemetry/*', 'pino', 'nestjs-pino', 'prom-client'];

const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:feature',
      'type:data-access',
      'type:domain',
      'type:util',
      'type:testing',
    ],
  },
  // The embedded runner loads the built apps at run time; in code it needs only the util libraries.
  { sourceTag: 'type:runner', onlyDependOnLibsWithTags: ['type:util'] },
  // The storefront runs in the browser as plain ES modules: it imports no library at all.
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:util'] },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:domain', 'type:util'],
  },
  {
    sourceTag: 'type:data-access',
    onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:util'],
  },
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
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared'] },
  { sourceTag: 'scope:order', onlyDependOnLibsWithTags: ['scope:order', 'scope:shared'] },
  { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared'] },
  { sourceTag: 'scope:inventory', onlyDependOnLibsWithTags: ['scope:inventory', 'scope:shared'] },
  { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:notification', 'scope:shared'] },
  {
    sourceTag: 'scope:payment-provider-sim',
    onlyDependOnLibsWithTags: ['scope:payment-provider-sim', 'scope:shared'],
  },
];

export default [
  // __fixtures__ hold deliberately wrong imports; tools/workspace's lint test lints them on purpose.
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/.nx',
      '.infra/**',
      'tmp/**',
      'coverage/**',
      '**/__fixtures__/**',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints,
        },
      ],
    },
  },
  {
    // Tests of any project may use the shared testing helpers; production code may not.
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          depConstraints: depConstraints.map((constraint) =>
            constraint.onlyDependOnLibsWithTags && constraint.sourceTag.startsWith('type:')
              ? {
                  ...constraint,
                  onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'],
                }
              : constraint,
          ),
        },
      ],
    },
  },
  {
    // Domain folders inside apps are pure: no framework, no driver (hexagonal in the small).
    files: ['apps/*/src/domain/**/*.ts', 'libs/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...drivers, ...frameworks],
              message: 'Domain code imports no framework or driver: put it in an adapter.',
            },
          ],
        },
      ],
    },
  },
  prettier,
];
