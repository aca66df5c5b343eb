import { randomUUID } from 'node:crypto';
import { Client } from 'cassandra-driver';
import { eventually, requireInfrastructure } from '@platform/testing';
import { CassandraOutboxStore } from '../src/outbox/cassandra-outbox-store';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { describeOutboxStoreContract } from './outbox-store.contract';
import { aPendingEvent } from './support/outbox-builders';
import { RecordingPublisher } from './support/outbox-publisher';

const contactPoint = process.env['CASSANDRA_CONTACT_POINTS'] ?? '127.0.0.1:9042';
const keyspace = `messaging_outbox_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
const client = new Client({
  contactPoints: [contactPoint],
  localDataCenter: 'datacenter1',
  socketOptions: { connectTimeout: 5000, readTimeout: 20_000 },
});

beforeAll(async () => {
  await requireInfrastructure(`Cassandra at ${contactPoint}`, () => client.connect(), 20_000);
  await client.execute(
    `CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
}, 60_000);
afterAll(async () => {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
  await client.shutdown();
}, 60_000);

let tables = 0;

describeOutboxStoreContract('Cassandra', async () => {
  tables += 1;
  const outboxTable = `${keyspace}.outbox_${tables}`;
  const aggregatesTable = `${keyspace}.aggregates_${tables}`;
  await client.execute(`CREATE TABLE ${aggregatesTable} (aggregate_id text PRIMARY KEY, fields text)`);
  const store = new CassandraOutboxStore(client, outboxTable);
  return {
    store,
    anotherStore: () => new CassandraOutboxStore(client, outboxTable),
    saveAggregate: async (id, fields, outbox) => {
      // The state change and its events in one logged batch, as a service writes them.
      await client.batch(
        [
          {
            query: `INSERT INTO ${aggregatesTable} (aggregate_id, fields) VALUES (?, ?)`,
            params: [id, JSON.stringify(fields)],
          },
          ...store.insertStatementsFor(id, outbox),
        ],
        { prepare: true, logged: true },
      );
    },
    appendEvents: async (id, events) => {
      await client.batch(store.insertStatementsFor(id, events), { prepare: true, logged: true });
    },
    readAggregate: async (id) => {
      const row = (
        await client.execute(`SELECT fields FROM ${aggregatesTable} WHERE aggregate_id = ?`, [id], {
          prepare: true,
        })
      ).first();
      if (!row) return undefined;
      return {
        ...(JSON.parse(row['fields'] as string) as Record<string, unknown>),
        outbox: await store.outboxOf(id),
      };
    },
    cleanup: async () => undefined,
  };
});

describe('OutboxRelay over Cassandra', () => {
  it('when two relay processes run their loops concurrently, then every event is published exactly once and every partition is emptied', async () => {
    const table = `${keyspace}.outbox_relay`;
    const first = new CassandraOutboxStore(client, table);
    await first.ensureIndexes();
    const aggregateIds = Array.from({ length: 20 }, () => randomUUID());
    const events = aggregateIds.map((aggregateId) => ({
      aggregateId,
      events: [aPendingEvent(), aPendingEvent()],
    }));
    for (const { aggregateId, events: outbox } of events) {
      await client.batch(first.insertStatementsFor(aggregateId, outbox), { prepare: true, logged: true });
    }
    const publisher = new RecordingPublisher();
    const route = () => ({ topic: 'users.events.v1' });
    const relays = [first, new CassandraOutboxStore(client, table)].map(
      (store) =>
        new OutboxRelay({
          store,
          publisher,
          source: 'payment',
          route,
          batchSize: 5,
          pollIntervalMs: 20,
          onError: (error) => errors.push(String(error)),
        }),
    );
    const errors: string[] = [];
    relays.forEach((relay) => relay.start());
    try {
      await eventually(
        async () => {
          const remaining = await Promise.all(aggregateIds.map((aggregateId) => first.outboxOf(aggregateId)));
          return remaining.every((outbox) => outbox.length === 0) ? true : undefined;
        },
        30_000,
        100,
      );
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
    }
    expect(errors).toEqual([]);
    expect(publisher.publishedIds().sort()).toEqual(
      events.flatMap(({ events: outbox }) => outbox.map((event) => event.id)).sort(),
    );
    for (const { aggregateId, events: outbox } of events) {
      const publishedInOrder = publisher.published
        .filter((message) => message.key === aggregateId)
        .map((message) => message.id);
      expect(publishedInOrder).toEqual(outbox.map((event) => event.id));
    }
  }, 60_000);
});
