import type { Db } from 'mongodb';
import { MongoOutboxStore } from '../src/outbox/mongo-outbox-store';
import type { OutboxDocument } from '../src/outbox/outbox-event';
import { describeOutboxStoreContract } from './outbox-store.contract';
import { aPendingEvent, anAggregateId } from './support/outbox-builders';
import { connectToTestDatabase, uniqueCollectionName } from './support/outbox-mongo';

let database: Awaited<ReturnType<typeof connectToTestDatabase>>;
beforeAll(async () => {
  database = await connectToTestDatabase('messaging-outbox-test');
});
afterAll(() => database.close());

describeOutboxStoreContract('MongoDB', async () => {
  const db: Db = database.db;
  const aggregates = uniqueCollectionName('aggregates');
  const leases = uniqueCollectionName('outbox_leases');
  return {
    store: new MongoOutboxStore(db, aggregates, { leaseCollection: leases }),
    anotherStore: () => new MongoOutboxStore(db, aggregates, { leaseCollection: leases }),
    saveAggregate: async (id, fields, outbox) => {
      await db
        .collection<Record<string, unknown> & { _id: string }>(aggregates)
        .insertOne({ _id: id, ...fields, outbox });
    },
    readAggregate: async (id) => {
      const document = await db
        .collection<Record<string, unknown> & { _id: string }>(aggregates)
        .findOne({ _id: id });
      return (document ?? undefined) as (Record<string, unknown> & OutboxDocument) | undefined;
    },
    cleanup: async () => {
      await db.collection(aggregates).drop();
      await db.collection(leases).drop();
    },
  };
});

describe('MongoOutboxStore on the real server', () => {
  it('when a published event is removed, then the element is really gone from the stored array and its neighbours stay', async () => {
    const aggregates = uniqueCollectionName('aggregates');
    const store = new MongoOutboxStore(database.db, aggregates, {
      leaseCollection: uniqueCollectionName('outbox_leases'),
    });
    const aggregateId = anAggregateId();
    const first = aPendingEvent({
      data: { nested: { deep: [1, { two: 2 }] }, when: new Date('2026-01-01T00:00:00Z') },
    });
    const second = aPendingEvent();
    await database.db
      .collection<Record<string, unknown> & { _id: string }>(aggregates)
      .insertOne({ _id: aggregateId, outbox: [first, second] });
    const now = new Date('2026-02-01T00:00:00Z');
    const [claimed] = await store.claim({ owner: 'relay-a', now, leaseMs: 1000, limit: 10 });
    await store.markPublished(claimed!, now);
    const stored = await database.db
      .collection<{ _id: string } & OutboxDocument>(aggregates)
      .findOne({ _id: aggregateId });
    expect(stored?.outbox?.map((event) => event.id)).toEqual([second.id]);
  });

  it('when published leases are purged after the events left their aggregates, then their records are deleted', async () => {
    const aggregates = uniqueCollectionName('aggregates');
    const store = new MongoOutboxStore(database.db, aggregates, {
      leaseCollection: uniqueCollectionName('outbox_leases'),
    });
    await database.db
      .collection<Record<string, unknown> & { _id: string }>(aggregates)
      .insertOne({ _id: anAggregateId(), outbox: [aPendingEvent()] });
    const now = new Date('2026-02-01T00:00:00Z');
    const [claimed] = await store.claim({ owner: 'relay-a', now, leaseMs: 1000, limit: 10 });
    await store.markPublished(claimed!, now);
    expect(await store.purgeLeasesPublishedBefore(now)).toBe(0);
    expect(await store.purgeLeasesPublishedBefore(new Date('2026-02-01T01:00:00Z'))).toBe(1);
  });
});
