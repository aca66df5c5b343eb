import { eventually } from '@platform/testing';
import { MongoOutboxStore } from '../src/outbox/mongo-outbox-store';
import type { StoredOutboxEvent } from '../src/outbox/outbox-event';
import { outboxFieldsOf, withOutboxAppended } from '../src/outbox/outbox-fields';
import { OutboxRelay } from '../src/outbox/outbox-relay';
import { aPendingEvent, anAggregateId, secondsAfter } from './support/outbox-builders';
import { connectToTestDatabase, uniqueCollectionName } from './support/outbox-mongo';
import { RecordingPublisher } from './support/outbox-publisher';

let database: Awaited<ReturnType<typeof connectToTestDatabase>>;
beforeAll(async () => {
  database = await connectToTestDatabase('messaging-outbox-relay-test');
});
afterAll(() => database.close());

const route = () => ({ topic: 'users.events.v1' });

/** Users written as the auth service writes them: the user and its event in one insert. */
async function saveUsers(collection: string, count: number): Promise<StoredOutboxEvent[]> {
  const events = Array.from({ length: count }, () => aPendingEvent());
  await database.db
    .collection<{ _id: string }>(collection)
    .insertMany(
      events.map((event) => ({ _id: anAggregateId(), email: 'ada@example.com', ...outboxFieldsOf([event]) })),
    );
  return events;
}

/** Events still waiting, counted through the arrays themselves rather than the marker under test. */
async function pendingCount(collection: string): Promise<number> {
  return database.db.collection(collection).countDocuments({ 'outbox.0': { $exists: true } });
}

function storesOver(collection: string): () => MongoOutboxStore {
  return () => new MongoOutboxStore(database.db, collection);
}

describe('OutboxRelay over MongoDB', () => {
  it('when two relay processes run their loops concurrently, then every event is published exactly once and every outbox is emptied', async () => {
    const users = uniqueCollectionName('users');
    const events = await saveUsers(users, 30);
    const newStore = storesOver(users);
    await newStore().ensureIndexes();
    const publisher = new RecordingPublisher();
    const relays = [
      new OutboxRelay({
        store: newStore(),
        publisher,
        source: 'auth',
        route,
        batchSize: 4,
        pollIntervalMs: 20,
      }),
      new OutboxRelay({
        store: newStore(),
        publisher,
        source: 'auth',
        route,
        batchSize: 4,
        pollIntervalMs: 20,
      }),
    ];
    relays.forEach((relay) => relay.start());
    await eventually(async () => ((await pendingCount(users)) === 0 ? true : undefined), 20_000, 50);
    await Promise.all(relays.map((relay) => relay.stop()));
    expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('when a service signals its commit, then the sleeping relay publishes the new event without waiting for its interval', async () => {
    const users = uniqueCollectionName('users');
    const [first] = await saveUsers(users, 1);
    const store = storesOver(users)();
    await store.ensureIndexes();
    const publisher = new RecordingPublisher();
    const relay = new OutboxRelay({ store, publisher, source: 'auth', route, pollIntervalMs: 3_600_000 });
    relay.start();
    try {
      await eventually(async () => ((await pendingCount(users)) === 0 ? true : undefined), 10_000, 20);
      // The first pass is over: the relay sleeps for an hour unless the signal wakes it.
      const userId = anAggregateId();
      const second = aPendingEvent();
      await database.db
        .collection<{ _id: string; email: string }>(users)
        .insertOne({ _id: userId, email: 'bob@example.com', ...outboxFieldsOf([second]) });
      store.written.notify();
      await eventually(async () => ((await pendingCount(users)) === 0 ? true : undefined), 10_000, 20);
      expect(publisher.publishedIds()).toEqual([first!.id, second.id]);
    } finally {
      await relay.stop();
    }
  });

  it('when events are appended to a user whose earlier event was published, then they are published in order and the user is marked no more', async () => {
    const users = uniqueCollectionName('users');
    const [first] = await saveUsers(users, 1);
    const store = storesOver(users)();
    const publisher = new RecordingPublisher();
    const relay = new OutboxRelay({ store, publisher, source: 'auth', route });
    await relay.publishPending();
    const user = await database.db.collection<{ _id: string }>(users).findOne({});
    const later = [aPendingEvent(), aPendingEvent()];
    await database.db
      .collection<{ _id: string }>(users)
      .updateOne({ _id: user!._id }, withOutboxAppended({ $set: { email: 'ada@example.org' } }, later));
    while ((await relay.publishPending()).claimed > 0);
    expect(publisher.publishedIds()).toEqual([first!.id, ...later.map((event) => event.id)]);
    expect(await database.db.collection(users).countDocuments({ outboxPending: true })).toBe(0);
  });

  it('when a relay dies holding leases, then another relay publishes its events once the leases expire', async () => {
    const users = uniqueCollectionName('users');
    const events = await saveUsers(users, 3);
    const newStore = storesOver(users);
    let now = new Date('2026-03-01T09:00:00.000Z');
    const stuck = new RecordingPublisher();
    stuck.hold();
    const dying = new OutboxRelay({
      store: newStore(),
      publisher: stuck,
      source: 'auth',
      route,
      clock: () => now,
      leaseMs: 30_000,
    });
    const publisher = new RecordingPublisher();
    const survivor = new OutboxRelay({
      store: newStore(),
      publisher,
      source: 'auth',
      route,
      clock: () => now,
      leaseMs: 30_000,
    });
    const holdingLeases = stuck.nextAttempt();
    void dying.publishPending();
    await holdingLeases;

    expect((await survivor.publishPending()).claimed).toBe(0);
    now = secondsAfter(now, 30);
    await survivor.publishPending();
    expect(publisher.publishedIds().sort()).toEqual(events.map((event) => event.id).sort());
    expect(await pendingCount(users)).toBe(0);
  });

  it('when the publisher fails twice then succeeds, then the event is published once and leaves the user document', async () => {
    const users = uniqueCollectionName('users');
    const [event] = await saveUsers(users, 1);
    const publisher = new RecordingPublisher();
    publisher.failNext(2);
    let now = new Date('2026-03-01T09:00:00.000Z');
    const relay = new OutboxRelay({
      store: storesOver(users)(),
      publisher,
      source: 'auth',
      route,
      clock: () => now,
      backoff: { initialMs: 1000, maxMs: 60_000 },
      random: () => 0.99,
    });
    for (const secondsLater of [0, 1, 2]) {
      now = secondsAfter(now, secondsLater);
      await relay.publishPending();
    }
    expect(publisher.attempts).toHaveLength(3);
    expect(publisher.publishedIds()).toEqual([event!.id]);
    expect(await pendingCount(users)).toBe(0);
  });
});
