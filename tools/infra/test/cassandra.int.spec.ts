import { Client } from 'cassandra-driver';
import { requireInfrastructure } from '@platform/testing';
import { connection, uniqueName } from './connection.ts';

describe('Cassandra through cassandra-driver', () => {
  const keyspace = uniqueName('connectivity').toLowerCase();
  const client = new Client({
    contactPoints: [connection.CASSANDRA_CONTACT_POINTS],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 5000, readTimeout: 20000 },
  });
  beforeAll(async () => {
    await requireInfrastructure(
      `Cassandra at ${connection.CASSANDRA_CONTACT_POINTS}`,
      () => client.connect(),
      20000,
    );
    await client.execute(
      `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
    );
    await client.execute(
      `CREATE TABLE ${keyspace}.charges (order_id text PRIMARY KEY, amount_cents int, status text)`,
    );
  }, 60_000);
  afterAll(async () => {
    await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`).catch(() => undefined);
    await client.shutdown();
  }, 30_000);

  it('when the server is asked its version, then it is Cassandra 5', async () => {
    const result = await client.execute('SELECT release_version FROM system.local');
    expect(result.first()?.['release_version']).toMatch(/^5\./);
  });

  it('when a prepared insert runs, then the row reads back', async () => {
    await client.execute(
      `INSERT INTO ${keyspace}.charges (order_id, amount_cents, status) VALUES (?, ?, ?)`,
      ['order-1', 1999, 'AUTHORIZED'],
      { prepare: true },
    );
    const result = await client.execute(
      `SELECT amount_cents, status FROM ${keyspace}.charges WHERE order_id = ?`,
      ['order-1'],
      { prepare: true },
    );
    expect(result.first()?.['amount_cents']).toBe(1999);
    expect(result.first()?.['status']).toBe('AUTHORIZED');
  });

  it('when two inserts race with IF NOT EXISTS, then exactly one is applied', async () => {
    // The lightweight transaction that will keep one charge per order.
    const insert = (status: string) =>
      client.execute(
        `INSERT INTO ${keyspace}.charges (order_id, amount_cents, status) VALUES (?, ?, ?) IF NOT EXISTS`,
        ['order-2', 500, status],
        {
          prepare: true,
        },
      );
    const results = await Promise.all([insert('FIRST'), insert('SECOND')]);
    expect(results.map((result) => result.wasApplied()).sort()).toEqual([false, true]);
    const stored = await client.execute(
      `SELECT status FROM ${keyspace}.charges WHERE order_id = ?`,
      ['order-2'],
      { prepare: true },
    );
    const winner = results.find((result) => result.wasApplied()) === results[0] ? 'FIRST' : 'SECOND';
    expect(stored.first()?.['status']).toBe(winner);
  });
});
