import { Client as CassandraClient } from 'cassandra-driver';
import { MongoClient } from 'mongodb';
import { infraTargetsOf } from './infrastructure.ts';

/**
 * Drops what a run created (its Mongo databases and Cassandra keyspaces), so that repeated runs do
 * not pile up thousands of benchmark orders on the developer's machine. Best effort: a failure is
 * reported, not thrown, since the figures are already printed.
 */
export async function dropMongoDatabases(
  env: Record<string, string | undefined>,
  names: readonly string[],
): Promise<string[]> {
  if (names.length === 0) return [];
  const client = new MongoClient(env['MONGO_URL'] || 'mongodb://127.0.0.1:27017', {
    serverSelectionTimeoutMS: 5000,
  });
  const problems: string[] = [];
  try {
    await client.connect();
    for (const name of names)
      await client
        .db(name)
        .dropDatabase()
        .catch((error: unknown) => problems.push(`database ${name}: ${String(error)}`));
  } catch (error) {
    problems.push(`MongoDB: ${String(error)}`);
  } finally {
    await client.close().catch(() => undefined);
  }
  return problems;
}

export async function dropKeyspaces(
  env: Record<string, string | undefined>,
  names: readonly string[],
): Promise<string[]> {
  if (names.length === 0) return [];
  const [target] = infraTargetsOf(env, ['cassandra']);
  const client = new CassandraClient({
    contactPoints: [`${target?.host}:${target?.port}`],
    localDataCenter: env['CASSANDRA_LOCAL_DATA_CENTER'] || 'datacenter1',
  });
  const problems: string[] = [];
  try {
    await client.connect();
    for (const name of names)
      await client
        .execute(`DROP KEYSPACE IF EXISTS ${name}`)
        .catch((error: unknown) => problems.push(`keyspace ${name}: ${String(error)}`));
  } catch (error) {
    problems.push(`Cassandra: ${String(error)}`);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
  return problems;
}
