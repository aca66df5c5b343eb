/**
 * Every scenario that needs no Kafka, run as a user runs it (`npm run scenario -- <name>`), against
 * the embedded platform as `npm start` runs it: each must end `result: ok`. All of them, the Kafka
 * ones too, run against the local profile in apps/platform-e2e/test/scenarios.e2e.spec.ts.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbedded, stopEmbedded, type EmbeddedPlatform } from '@platform/testing';
import { scenarios } from '../src/catalogue.ts';

const cli = join(__dirname, '../src/cli.ts');
let platform: EmbeddedPlatform;

beforeAll(async () => {
  platform = await startEmbedded({ LOG_LEVEL: 'warn' });
  await platform.waitForOutput('the platform is up');
}, 120_000);

afterAll(async () => {
  if (platform) await stopEmbedded(platform);
});

describe('npm run scenario', () => {
  // Those that write to Kafka or restart a service need the local profile: apps/platform-e2e runs them.
  const overHttp = scenarios.filter(({ needs }) => needs === undefined).map(({ name }) => name);

  it.each(overHttp)(
    'when %s runs against npm start, then each of its checks holds',
    async (name) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [cli, name, '--gateway', platform.gateway],
        {
          timeout: 240_000,
        },
      ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(
          `scenario ${name} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`,
        );
      });
      expect(stdout).toContain('result: ok');
      expect(stdout).not.toContain('FAIL');
      expect(stdout).toMatch(/trace [0-9a-f]{32}/);
    },
    300_000,
  );

  it('when asked for the list, then every scenario is named with what it shows', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'list']);
    for (const { name } of scenarios) expect(stdout).toContain(name);
  });
});

describe('a scenario that writes to Kafka, run without a broker', () => {
  it('when started against npm start, then it says it needs --kafka and exits non-zero', async () => {
    const run = promisify(execFile)(process.execPath, [cli, 'dlq-replay', '--gateway', platform.gateway]);
    await expect(run).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('--kafka') });
  });
});
