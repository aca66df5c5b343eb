import type { Client } from 'cassandra-driver';

/** Keyspace names go into CQL text unquoted, so only this shape is accepted. */
export const keyspaceNamePattern = /^[a-z][a-z0-9_]{0,47}$/;

/** Creates the keyspace when missing; SimpleStrategy with one replica suits the single-node local setups. */
export async function ensureKeyspace(client: Client, keyspace: string, replicationFactor = 1): Promise<void> {
  if (!keyspaceNamePattern.test(keyspace)) throw new Error(`invalid keyspace name ${keyspace}`);
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${keyspace}
     WITH replication = {'class': 'SimpleStrategy', 'replication_factor': ${replicationFactor}}`,
  );
}
