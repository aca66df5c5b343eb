import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jaegerQueryUrl } from './connection';
import { kafkaBrokers } from './kafka-wire';
import { usePlatform } from './platform-suite';

/**
 * Every `npm run scenario`, run as a user runs it against the local profile: the platform as
 * processes on the real servers, the Kafka scenarios writing to the real topics, traces read back
 * through the gateway from Jaeger. (tools/scenarios runs the HTTP ones against npm start too.)
 */
const cli = join(__dirname, '../../../tools/scenarios/src/cli.ts');
const names = [
  'idempotency-key',
  'stock-race',
  'late-payment-refund',
  'breaker',
  'duplicate-delivery',
  'dlq-replay',
];

describe('npm run scenario against the local profile', () => {
  const suite = usePlatform({ gateway: { JAEGER_QUERY_URL: jaegerQueryUrl } });

  it.each(names)(
    'when %s runs, then each of its checks holds',
    async (name) => {
      const args = [cli, name, '--gateway', suite.platform.gatewayUrl, '--kafka', kafkaBrokers];
      const { stdout } = await promisify(execFile)(process.execPath, args, { timeout: 240_000 }).catch(
        (error: { stdout?: string; stderr?: string; message: string }) => {
          throw new Error(
            `scenario ${name} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`,
          );
        },
      );
      expect(stdout).toContain('result: ok');
      expect(stdout).not.toMatch(/FAIL|skipped/);
    },
    300_000,
  );

  it('when crash-mid-flight SIGKILLs the order service under a burst of orders, then each of its checks holds', async () => {
    const args = [cli, 'crash-mid-flight', '--gateway', suite.platform.gatewayUrl];
    args.push('--order-url', suite.platform.process('order').baseUrl);
    const outcome = await promisify(execFile)(process.execPath, args, { timeout: 240_000 }).then(
      ({ stdout }) => ({ stdout, failure: undefined }),
      (error: { stdout?: string; stderr?: string; message: string }) => ({
        stdout: error.stdout ?? '',
        failure: `${error.stderr ?? ''}${error.message}`,
      }),
    );
    // The scenario started the order service again outside this harness: it is stopped here.
    const restarted = Number(/started again as pid (\d+)/.exec(outcome.stdout)?.[1]);
    if (restarted) process.kill(restarted, 'SIGTERM');
    if (outcome.failure)
      throw new Error(`scenario crash-mid-flight failed:\n${outcome.stdout}${outcome.failure}`);
    expect(outcome.stdout).toContain('result: ok');
    expect(outcome.stdout).not.toMatch(/FAIL|skipped/);
  }, 300_000);
});
