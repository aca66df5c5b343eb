import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { createCassandraClient } from '@platform/persistence';
import { requireInfrastructure } from '@platform/testing';

export const cassandraContactPoints = process.env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042';

/** A keyspace name of its own for one test file, so files never see each other's rows. */
export function aTestKeyspace(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}

export async function connectTestCassandra(): Promise<Client> {
  const client = createCassandraClient(cassandraContactPoints, 'datacenter1');
  await requireInfrastructure(`Cassandra at ${cassandraContactPoints}`, () => client.connect(), 20_000);
  return client;
}
