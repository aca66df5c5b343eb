import { resolve } from 'node:path';
import {
  requireInfrastructure,
  runNodeCli,
  startServiceProcess,
  type ServiceProcess,
} from '@platform/testing';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { Client as CassandraClient } from 'cassandra-driver';
import type { InvariantReport } from '../src/index.ts';
import { handMadePlatform, type HandMadePlatform } from './hand-made-platform.ts';

/** Runs the tool as `npm run invariants` does. */
const runCli = (args: string[]) => runNodeCli(resolve(import.meta.dirname, '../src/cli.ts'), args, 90_000);

const servers = {
  mongoUrl: process.env['MONGO_URL'] ?? 'mongodb://127.0.0.1:27017',
  kafkaBrokers: process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092',
  cassandraContactPoints: process.env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042',
};

let provider: ServiceProcess;
let platform: HandMadePlatform;

jest.setTimeout(120_000);

beforeAll(async () => {
  await requireInfrastructure(`MongoDB at ${servers.mongoUrl}`, async () => {
    await (await new MongoClient(servers.mongoUrl, { serverSelectionTimeoutMS: 3000 }).connect()).close();
  });
  await requireInfrastructure(`Kafka at ${servers.kafkaBrokers}`, async () => {
    const admin = new Kafka({ brokers: servers.kafkaBrokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.disconnect();
  });
  await requireInfrastructure(`Cassandra at ${servers.cassandraContactPoints}`, async () => {
    const client = new CassandraClient({
      contactPoints: servers.cassandraContactPoints.split(','),
      localDataCenter: 'datacenter1',
    });
    await client.connect();
    await client.shutdown();
  });
  // The simulator keeps its charges in memory: this one holds only the hand-made platform's.
  provider = await startServiceProcess('payment-provider-sim', { PROFILE: 'local' });
  platform = await handMadePlatform({ ...servers, providerUrl: provider.baseUrl });
}, 120_000);

afterAll(async () => {
  await platform?.drop();
  await provider?.stop();
}, 60_000);

const reportOf = (stdout: string) => JSON.parse(stdout) as InvariantReport;
const violatedIds = (report: InvariantReport) =>
  Object.fromEntries(
    report.results
      .filter((result) => result.status !== 'ok')
      .map((result) => [
        result.invariant,
        [...new Set(result.violations.map((violation) => violation.id))].sort(),
      ]),
  );

describe('npm run invariants against the real servers', () => {
  it('when the stores are consistent, then every invariant is ok, one line each, and it exits 0', async () => {
    const result = await runCli(platform.args);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines.every((line) => /^\S+\s+ok \(/.test(line))).toBe(true);
    expect(lines).toContain('charges-at-provider   ok (3 orders, 2 charges)');
    expect(lines).toContain('dlq-explained         ok (1 dead letter)');
    expect(lines).toContain('consumer-lag          ok (1 group)');
  });

  it('when a violation of each invariant is planted, then each is reported with its offending id, and it exits 1', async () => {
    const { ids } = platform;
    await platform.plantViolations();

    const json = await runCli([...platform.args, '--json']);
    const text = await runCli(platform.args);

    expect(json.code).toBe(1);
    expect(violatedIds(reportOf(json.stdout))).toEqual({
      'stock-conserved': [ids.leakySku],
      'stock-not-negative': [ids.oversoldSku],
      'stock-matches-orders': [ids.oversoldSku],
      'charges-at-provider': [ids.cancelled],
      'charges-in-ledger': [ids.cancelled],
      'orders-final': [ids.pending],
      notifications: [ids.confirmed],
      'outbox-published': [ids.cancelled, ids.confirmed].sort(),
      'dlq-explained': [`${ids.deadLetterTopic} 0:1`],
      'consumer-lag': [ids.group],
    });
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`orders-final          1 violation: ${ids.pending}\n`);
    expect(text.stdout).toMatch(
      new RegExp(`charges-at-provider\\s+${ids.cancelled}\\s+CANCELLED PAYMENT_DECLINED: keeps charge ch_`),
    );
    expect(text.stdout).toMatch(new RegExp(`consumer-lag\\s+${ids.group}\\s+lag 1 \\(`));
  });
});
