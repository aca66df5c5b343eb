import type { Db } from 'mongodb';
import { MongoOutboxStore } from '../src/outbox/mongo-outbox-store';
import type { OutboxDocument } from '../src/outbox/outbox-event';
import { outboxFieldsOf, withOutboxAppended } from '../src/outbox/outbox-fields';
import {
  describeOutboxMarkerContract,
  describeOutboxStoreContract,
  type OutboxStoreSubject,
} from './outbox-store.contract';
import { aPendingEvent, anAggregateId } from './support/outbox-builders';
import { connectToTestDatabase, uniqueCollectionName } from './support/outbox-mongo';

type Aggregate = Record<string, unknown> & OutboxDocument & { _id: string };

let database: Awaited<ReturnType<typeof connectToTestDatabase>>;
beforeAll(async () => {
  database = await connectToTestDatabase('messaging-outbox-test');
});
afterAll(() => database.close());

async function mongoSubject(): Promise<OutboxStoreSubject> {
  const db: Db = database.db;
  const aggregates = uniqueCollectionName('aggregates');
  const collection = db.collection<Aggregate>(aggregates);
  return {
    store: new MongoOutboxStore(db, aggregates),
    anotherStore: () => new MongoOutboxStore(db, aggregates),
    saveAggregate: async (id, fields, outbox) => {
      await collection.insertOne({ _id: id, ...fields, ...outboxFieldsOf(outbox) });
    },
    appendEvents: async (id, events) => {
      await collection.updateOne({ _id: id }, withOutboxAppended({ $set: { changed: true } }, events));
    },
    readAggregate: async (id) => (await collection.findOne({ _id: id })) ?? undefined,
    cleanup: async () => {
      await collection.drop();
    },
  };
}

describeOutboxStoreContract('MongoDB', mongoSubject);
describeOutboxMarkerContract('MongoDB', mongoSubject);

describe('MongoOutboxStore on the real server', () => {
  it('when a published event is removed, then the element is really gone from the stored array and its neighbours stay', async () => {
    const aggregates = uniqueCollectionName('aggregates');
    const store = new MongoOutboxStore(database.db, aggregates);
    const aggregateId = anAggregateId();
    const first = aPendingEvent({
      data: { nested: { deep: [1, { two: 2 }] }, when: new Date('2026-01-01T00:00:00Z') },
    });
    const second = aPendingEvent();
    await database.db
      .collection<Aggregate>(aggregates)
      .insertOne({ _id: aggregateId, ...outboxFieldsOf([first, second]) });
    const now = new Date('2026-02-01T00:00:00Z');
    const [claimed] = await store.claim({ owner: 'relay-a', now, leaseMs: 1000, limit: 10 });
    await store.markPublished(claimed!);
    const stored = await database.db.collection<Aggregate>(aggregates).findOne({ _id: aggregateId });
    expect(stored?.outbox?.map((event) => event.id)).toEqual([second.id]);
  });

  it('when indexes are ensured, then the marker has its index, ahead of the scan order', async () => {
    const aggregates = uniqueCollectionName('aggregates');
    const store = new MongoOutboxStore(database.db, aggregates);
    await store.ensureIndexes();
    const indexes = await database.db.collection(aggregates).indexes();
    expect(indexes.map((index) => index.key)).toContainEqual({ outboxPending: 1, _id: 1 });
  });

  it('when every event is published, then the aggregate keeps nothing of the relay', async () => {
    const aggregates = uniqueCollectionName('aggregates');
    const store = new MongoOutboxStore(database.db, aggregates);
    const aggregateId = anAggregateId();
    await database.db
      .collection<Aggregate>(aggregates)
      .insertOne({ _id: aggregateId, name: 'Ada', ...outboxFieldsOf([aPendingEvent()]) });
    const now = new Date('2026-02-01T00:00:00Z');
    const [claimed] = await store.claim({ owner: 'relay-a', now, leaseMs: 1000, limit: 10 });
    await store.recordFailedAttempt(claimed!, { now, nextAttemptAt: now, error: 'broker down' });
    const [retried] = await store.claim({ owner: 'relay-a', now, leaseMs: 1000, limit: 10 });
    await store.markPublished(retried!);
    expect(await database.db.collection<Aggregate>(aggregates).findOne({ _id: aggregateId })).toEqual({
      _id: aggregateId,
      name: 'Ada',
      outbox: [],
    });
  });
});
