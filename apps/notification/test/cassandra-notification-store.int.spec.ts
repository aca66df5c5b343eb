import { randomUUID } from 'node:crypto';
import type { Client } from 'cassandra-driver';
import { CassandraNotificationStore } from '../src/store/cassandra-notification-store';
import { ensureKeyspace } from '@platform/persistence';
import { describeNotificationStoreContract } from './contracts/notification-store.contract';
import { aTestKeyspace, connectTestCassandra } from './support/cassandra';

const keyspace = aTestKeyspace('notification_store');
let client: Client;

beforeAll(async () => {
  client = await connectTestCassandra();
  await ensureKeyspace(client, keyspace);
  await new CassandraNotificationStore(client, keyspace).ensureSchema();
}, 60_000);
afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}, 60_000);

describeNotificationStoreContract(
  'Cassandra',
  async (clock) => new CassandraNotificationStore(client, keyspace, clock),
);

describe('CassandraNotificationStore', () => {
  it('when the schema is ensured again, then nothing fails and stored notifications stay', async () => {
    const store = new CassandraNotificationStore(client, keyspace);
    const userId = randomUUID();
    await store.recordOnce(randomUUID(), { userId, type: 'WELCOME', orderId: null, message: 'Welcome!' });
    await ensureKeyspace(client, keyspace);
    await store.ensureSchema();
    expect((await store.listOf(userId, { limit: 10 })).items).toHaveLength(1);
  });

  it('when a delivery fails after the inbox row was written, then the next delivery writes the one notification', async () => {
    const userId = randomUUID();
    const eventId = randomUUID();
    const draft = { userId, type: 'ORDER_CONFIRMED' as const, orderId: randomUUID(), message: 'confirmed' };
    // The list insert fails once, as if the node went away between the two writes.
    let failListInsert = true;
    const flaky = new Proxy(client, {
      get(target, property, receiver) {
        if (property !== 'execute') return Reflect.get(target, property, receiver);
        return async (query: string, ...rest: unknown[]) => {
          if (failListInsert && query.includes(`INSERT INTO ${keyspace}.notifications `)) {
            failListInsert = false;
            throw new Error('injected: connection lost');
          }
          return (target.execute as (...args: unknown[]) => unknown).call(target, query, ...rest);
        };
      },
    });
    const store = new CassandraNotificationStore(flaky, keyspace);
    await expect(store.recordOnce(eventId, draft)).rejects.toThrow('injected');
    expect((await store.listOf(userId, { limit: 10 })).items).toEqual([]);

    expect(await store.recordOnce(eventId, draft)).toBe('duplicate');
    expect(await store.recordOnce(eventId, draft)).toBe('duplicate');
    const { items } = await store.listOf(userId, { limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'ORDER_CONFIRMED', orderId: draft.orderId, message: 'confirmed' });
  });
});
