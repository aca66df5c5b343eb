import { ESLint } from 'eslint';
import { join } from 'node:path';

/**
 * Proves the dependency rules bite. Each fixture is a real file in a real project (the rule maps
 * files to projects through the Nx graph), ignored by normal lint and linted here on purpose.
 */
const workspaceRoot = join(__dirname, '../../..');
const eslint = new ESLint({ cwd: workspaceRoot, ignore: false });

async function violations(fixture: string): Promise<string[]> {
  const [result] = await eslint.lintFiles([join(workspaceRoot, fixture)]);
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it('when an app imports another app, then lint fails', async () => {
    const found = await violations('apps/embedded/src/__fixtures__/imports-an-app.ts');
    expect(found.join('\n')).toMatch(/@nx\/enforce-module-boundaries: Imports of apps are forbidden/);
  });

  it('when production library code imports testing code, then lint fails', async () => {
    const found = await violations('libs/observability/src/__fixtures__/imports-testing-code.ts');
    expect(found.join('\n')).toMatch(
      /@nx\/enforce-module-boundaries: A project tagged with "type:util" can only depend on libs tagged with "type:util"/,
    );
  });

  it('when domain code imports a driver or the framework, then lint fails', async () => {
    const found = await violations('apps/gateway/src/domain/__fixtures__/imports-a-driver.ts');
    expect(found.filter((message) => message.startsWith('no-restricted-imports'))).toHaveLength(2);
  });

  it('when an app imports a shared library, then lint passes', async () => {
    expect(await violations('apps/gateway/src/__fixtures__/imports-a-library.ts')).toEqual([]);
  });
});
