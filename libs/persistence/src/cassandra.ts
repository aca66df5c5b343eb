import { Client } from 'cassandra-driver';
import type { ReadinessCheck } from '@platform/observability';

/**
 * A Cassandra client with bounded waits: a down node fails a request in seconds, not minutes.
 * `contactPoints` is `host:port,host:port`, as CASSANDRA_CONTACT_POINTS is written.
 */
export function createCassandraClient(
  contactPoints: string,
  localDataCenter: string,
  keyspace?: string,
): Client {
  return new Client({
    contactPoints: contactPoints
      .split(',')
      .map((point) => point.trim())
      .filter((point) => point !== ''),
    localDataCenter,
    ...(keyspace === undefined ? {} : { keyspace }),
    socketOptions: { connectTimeout: 3000, readTimeout: 10_000 },
    queryOptions: { prepare: true },
  });
}

export function cassandraReadiness(client: Client): ReadinessCheck {
  return {
    name: 'cassandra',
    check: async () => {
      await client.execute('SELECT release_version FROM system.local');
    },
  };
}
